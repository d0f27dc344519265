using Akka.Actor;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

/// <summary>The market watch's pure logic: book top, freshness, staleness and last actions per market.</summary>
public class MarketWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static BookSnapshotApplied Snapshot(string ticker, long seq, DateTimeOffset at) =>
        new(ticker, seq, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))],
            [new BookLevel(Price.Parse("0.53"), Quantity.FromContracts(150))], at);

    private static DecisionTaken Decision(string id, string ticker, string action, string outcome, DateTimeOffset at) =>
        new(id, ticker, at, new float[52], new float[5], action == "HOLD" ? 0 : 1, action, outcome);

    [Fact]
    public void Configured_markets_show_as_awaiting_a_snapshot_until_one_arrives()
    {
        var watch = new MarketWatch(["B-MKT", "A-MKT"]);
        var views = watch.Views();
        Assert.Equal(["A-MKT", "B-MKT"], views.Select(v => v.Ticker));
        Assert.All(views, v =>
        {
            Assert.Equal(BookState.AwaitingSnapshot, v.Book);
            Assert.Null(v.BestBid);
            Assert.Null(v.LastUpdate);
            Assert.Equal(0, v.Updates);
        });
    }

    [Fact]
    public void A_snapshot_and_deltas_give_the_top_of_book_spread_mid_and_last_update()
    {
        var watch = new MarketWatch();
        watch.Apply(Snapshot("MKT", 1, T0));
        watch.Apply(new BookDeltaApplied("MKT", 2, BookLeg.Yes, Price.Parse("0.46"), Quantity.FromContracts(7), T0.AddSeconds(3), 0));

        var v = Assert.Single(watch.Views());
        Assert.Equal(BookState.Live, v.Book);
        Assert.Equal(new BookLevel(Price.Parse("0.46"), Quantity.FromContracts(7)), v.BestBid);
        Assert.Equal(new BookLevel(Price.Parse("0.47"), Quantity.FromContracts(150)), v.BestAsk); // 1 − NO bid 0.53
        Assert.Equal(100, v.SpreadTicks);
        Assert.Equal(Price.Parse("0.465"), v.Mid);
        Assert.Equal(T0.AddSeconds(3), v.LastUpdate);
        Assert.Equal(2, v.Updates);
        Assert.Null(v.StaleReason);
    }

    [Fact]
    public void A_gap_makes_the_market_stale_with_its_reason_until_the_next_snapshot()
    {
        var watch = new MarketWatch();
        watch.Apply(Snapshot("MKT", 1, T0));
        watch.Apply(new BookGapDetected("MKT", 2, 4, T0.AddSeconds(5)));
        watch.Apply(new MarketStale("MKT", "sequence gap: expected 2, received 4", T0.AddSeconds(5)));
        watch.Apply(new BookDeltaApplied("MKT", 5, BookLeg.Yes, Price.Parse("0.46"), Quantity.FromContracts(7), T0.AddSeconds(6), 0));

        var stale = Assert.Single(watch.Views());
        Assert.Equal(BookState.Invalidated, stale.Book);
        Assert.Equal(T0.AddSeconds(5), stale.StaleSince);
        Assert.Equal("sequence gap: expected 2, received 4", stale.StaleReason);
        Assert.Equal(1, stale.Gaps);
        Assert.Equal(T0, stale.LastUpdate); // the delta after the gap was not applied
        Assert.Equal(Price.Parse("0.45"), stale.BestBid!.Value.Price); // the last known top stays visible

        watch.Apply(Snapshot("MKT", 9, T0.AddSeconds(8)));
        var live = Assert.Single(watch.Views());
        Assert.Equal(BookState.Live, live.Book);
        Assert.Null(live.StaleSince);
        Assert.Null(live.StaleReason);
        Assert.Equal(1, live.Gaps);
        Assert.Equal(T0.AddSeconds(8), live.LastUpdate);
    }

    [Fact]
    public void Actions_keep_their_outcomes_newest_first_holds_only_as_the_last_decision()
    {
        var watch = new MarketWatch(actionsKept: 2);
        watch.Apply(Decision("MKT:1", "MKT", "BUY_YES×5.00", "BUY_YES 5.00 @ 0.4700", T0));
        watch.Apply(new ActionResult("MKT:1", "MKT", ActionOutcome.Placed, "c1"), T0.AddSeconds(1));
        watch.Apply(Decision("MKT:2", "MKT", "SELL_YES×5.00", "SELL_YES 5.00 @ 0.4500", T0.AddSeconds(2)));
        watch.Apply(new ActionResult("MKT:2", "MKT", ActionOutcome.Refused, null, "insufficient_position", "nothing to sell"), T0.AddSeconds(2));
        watch.Apply(Decision("MKT:3", "MKT", "HOLD", "hold", T0.AddSeconds(3)));

        var v = Assert.Single(watch.Views());
        Assert.Equal("HOLD", v.LastDecision!.Action);
        Assert.Equal(["MKT:2", "MKT:1"], v.LastActions.Select(a => a.DecisionId));
        Assert.Equal(ActionOutcome.Refused, v.LastActions[0].Outcome);
        Assert.Equal("insufficient_position", v.LastActions[0].Code);
        Assert.Equal(ActionOutcome.Placed, v.LastActions[1].Outcome);

        // An action from elsewhere (not the decision loop) is listed with its outcome; the oldest falls off.
        watch.Apply(new ActionResult("manual-1", "MKT", ActionOutcome.Rejected, "c9", "market_closed", "market closed"), T0.AddSeconds(4));
        v = Assert.Single(watch.Views());
        Assert.Equal(["manual-1", "MKT:2"], v.LastActions.Select(a => a.DecisionId));
        Assert.Equal("order", v.LastActions[0].Action);
        Assert.Equal(T0.AddSeconds(4), v.LastActions[0].At);
    }
}

