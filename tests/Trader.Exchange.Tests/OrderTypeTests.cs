using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class OrderTypeTests
{
    [Fact]
    public void Good_till_canceled_fills_what_crosses_and_rests_the_rest()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 2);
        var ack = f.Place(me, BookSide.Bid, "0.5300", 5);
        Assert.Equal(Q(2), ack.FillCount);
        Assert.Equal(Q(3), ack.RemainingCount);
        Assert.Equal(P("0.5200"), ack.AverageFillPrice);
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(me, ack.OrderId).Status);
        Assert.Equal([new BookLevel(P("0.5300"), Q(3))], f.Book().YesBids);
        Assert.Empty(f.Book().NoBids);
    }

    [Fact]
    public void Matching_takes_the_best_price_first_then_the_oldest_order_and_trades_at_each_makers_price()
    {
        var f = new ExchangeFixture();
        var a = f.User("a");
        var b = f.User("b");
        var c = f.User("c");
        var me = f.User("me");
        var first = f.Place(a, BookSide.Ask, "0.5300", 1);
        var second = f.Place(b, BookSide.Ask, "0.5300", 1);
        var best = f.Place(c, BookSide.Ask, "0.5100", 1);

        var ack = f.Place(me, BookSide.Bid, "0.5300", 2, TimeInForce.ImmediateOrCancel);
        Assert.Equal(Q(2), ack.FillCount);
        Assert.Equal(P("0.5200"), ack.AverageFillPrice); // (0.51 + 0.53) / 2
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(c, best.OrderId).Status);
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(a, first.OrderId).Status);
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(b, second.OrderId).Status);
        var prices = f.Exchange.GetFills(me).Value.Select(x => x.YesPrice).Reverse().ToList();
        Assert.Equal([P("0.5100"), P("0.5300")], prices);
    }

    [Fact]
    public void An_ask_is_a_no_bid_at_the_complement_and_sells_into_yes_bids_at_their_price()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Bid, "0.4700", 2);
        f.Place(me, BookSide.Ask, "0.6000", 4);
        Assert.Equal([new BookLevel(P("0.4000"), Q(4))], f.Book().NoBids);

        var ack = f.Place(me, BookSide.Ask, "0.4500", 1, TimeInForce.ImmediateOrCancel);
        Assert.Equal(P("0.4700"), ack.AverageFillPrice);
        Assert.Equal(Q(-1), f.Position(me)!.Position);
        Assert.Equal(M("0.53"), f.Position(me)!.MarketExposure); // the NO leg cost 1 − 0.47
    }

    [Fact]
    public void Immediate_or_cancel_cancels_what_does_not_fill()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 2);
        var ack = f.Place(me, BookSide.Bid, "0.5500", 5, TimeInForce.ImmediateOrCancel);
        Assert.Equal(Q(2), ack.FillCount);
        Assert.Equal(Quantity.Zero, ack.RemainingCount);
        var order = f.Order(me, ack.OrderId);
        Assert.Equal(ExchangeOrderStatus.Canceled, order.Status);
        Assert.Equal(Q(2), order.FillCount);
        Assert.Empty(f.Book().YesBids);

        var none = f.Place(me, BookSide.Bid, "0.4000", 5, TimeInForce.ImmediateOrCancel);
        Assert.Equal(Quantity.Zero, none.FillCount);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, none.OrderId).Status);
        Assert.Equal(M("1000") - M("1.04") - M("0.0350"), f.Available(me)); // 2 × 0.52 and two 0.0175 fees; nothing held back
    }

    [Fact]
    public void Fill_or_kill_fills_everything_or_nothing()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 2);
        f.Place(maker, BookSide.Ask, "0.5400", 2);

        var killed = f.Place(me, BookSide.Bid, "0.5400", 5, TimeInForce.FillOrKill);
        Assert.Equal(Quantity.Zero, killed.FillCount);
        Assert.Equal(Quantity.Zero, killed.RemainingCount);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, killed.OrderId).Status);
        Assert.Equal(2, f.Book().NoBids.Count);

        var filled = f.Place(me, BookSide.Bid, "0.5400", 4, TimeInForce.FillOrKill);
        Assert.Equal(Q(4), filled.FillCount);
        Assert.Equal(P("0.5300"), filled.AverageFillPrice);
        Assert.Equal(ExchangeOrderStatus.Executed, f.Order(me, filled.OrderId).Status);
        Assert.Empty(f.Book().NoBids);
    }

    [Fact]
    public void Fill_or_kill_does_not_count_own_orders_it_would_stop_at()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(me, BookSide.Ask, "0.5200", 2);
        f.Place(maker, BookSide.Ask, "0.5300", 2);
        var killed = f.Place(me, BookSide.Bid, "0.5300", 2, TimeInForce.FillOrKill);
        Assert.Equal(Quantity.Zero, killed.FillCount);
        var skipped = f.Place(me, BookSide.Bid, "0.5300", 2, TimeInForce.FillOrKill, stp: SelfTradePrevention.Maker);
        Assert.Equal(Q(2), skipped.FillCount);
    }

    [Fact]
    public void Post_only_rests_when_it_does_not_cross()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 2);
        var ack = f.Place(me, BookSide.Bid, "0.5100", 1, postOnly: true);
        Assert.Equal(Q(1), ack.RemainingCount);
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(me, ack.OrderId).Status);
    }

    [Fact]
    public void Reduce_only_is_capped_at_the_position_and_canceled_when_there_is_nothing_to_reduce()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        var nothing = f.Place(me, BookSide.Ask, "0.6000", 5, reduceOnly: true);
        Assert.Equal(Quantity.Zero, nothing.RemainingCount);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, nothing.OrderId).Status);
        Assert.Equal(OrderUpdateReason.ReduceOnlyCancel, f.Drain().OfType<OrderUpdated>().Last().Reason);

        f.Place(maker, BookSide.Ask, "0.5000", 3);
        f.Place(me, BookSide.Bid, "0.5000", 3); // long 3 YES
        var capped = f.Place(me, BookSide.Ask, "0.6000", 5, reduceOnly: true);
        Assert.Equal(Q(3), capped.RemainingCount);
        var more = f.Place(me, BookSide.Ask, "0.6100", 1, reduceOnly: true);
        Assert.Equal(Quantity.Zero, more.RemainingCount); // the first already covers the whole position
        var sameSide = f.Place(me, BookSide.Bid, "0.4000", 1, reduceOnly: true);
        Assert.Equal(Quantity.Zero, sameSide.RemainingCount); // a bid would add to a YES position
    }

    [Fact]
    public void Resting_reduce_only_orders_shrink_when_the_position_shrinks()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5000", 3);
        f.Place(me, BookSide.Bid, "0.5000", 3);
        var ro = f.Place(me, BookSide.Ask, "0.7000", 3, reduceOnly: true);
        f.Place(maker, BookSide.Bid, "0.5500", 2);
        f.Place(me, BookSide.Ask, "0.5500", 2, TimeInForce.ImmediateOrCancel); // sells 2 of the 3
        var order = f.Order(me, ro.OrderId);
        Assert.Equal(Q(1), order.RemainingCount);
        Assert.Contains(f.Drain().OfType<OrderUpdated>(), u => u.Order.OrderId == ro.OrderId && u.Reason == OrderUpdateReason.ReduceOnlyCancel);
        Assert.Equal([new BookLevel(P("0.3000"), Q(1))], f.Book().NoBids);
    }

    [Fact]
    public void A_good_till_canceled_order_with_an_expiration_time_is_canceled_when_the_time_comes()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var ack = f.Place(me, BookSide.Bid, "0.4000", 2, expiration: Start.AddMinutes(5));
        f.Time.Advance(TimeSpan.FromMinutes(4));
        f.Exchange.AdvanceTime();
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(me, ack.OrderId).Status);
        f.Drain();
        f.Time.Advance(TimeSpan.FromMinutes(2));
        f.Exchange.AdvanceTime();
        var order = f.Order(me, ack.OrderId);
        Assert.Equal(ExchangeOrderStatus.Canceled, order.Status);
        Assert.Equal(Start.AddMinutes(5), order.LastUpdateTime);
        Assert.Empty(f.Book().YesBids);
        var events = f.Drain();
        var delta = Assert.Single(events.OfType<OrderBookDelta>());
        Assert.Equal(Q(-2), delta.Delta);
        Assert.Equal(OrderUpdateReason.ExpiryCancel, Assert.Single(events.OfType<OrderUpdated>()).Reason);
        Assert.Equal(M("1000"), f.Available(me));
    }
}
