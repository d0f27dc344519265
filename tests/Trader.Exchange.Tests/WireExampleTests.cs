using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Events;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

/// <summary>The recorded demo session of kalshi-api.md §9.4 and §9.6, replayed on the engine.</summary>
public sealed class WireExampleTests
{
    [Fact]
    public void A_far_bid_rests_and_its_cancel_reduces_by_its_size()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var ack = f.Place(me, BookSide.Bid, "0.0100", 1);
        Assert.Equal(Quantity.Zero, ack.FillCount);
        Assert.Equal(Q(1), ack.RemainingCount);
        Assert.Null(ack.AverageFillPrice);
        Assert.Null(ack.AverageFeePaid);
        var order = f.Order(me, ack.OrderId);
        Assert.Equal(Kalshi.Api.ExchangeOrderStatus.Resting, order.Status);
        Assert.Equal(P("0.0100"), order.YesPrice);

        var cancel = f.Exchange.CancelOrder(me, ack.OrderId).Value;
        Assert.Equal(Q(1), cancel.ReducedBy);
        Assert.Equal(Kalshi.Api.ExchangeOrderStatus.Canceled, f.Order(me, ack.OrderId).Status);
        Assert.Equal(404, f.Refused(f.Exchange.CancelOrder(me, ack.OrderId)).HttpStatus);
    }

    [Fact]
    public void An_ioc_bid_at_0_99_fills_at_the_makers_0_52_with_fee_0_0175()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Bid, "0.4700", 3);
        f.Place(maker, BookSide.Ask, "0.5200", 3); // a NO bid at 0.48

        var ack = f.Place(me, BookSide.Bid, "0.9900", 1, TimeInForce.ImmediateOrCancel);
        Assert.Equal(Q(1), ack.FillCount);
        Assert.Equal(Quantity.Zero, ack.RemainingCount);
        Assert.Equal(P("0.5200"), ack.AverageFillPrice);
        Assert.Equal(M("0.0175"), ack.AverageFeePaid);

        var order = f.Order(me, ack.OrderId);
        Assert.Equal(Kalshi.Api.ExchangeOrderStatus.Executed, order.Status);
        Assert.Equal(M("0.520000"), order.TakerFillCost);
        Assert.Equal(M("0.017500"), order.TakerFees);
        Assert.Equal(P("0.9900"), order.YesPrice);

        var fill = Assert.Single(f.Exchange.GetFills(me).Value);
        Assert.Equal(P("0.5200"), fill.YesPrice);
        Assert.Equal(P("0.4800"), fill.NoPrice);
        Assert.Equal(M("0.017500"), fill.Fee);
        Assert.True(fill.IsTaker);
        Assert.Equal(Q(1), fill.PostPosition);

        var book = f.Book();
        Assert.Equal([new(P("0.4700"), Q(3))], book.YesBids);
        Assert.Equal([new(P("0.4800"), Q(2))], book.NoBids);
    }

    [Fact]
    public void Three_yes_buys_give_exposure_2_50_and_fees_0_0189_and_settle_for_3_00()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me", 100m);
        f.Place(maker, BookSide.Ask, "0.5200", 1);
        f.Place(me, BookSide.Bid, "0.9900", 1, TimeInForce.ImmediateOrCancel);
        f.Place(maker, BookSide.Ask, "0.9900", 2);
        f.Place(me, BookSide.Bid, "0.9900", 1, TimeInForce.ImmediateOrCancel);
        f.Place(me, BookSide.Bid, "0.9900", 1, TimeInForce.ImmediateOrCancel);

        var position = f.Position(me)!;
        Assert.Equal(Q(3), position.Position);
        Assert.Equal(M("2.50"), position.MarketExposure);
        Assert.Equal(M("2.50"), position.TotalTraded);
        Assert.Equal(M("0.0189"), position.FeesPaid);
        Assert.Equal(Money.Zero, position.RealizedPnl);
        Assert.Equal(M("97.4811"), f.Available(me));
        Assert.Equal(M("2.97"), f.Exchange.GetBalance(me).Value.PortfolioValue); // an empty book: valued at the last price, 0.99

        var fees = f.Exchange.GetFills(me).Value.Select(x => x.Fee).ToList();
        Assert.Equal([M("0.0007"), M("0.0007"), M("0.0175")], fees);

        f.Exchange.DetermineMarket(Ticker, MarketResult.Yes);
        f.Time.Advance(TimeSpan.FromSeconds(60));
        f.Exchange.AdvanceTime();
        var settlement = Assert.Single(f.Exchange.GetSettlements(me).Value);
        Assert.Equal("yes", settlement.MarketResult);
        Assert.Equal(Q(3), settlement.YesCount);
        Assert.Equal(M("2.50"), settlement.YesTotalCost);
        Assert.Equal(Quantity.Zero, settlement.NoCount);
        Assert.Equal(M("3.00"), settlement.Revenue);
        Assert.Equal(M("0.0189"), settlement.FeeCost);
        Assert.Equal(M("100.4811"), f.Available(me)); // 100 − 2.50 − 0.0189 + 3.00: realized P&L 0.4811
        Assert.Empty(f.Exchange.GetPositions(me).Value);
        Assert.True(f.Exchange.GetLedgerTotals().IsBalanced);
    }

    [Fact]
    public void Self_trade_taker_at_cross_answers_nothing_filled_nothing_left()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        f.Place(me, BookSide.Bid, "0.4700", 3);
        var ack = f.Place(me, BookSide.Ask, "0.4800", 1); // does not cross: rests
        Assert.Equal(Q(1), ack.RemainingCount);
        var cross = f.Place(me, BookSide.Ask, "0.4700", 1);
        Assert.Equal(Quantity.Zero, cross.FillCount);
        Assert.Equal(Quantity.Zero, cross.RemainingCount);
        Assert.Equal(Kalshi.Api.ExchangeOrderStatus.Canceled, f.Order(me, cross.OrderId).Status);
        var update = f.Drain().OfType<OrderUpdated>().Last();
        Assert.Equal(Matching.OrderUpdateReason.SelfTradeCancel, update.Reason);
    }
}