/// <summary>The market watch actor and the coordinator's read-model queries the status endpoint relies on.</summary>
public class WatchActorTests(ITestOutputHelper output) : ActorTest(output)
{
    [Fact]
    public void The_market_watch_actor_follows_the_event_stream_and_answers_at_once()
    {
        var watch = Sys.ActorOf(MarketWatchActor.Props(["MKT", "OTHER"]), "market-watch");
        AwaitAssert(() =>
        {
            // Published until the actor has subscribed (PreStart runs asynchronously).
            Sys.EventStream.Publish(new BookSnapshotApplied("MKT", 1, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))], [], Clock.Now));
            watch.Tell(GetMarketViews.Instance);
            var views = ExpectMsg<MarketViewsResponse>().Markets;
            Assert.Equal(["MKT", "OTHER"], views.Select(v => v.Ticker));
            Assert.Equal(BookState.Live, views[0].Book);
            Assert.Equal(BookState.AwaitingSnapshot, views[1].Book);
        });

        Sys.EventStream.Publish(new DecisionTaken("MKT:1", "MKT", Clock.Now, new float[52], new float[5], 1, "BUY_YES×5.00", "BUY_YES 5.00 @ 0.5500"));
        Sys.EventStream.Publish(new ActionResult("MKT:1", "MKT", ActionOutcome.Placed, "c1"));
        AwaitAssert(() =>
        {
            watch.Tell(GetMarketViews.Instance);
            var action = Assert.Single(ExpectMsg<MarketViewsResponse>().Markets[0].LastActions);
            Assert.Equal(ActionOutcome.Placed, action.Outcome);
        });
    }

    [Fact]
    public void The_coordinator_answers_open_orders_and_positions_and_publishes_action_outcomes()
    {
        var api = new FakeKalshiApi();
        var outcomes = CreateTestProbe();
        Sys.EventStream.Subscribe(outcomes.Ref, typeof(ActionResult));
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(api, Settings, new StatusLogStore()), "trader");
        coordinator.Tell(StartTrading.Instance);
        AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance);
            Assert.Equal(TraderState.Ready, ExpectMsg<TraderStatusReport>().State);
        });

        coordinator.Tell(new SubmitAction("d1", "MKT", OrderIntent.BuyYes, Price.Parse("0.40"), Quantity.FromContracts(2)));
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);
        Assert.Equal("d1", outcomes.ExpectMsg<ActionResult>().DecisionId);

        coordinator.Tell(new GetOpenOrders());
        var order = Assert.Single(ExpectMsg<OpenOrdersResponse>().Orders);
        Assert.Equal("MKT", order.Ticker);
        Assert.Equal(Price.Parse("0.40"), order.YesPrice);

        var fill = new Fill("t1", order.ExchangeOrderId!, "MKT", BookSide.Bid, Price.Parse("0.40"), Quantity.FromContracts(2), Money.Parse("0.03"), false, Clock.Now);
        coordinator.Tell(new FillsReceived([fill], "test"));
        AwaitAssert(() =>
        {
            coordinator.Tell(GetPositions.Instance);
            var position = ExpectMsg<PositionsResponse>().Positions["MKT"];
            Assert.Equal(Quantity.FromContracts(2), position.Contracts);
            Assert.Equal(Money.Parse("0.80"), position.CostBasis);
        });

        // A refusal is published too.
        coordinator.Tell(new SubmitAction("d2", "MKT", OrderIntent.SellNo, Price.Parse("0.40"), Quantity.FromContracts(2000)));
        Assert.Equal(ActionOutcome.Refused, ExpectMsg<ActionResult>().Outcome);
        Assert.Equal("d2", outcomes.FishForMessage<ActionResult>(r => r.DecisionId == "d2").DecisionId);
    }
}
