using Trader.Core.Books;
using Trader.Core.Orders;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class SelfTradeAndAmendTests
{
    [Fact]
    public void Taker_at_cross_keeps_the_fills_before_the_own_order_and_cancels_the_rest()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5100", 2);
        var mine = f.Place(me, BookSide.Ask, "0.5200", 2);
        f.Place(maker, BookSide.Ask, "0.5300", 2);
        var ack = f.Place(me, BookSide.Bid, "0.5300", 6, stp: SelfTradePrevention.TakerAtCross);
        Assert.Equal(Q(2), ack.FillCount);
        Assert.Equal(Quantity0, ack.RemainingCount);
        var order = f.Order(me, ack.OrderId);
        Assert.Equal(ExchangeOrderStatus.Canceled, order.Status);
        Assert.Equal(Q(2), order.FillCount);
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(me, mine.OrderId).Status);
        Assert.Equal([new BookLevel(P("0.4700"), Q(2)), new BookLevel(P("0.4800"), Q(2))], f.Book().NoBids);
    }

    [Fact]
    public void Maker_mode_cancels_the_own_resting_order_and_goes_on_matching()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5100", 2);
        var mine = f.Place(me, BookSide.Ask, "0.5200", 2);
        f.Place(maker, BookSide.Ask, "0.5300", 2);
        f.Drain();
        var ack = f.Place(me, BookSide.Bid, "0.5300", 6, stp: SelfTradePrevention.Maker);
        Assert.Equal(Q(4), ack.FillCount);
        Assert.Equal(Q(2), ack.RemainingCount);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, mine.OrderId).Status);
        Assert.Contains(f.Drain().OfType<OrderUpdated>(), u => u.Order.OrderId == mine.OrderId && u.Reason == OrderUpdateReason.SelfTradeCancel);
        Assert.Empty(f.Book().NoBids);
        Assert.Equal([new BookLevel(P("0.5300"), Q(2))], f.Book().YesBids);
    }

    [Fact]
    public void Amend_to_a_smaller_size_at_the_same_price_keeps_the_place_in_line()
    {
        var f = new ExchangeFixture();
        var a = f.User("a");
        var b = f.User("b");
        var taker = f.User("taker");
        var first = f.Place(a, BookSide.Bid, "0.4000", 3);
        var second = f.Place(b, BookSide.Bid, "0.4000", 3);
        var amended = f.Exchange.AmendOrder(a, new AmendOrderRequest(first.OrderId, Ticker, BookSide.Bid, P("0.4000"), Q(2))).Value;
        Assert.Equal(Q(2), amended.RemainingCount);
        Assert.Equal(Quantity0, amended.FillCount);
        f.Place(taker, BookSide.Ask, "0.4000", 2, TimeInForce.ImmediateOrCancel);
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(a, first.OrderId).Status);
        Assert.Equal(Q(3), f.Order(b, second.OrderId).RemainingCount);
    }

    [Fact]
    public void Amend_to_a_larger_size_loses_the_place_in_line()
    {
        var f = new ExchangeFixture();
        var a = f.User("a");
        var b = f.User("b");
        var taker = f.User("taker");
        var first = f.Place(a, BookSide.Bid, "0.4000", 3);
        var second = f.Place(b, BookSide.Bid, "0.4000", 3);
        f.Exchange.AmendOrder(a, new AmendOrderRequest(first.OrderId, Ticker, BookSide.Bid, P("0.4000"), Q(4)));
        f.Place(taker, BookSide.Ask, "0.4000", 3, TimeInForce.ImmediateOrCancel);
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(b, second.OrderId).Status);
        Assert.Equal(Q(4), f.Order(a, first.OrderId).RemainingCount);
        Assert.Equal([new BookLevel(P("0.4000"), Q(4))], f.Book().YesBids);
    }

    [Fact]
    public void Amend_to_a_new_price_loses_the_place_and_takes_what_it_crosses()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 1);
        var mine = f.Place(me, BookSide.Bid, "0.4000", 3, clientOrderId: "mine-1");
        var ack = f.Exchange.AmendOrder(me, new AmendOrderRequest(mine.OrderId, Ticker, BookSide.Bid, P("0.5200"), Q(3),
            ClientOrderId: "mine-1", UpdatedClientOrderId: "mine-2")).Value;
        Assert.Equal(Q(1), ack.FillCount);
        Assert.Equal(Q(2), ack.RemainingCount);
        Assert.Equal(P("0.5200"), ack.AverageFillPrice);
        Assert.Equal("mine-2", ack.ClientOrderId);
        var order = f.Order(me, mine.OrderId);
        Assert.Equal("mine-2", order.ClientOrderId);
        Assert.Equal(P("0.5200"), order.YesPrice);
        Assert.Equal([new BookLevel(P("0.5200"), Q(2))], f.Book().YesBids);
        Assert.Equal(409, f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.1000", 1, clientOrderId: "mine-1"))).HttpStatus);

        // count is the new max fillable: 1 filled + 4 more
        var grown = f.Exchange.AmendOrder(me, new AmendOrderRequest(mine.OrderId, Ticker, BookSide.Bid, P("0.5100"), Q(5))).Value;
        Assert.Equal(Q(4), grown.RemainingCount);
        Assert.Equal(Q(5), f.Order(me, mine.OrderId).InitialCount);
    }

    [Fact]
    public void A_post_only_order_cannot_be_amended_across_the_book()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 1);
        var mine = f.Place(me, BookSide.Bid, "0.4000", 3, postOnly: true);
        var error = f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(mine.OrderId, Ticker, BookSide.Bid, P("0.5200"), Q(3))));
        Assert.Equal("post only cross", error.Details);
        Assert.Equal(P("0.4000"), f.Order(me, mine.OrderId).YesPrice);
    }

    [Fact]
    public void Decrease_keeps_the_place_in_line_and_to_zero_cancels()
    {
        var f = new ExchangeFixture();
        var a = f.User("a");
        var b = f.User("b");
        var taker = f.User("taker");
        var first = f.Place(a, BookSide.Bid, "0.4000", 5);
        var second = f.Place(b, BookSide.Bid, "0.4000", 3);
        var by = f.Exchange.DecreaseOrder(a, new DecreaseOrderRequest(first.OrderId, Q(2), null)).Value;
        Assert.Equal(Q(3), by.RemainingCount);
        var to = f.Exchange.DecreaseOrder(a, new DecreaseOrderRequest(first.OrderId, null, Q(2), Ticker)).Value;
        Assert.Equal(Q(2), to.RemainingCount);
        Assert.Equal(OrderUpdateReason.Decrease, f.Drain().OfType<OrderUpdated>().Last().Reason);
        f.Place(taker, BookSide.Ask, "0.4000", 2, TimeInForce.ImmediateOrCancel);
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(a, first.OrderId).Status);
        Assert.Equal(Q(5), f.Order(a, first.OrderId).InitialCount);

        var zero = f.Exchange.DecreaseOrder(b, new DecreaseOrderRequest(second.OrderId, null, Q(0))).Value;
        Assert.Equal(Quantity0, zero.RemainingCount);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(b, second.OrderId).Status);
        Assert.Empty(f.Book().YesBids);
    }

    private static readonly Trader.Core.Numbers.Quantity Quantity0 = Trader.Core.Numbers.Quantity.Zero;
}
