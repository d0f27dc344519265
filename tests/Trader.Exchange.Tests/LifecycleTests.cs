using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void The_schedule_opens_closes_determines_and_settles_the_market()
    {
        var f = new ExchangeFixture();
        var yes = f.User("yes", 100m);
        var no = f.User("no", 100m);
        f.Place(yes, BookSide.Bid, "0.6000", 10);
        f.Place(no, BookSide.Ask, "0.6000", 4); // no buys 4 NO at 0.40
        var resting = f.Place(yes, BookSide.Bid, "0.3000", 2);
        Assert.Equal("active", f.Exchange.GetMarket(Ticker).Value.Status);
        f.Drain();

        f.Time.Advance(TimeSpan.FromHours(10)); // the close time; no determination time is listed, so also determined
        var info = f.Exchange.GetMarket(Ticker).Value;
        Assert.Equal("determined", info.Status);
        Assert.Contains(info.Result, new[] { "yes", "no" });
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(yes, resting.OrderId).Status);
        var closing = f.Drain();
        Assert.Contains(closing.OfType<OrderUpdated>(), u => u.Reason == OrderUpdateReason.CloseCancel);
        Assert.Contains(closing.OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.Determined);
        Assert.Empty(f.Book().YesBids);
        Assert.Equal(400, f.Refused(f.Exchange.CreateOrder(yes, f.Request(BookSide.Bid, "0.5000", 1))).HttpStatus);

        f.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("finalized", f.Exchange.GetMarket(Ticker).Value.Status);
        Assert.Single(f.Exchange.GetSettlements(yes).Value);
        Assert.True(f.Exchange.GetLedgerTotals().IsBalanced);
    }

    [Fact]
    public void Determination_and_settlement_pay_one_dollar_per_winning_contract_and_remove_the_positions()
    {
        var f = new ExchangeFixture();
        var yes = f.User("yes", 100m);
        var no = f.User("no", 100m);
        f.Place(yes, BookSide.Bid, "0.6000", 10);
        f.Place(no, BookSide.Ask, "0.6000", 4);
        var before = f.Exchange.GetLedgerTotals();
        Assert.Equal(M("4"), before.Collateral);
        Assert.True(before.IsBalanced);
        f.Drain();

        f.Exchange.DetermineMarket(Ticker, MarketResult.No);
        var determined = f.Drain();
        Assert.Contains(determined.OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.CloseDateUpdated);
        var d = Assert.Single(determined.OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.Determined);
        Assert.Equal(MarketResult.No, d.Result);
        Assert.Equal(Price.Zero, d.SettlementValue);
        Assert.Equal("determined", f.Exchange.GetMarket(Ticker).Value.Status);
        Assert.Equal("no", f.Exchange.GetMarket(Ticker).Value.Result);
        Assert.Single(f.Exchange.GetPositions(yes).Value); // not paid yet

        f.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("finalized", f.Exchange.GetMarket(Ticker).Value.Status);
        var events = f.Drain();
        Assert.Contains(events.OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.Settled);
        Assert.Equal(2, events.OfType<UserSettled>().Count());

        var noSettlement = Assert.Single(f.Exchange.GetSettlements(no).Value);
        Assert.Equal(Q(4), noSettlement.NoCount);
        Assert.Equal(M("1.60"), noSettlement.NoTotalCost);
        Assert.Equal(M("4"), noSettlement.Revenue);
        var yesSettlement = Assert.Single(f.Exchange.GetSettlements(yes).Value);
        Assert.Equal(Q(4), yesSettlement.YesCount);
        Assert.Equal(Money.Zero, yesSettlement.Revenue);
        Assert.Empty(f.Exchange.GetPositions(yes).Value);
        Assert.Empty(f.Exchange.GetPositions(no).Value);
        var after = f.Exchange.GetLedgerTotals();
        Assert.True(after.IsBalanced);
        Assert.Equal(Money.Zero, after.Collateral);
        Assert.Equal(M("100") - M("1.60") - M("0.0672") + M("4"), f.Available(no)); // the taker paid 4 × 0.0168
        Assert.Equal(M("100") - M("2.40"), f.Available(yes)); // a maker on a quadratic series pays no fee
    }

    [Fact]
    public void A_scheduled_determination_uses_the_listed_result_and_settles_after_the_timer()
    {
        var f = new ExchangeFixture();
        var listing = new Markets.MarketDefinition
        {
            Ticker = "KXSCHED-1", EventTicker = "KXSCHED", SeriesTicker = "KXSCHED", Title = "scheduled",
            OpenTime = Start, CloseTime = Start.AddMinutes(30), DeterminationTime = Start.AddMinutes(40),
            SettlementTimer = TimeSpan.FromMinutes(5), Result = MarketResult.Yes,
        };
        var exchange = new SimulatedExchange([listing], f.Time);
        exchange.Deposit("u", M("10"));
        exchange.Deposit("v", M("10"));
        exchange.CreateOrder("u", f.Request(BookSide.Bid, "0.3000", 2, ticker: "KXSCHED-1"));
        exchange.CreateOrder("v", f.Request(BookSide.Ask, "0.3000", 2, ticker: "KXSCHED-1"));
        exchange.Events!.Drain();
        f.Time.Advance(TimeSpan.FromMinutes(44));
        Assert.Equal("determined", exchange.GetMarket("KXSCHED-1").Value.Status);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("finalized", exchange.GetMarket("KXSCHED-1").Value.Status);
        var lifecycle = exchange.Events.Drain().OfType<MarketLifecycleEvent>().ToList();
        Assert.Equal([MarketLifecycleKind.Determined, MarketLifecycleKind.Settled], lifecycle.Select(e => e.Kind));
        Assert.Equal(Start.AddMinutes(40), lifecycle[0].Time);
        Assert.Equal(Start.AddMinutes(45), lifecycle[1].Time);
        Assert.Equal(M("10") - M("0.60") + M("2"), exchange.GetBalance("u").Value.Cash);
        Assert.Equal(M("10") - M("1.40") - M("0.0294"), exchange.GetBalance("v").Value.Cash);
    }

    [Fact]
    public void Pause_cancels_cancel_on_pause_orders_and_resume_cancels_the_rest()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var keep = f.Place(me, BookSide.Bid, "0.4000", 1);
        var drop = f.Place(me, BookSide.Bid, "0.3000", 1, cancelOnPause: true);
        f.Drain();
        f.Exchange.PauseMarket(Ticker);
        Assert.Equal("inactive", f.Exchange.GetMarket(Ticker).Value.Status);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, drop.OrderId).Status);
        Assert.Equal(ExchangeOrderStatus.Resting, f.Order(me, keep.OrderId).Status);
        var paused = f.Drain();
        Assert.Contains(paused.OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.Deactivated);
        Assert.Contains(paused.OfType<OrderUpdated>(), u => u.Reason == OrderUpdateReason.HaltCancel);

        f.Exchange.ResumeMarket(Ticker);
        Assert.Equal(ExchangeOrderStatus.Canceled, f.Order(me, keep.OrderId).Status);
        Assert.Contains(f.Drain().OfType<MarketLifecycleEvent>(), e => e.Kind == MarketLifecycleKind.Activated);
        Assert.Equal(409, f.Refused(f.Exchange.ResumeMarket(Ticker)).HttpStatus);
    }

    [Fact]
    public void Moving_the_close_time_publishes_close_date_updated_and_closes_on_the_new_time()
    {
        var f = new ExchangeFixture();
        f.Drain();
        f.Exchange.SetCloseTime(Ticker, Start.AddMinutes(15));
        var e = Assert.Single(f.Drain().OfType<MarketLifecycleEvent>());
        Assert.Equal(MarketLifecycleKind.CloseDateUpdated, e.Kind);
        Assert.Equal(Start.AddMinutes(15), e.CloseTime);
        f.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal("determined", f.Exchange.GetMarket(Ticker).Value.Status); // listed without a determination time: at close
        Assert.Single(f.Exchange.GetMarkets(new MarketQuery(Status: "closed")));
        Assert.Equal(2, f.Exchange.GetMarkets(new MarketQuery(Status: "open")).Count);
    }
}
