using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Tests.Orders;

public class OrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 11, 6, 29, 20, TimeSpan.Zero);

    private static Order NewOrder(OrderIntent? intent = null, string price = "0.51", long count = 10) =>
        Order.Create("c-1", "MKT", intent ?? OrderIntent.BuyYes, Price.Parse(price), Quantity.FromContracts(count), T0);

    private static Order Accepted(Order? o = null)
    {
        var order = (o ?? NewOrder()).Submit(T0).Order;
        return order.Accept("ex-1", T0).Order;
    }

    private static Fill F(string tradeId, long count, string yesPrice = "0.51", BookSide side = BookSide.Bid, string fee = "0") =>
        new(tradeId, "ex-1", "MKT", side, Price.Parse(yesPrice), Quantity.FromContracts(count), Money.Parse(fee), true, T0);

    [Theory]
    [InlineData(OrderAction.Buy, ContractSide.Yes, "0.56", BookSide.Bid, "0.5600")]
    [InlineData(OrderAction.Sell, ContractSide.Yes, "0.56", BookSide.Ask, "0.5600")]
    [InlineData(OrderAction.Buy, ContractSide.No, "0.48", BookSide.Ask, "0.5200")]
    [InlineData(OrderAction.Sell, ContractSide.No, "0.48", BookSide.Bid, "0.5200")]
    public void Intent_maps_to_the_V2_side_and_YES_price(OrderAction action, ContractSide contract, string price, BookSide side, string yesPrice)
    {
        var order = Order.Create("c", "MKT", new OrderIntent(action, contract), Price.Parse(price), Quantity.FromContracts(1), T0);
        Assert.Equal(side, order.Side);
        Assert.Equal(yesPrice, order.YesPrice.ToWireString());
        Assert.Equal(Price.Parse(price), order.ContractPrice);
    }

    [Fact]
    public void Create_refuses_bad_input_with_the_value_named()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Order.Create("c", "M", OrderIntent.BuyYes, Price.One, Quantity.FromContracts(1), T0));
        Assert.Contains("1.0000", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Order.Create("c", "M", OrderIntent.BuyYes, Price.Parse("0.5"), Quantity.Zero, T0));
        Assert.Contains("0.00", ex.Message);
        Assert.Throws<ArgumentException>(() => Order.Create("c", "M", OrderIntent.BuyYes, Price.Parse("0.5"), Quantity.FromContracts(1), T0,
            TimeInForce.ImmediateOrCancel, expiresAt: T0.AddMinutes(1)));
    }

    [Fact]
    public void Lifecycle_submit_accept_partial_fill_fill()
    {
        var order = NewOrder();
        Assert.Equal(OrderStatus.Initialized, order.Status);
        order = order.Submit(T0).Order;
        Assert.Equal(OrderStatus.Submitted, order.Status);
        order = order.Accept("ex-1", T0).Order;
        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.Equal("ex-1", order.ExchangeOrderId);

        var change = order.ApplyFill(F("t1", 4, fee: "0.07"), T0.AddSeconds(1));
        Assert.True(change.IsApplied);
        order = change.Order;
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
        Assert.Equal(Quantity.FromContracts(4), order.Filled);
        Assert.Equal(Quantity.FromContracts(6), order.Remaining);
        Assert.Equal(0.51m, order.AverageYesFillPrice);

        order = order.ApplyFill(F("t2", 6, "0.50", fee: "0.10"), T0.AddSeconds(2)).Order;
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(Quantity.Zero, order.Remaining);
        Assert.Equal(Money.Parse("0.17"), order.Fees);
        Assert.Equal(0.504m, order.AverageYesFillPrice); // (4×0.51 + 6×0.50)/10
        Assert.False(order.IsOpen);
    }

    [Fact]
    public void A_duplicate_fill_changes_nothing()
    {
        var order = Accepted().ApplyFill(F("t1", 4), T0).Order;
        var again = order.ApplyFill(F("t1", 4), T0);
        Assert.Equal(OrderChangeKind.Duplicate, again.Kind);
        Assert.Same(order, again.Order);
        Assert.Equal(Quantity.FromContracts(4), again.Order.Filled);
    }

    [Fact]
    public void A_fill_that_races_a_cancel_is_legal()
    {
        var order = Accepted().RequestCancel(T0).Order;
        Assert.Equal(OrderStatus.PendingCancel, order.Status);

        order = order.ApplyFill(F("t1", 3), T0).Order;
        Assert.Equal(OrderStatus.PendingCancel, order.Status);
        Assert.Equal(Quantity.FromContracts(7), order.Remaining);

        order = order.Cancel(T0).Order;
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.Equal(Quantity.Zero, order.Remaining);

        // A late fill (generated before the cancel took effect) still counts; the order stays canceled.
        var late = order.ApplyFill(F("t2", 2), T0);
        Assert.True(late.IsApplied);
        Assert.Equal(OrderStatus.Canceled, late.Order.Status);
        Assert.Equal(Quantity.FromContracts(5), late.Order.Filled);
        Assert.Equal(Quantity.Zero, late.Order.Remaining);
    }

    [Fact]
    public void A_fill_that_completes_a_pending_cancel_fills_the_order()
    {
        var order = Accepted().RequestCancel(T0).Order.ApplyFill(F("t1", 10), T0).Order;
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void A_refused_cancel_returns_to_where_the_order_was()
    {
        var order = Accepted().RequestCancel(T0).Order.RefuseCancel(T0).Order;
        Assert.Equal(OrderStatus.Accepted, order.Status);
        order = order.ApplyFill(F("t1", 2), T0).Order.RequestCancel(T0).Order.RefuseCancel(T0).Order;
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
    }

    [Fact]
    public void Illegal_transitions_return_an_error_and_leave_the_order_unchanged()
    {
        var filled = Accepted().ApplyFill(F("t1", 10), T0).Order;
        var change = filled.Cancel(T0);
        Assert.Equal(OrderChangeKind.Illegal, change.Kind);
        Assert.Same(filled, change.Order);
        Assert.Contains("Cancel is not allowed when Filled", change.Error);

        var fresh = NewOrder();
        Assert.Equal(OrderChangeKind.Illegal, fresh.Accept("x", T0).Kind);
        Assert.Equal(OrderChangeKind.Illegal, fresh.ApplyFill(F("t1", 1), T0).Kind);
        Assert.Equal(OrderChangeKind.Illegal, fresh.RequestCancel(T0).Kind);
        Assert.Null(fresh.ExchangeOrderId);
    }

    [Fact]
    public void A_fill_or_the_exchanges_word_ahead_of_the_acceptance_keeps_the_status_and_the_exchange_id_is_learned()
    {
        // The fill arrives before the create's answer: it names the exchange's order id.
        var partly = NewOrder().Submit(T0).Order.ApplyFill(F("t1", 4), T0).Order;
        Assert.Equal((OrderStatus.PartiallyFilled, "ex-1"), (partly.Status, partly.ExchangeOrderId));
        var accepted = partly.Accept("ex-1", T0);
        Assert.Equal(OrderChangeKind.Applied, accepted.Kind);
        Assert.Equal((OrderStatus.PartiallyFilled, Quantity.FromContracts(4)), (accepted.Order.Status, accepted.Order.Filled));
        Assert.Equal(OrderChangeKind.Illegal, partly.Accept("ex-2", T0).Kind);

        // The exchange said it was canceled (the order stream, by client order id) before the answer came.
        var canceled = NewOrder().Submit(T0).Order.AdoptExchangeState(OrderStatus.Canceled, Quantity.Zero, Quantity.Zero, null, T0);
        var late = canceled.Accept("ex-9", T0);
        Assert.Equal(OrderChangeKind.Applied, late.Kind);
        Assert.Equal((OrderStatus.Canceled, "ex-9"), (late.Order.Status, late.Order.ExchangeOrderId));
    }

    [Fact]
    public void Every_event_not_in_the_table_is_illegal_in_every_status()
    {
        var allowed = OrderTransitions.All.Select(t => (t.From, t.Event)).ToHashSet();
        foreach (var from in Enum.GetValues<OrderStatus>())
        foreach (var ev in Enum.GetValues<OrderEvent>())
        {
            var next = OrderTransitions.Next(from, ev);
            Assert.Equal(allowed.Contains((from, ev)), next is not null);
            if (from is OrderStatus.Filled or OrderStatus.Rejected) Assert.Null(next);
        }
    }

    [Fact]
    public void Over_fills_wrong_side_wrong_market_and_worse_prices_are_illegal()
    {
        var order = Accepted();
        Assert.Contains("would fill 11.00", order.ApplyFill(F("t1", 11), T0).Error);
        Assert.Contains("ask side", order.ApplyFill(F("t2", 1, side: BookSide.Ask), T0).Error);
        Assert.Contains("worse than the limit", order.ApplyFill(F("t3", 1, "0.52"), T0).Error);
        var other = F("t4", 1) with { Ticker = "OTHER" };
        Assert.Contains("is for OTHER", order.ApplyFill(other, T0).Error);
        // price improvement is fine
        Assert.True(order.ApplyFill(F("t5", 1, "0.40"), T0).IsApplied);
    }

    [Fact]
    public void Ask_orders_fill_at_or_above_their_limit()
    {
        var sellYes = Accepted(NewOrder(OrderIntent.SellYes, "0.55"));
        Assert.True(sellYes.ApplyFill(F("t1", 1, "0.56", BookSide.Ask), T0).IsApplied);
        Assert.Equal(OrderChangeKind.Illegal, sellYes.ApplyFill(F("t2", 1, "0.54", BookSide.Ask), T0).Kind);
    }

    [Fact]
    public void Unknown_outcome_until_found_or_proven_absent()
    {
        var order = NewOrder().Submit(T0).Order.LoseTrack(T0).Order;
        Assert.Equal(OrderStatus.Unknown, order.Status);
        Assert.True(order.IsOpen);

        var found = order.Accept("ex-9", T0).Order;
        Assert.Equal(OrderStatus.Accepted, found.Status);

        var absent = order.Reject("not found by client order id", T0).Order;
        Assert.Equal(OrderStatus.Rejected, absent.Status);
        Assert.Equal("not found by client order id", absent.RejectReason);
        Assert.Equal(Quantity.Zero, absent.Remaining);

        // filled while we were not looking
        Assert.Equal(OrderStatus.Filled, order.ApplyFill(F("t1", 10), T0).Order.Status);
    }

    [Fact]
    public void Immediate_or_cancel_remainder_and_expiry()
    {
        var ioc = NewOrder().Submit(T0).Order.ApplyFill(F("t1", 3), T0).Order;
        Assert.Equal(OrderStatus.PartiallyFilled, ioc.Status);
        ioc = ioc.Cancel(T0).Order;
        Assert.Equal(OrderStatus.Canceled, ioc.Status);

        var expired = Accepted().Expire(T0).Order;
        Assert.Equal(OrderStatus.Expired, expired.Status);
        Assert.Equal(Quantity.Zero, expired.Remaining);
    }
}
