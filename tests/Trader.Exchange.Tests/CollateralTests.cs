using Trader.Core.Numbers;
using Trader.Core.Orders;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

/// <summary>The collateral model: buying a leg locks its price, netting and reduce-only free collateral.</summary>
public sealed class CollateralTests
{
    [Fact]
    public void Buying_no_locks_one_minus_the_yes_price()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me", 10m);
        f.Place(maker, BookSide.Bid, "0.3000", 10);
        f.Place(me, BookSide.Ask, "0.3000", 10); // buys 10 NO at 0.70
        Assert.Equal(M("10") - M("7") - M("0.1470"), f.Available(me));
        Assert.Equal(M("7"), f.Position(me)!.MarketExposure);
    }

    [Fact]
    public void Selling_what_is_held_pays_out_instead_of_locking_more()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me", 10m);
        f.Place(maker, BookSide.Ask, "0.4000", 10);
        f.Place(me, BookSide.Bid, "0.4000", 10); // long 10 YES for 4.00 + 0.1680
        var afterBuy = f.Available(me);
        Assert.Equal(M("5.8320"), afterBuy);

        // an ask for the 10 held needs no collateral, only its fee bound: 10 × fee(0.60) + 0.0001
        f.Place(me, BookSide.Ask, "0.6000", 10);
        Assert.Equal(afterBuy - M("0.1681"), f.Available(me));
        // 10 more would open NO at 0.40: that part locks 4.00
        f.Place(me, BookSide.Ask, "0.6000", 10);
        Assert.Equal(afterBuy - M("0.1681") - M("4.1681"), f.Available(me));
        Assert.Equal("insufficient_balance", f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Ask, "0.6000", 10))).Code);

        f.Exchange.CancelAllOrders(me);
        f.Place(maker, BookSide.Bid, "0.6000", 10);
        f.Place(me, BookSide.Ask, "0.6000", 10, TimeInForce.ImmediateOrCancel); // sells the 10 YES: buys NO at 0.40 and redeems pairs
        Assert.Equal(afterBuy + M("6") - M("0.1680"), f.Available(me));
        var position = f.Position(me)!;
        Assert.Equal(Quantity.Zero, position.Position);
        Assert.Equal(M("2"), position.RealizedPnl);
        Assert.Equal(M("0.3360"), position.FeesPaid);
        Assert.True(f.Exchange.GetLedgerTotals().IsBalanced);
        Assert.Equal(Money.Zero, f.Exchange.GetLedgerTotals().Collateral); // the maker bought back the YES it had sold: nothing outstanding
    }

    [Fact]
    public void Netting_a_no_purchase_against_a_yes_position_frees_the_pair_collateral()
    {
        var f = new ExchangeFixture();
        var a = f.User("a");
        var b = f.User("b");
        var c = f.User("c");
        f.Place(a, BookSide.Bid, "0.4000", 5);
        f.Place(b, BookSide.Ask, "0.4000", 5); // a long 5 YES, b long 5 NO: 5 contracts outstanding
        Assert.Equal(M("5"), f.Exchange.GetLedgerTotals().Collateral);
        f.Place(c, BookSide.Bid, "0.7000", 5);
        f.Place(a, BookSide.Ask, "0.7000", 5); // a sells to c: a's pairs redeem, c holds the YES now
        Assert.Equal(M("5"), f.Exchange.GetLedgerTotals().Collateral);
        Assert.Equal(Quantity.Zero, f.Position(a)!.Position);
        Assert.Equal(M("1.50"), f.Position(a)!.RealizedPnl);
        f.Place(b, BookSide.Bid, "0.7000", 5, TimeInForce.ImmediateOrCancel); // nothing rests at 0.70 on the ask side
        f.Place(c, BookSide.Ask, "0.2000", 5);
        f.Place(b, BookSide.Bid, "0.2000", 5); // b buys YES against its NO: both flat, collateral returned
        Assert.Equal(Money.Zero, f.Exchange.GetLedgerTotals().Collateral);
        Assert.True(f.Exchange.GetLedgerTotals().IsBalanced);
    }

    [Fact]
    public void Reduce_only_orders_lock_no_collateral_for_what_they_close()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me", 10m);
        f.Place(maker, BookSide.Bid, "0.8000", 10);
        f.Place(me, BookSide.Ask, "0.8000", 10); // long 10 NO at 0.20
        var before = f.Available(me);
        f.Place(me, BookSide.Bid, "0.9000", 10, reduceOnly: true); // closes the NO: no price locked
        Assert.Equal(before - M("0.1751"), f.Available(me));
    }

    [Fact]
    public void A_taker_whose_per_fill_fee_rounding_outruns_its_reservation_stops_with_margin_cancel()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        // the reservation of one contract at 0.50 (0.50 + fee bound 0.0175 + 0.0001) and $0.0001 more
        var me = f.User("me", 0.5177m);
        for (int i = 0; i < 100; i++) f.Place(maker, BookSide.Ask, "0.5000", 0.01m);
        f.Drain();
        // 100 fills of 0.01: each fee 0.07 × 0.01 × 0.25 = 0.000175 → 0.0002, i.e. 0.000025 more than its share of the
        // 0.0175 held back; the spare 0.0001 pays for four fills, the fifth cannot be afforded
        var ack = f.Place(me, BookSide.Bid, "0.5000", 1);
        Assert.Equal(Q(0.04m), ack.FillCount);
        Assert.Equal(Quantity.Zero, ack.RemainingCount);
        Assert.Equal(Kalshi.Api.ExchangeOrderStatus.Canceled, f.Order(me, ack.OrderId).Status);
        Assert.Equal(Matching.OrderUpdateReason.MarginCancel, f.Drain().OfType<Events.OrderUpdated>().Last(u => u.UserId == me).Reason);
        Assert.False(f.Available(me).IsNegative);
        Assert.True(f.Exchange.GetLedgerTotals().IsBalanced);
    }
}
