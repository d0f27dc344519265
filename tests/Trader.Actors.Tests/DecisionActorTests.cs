using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Status;
using Trader.Core.Actions;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Core.Trading;
using Trader.Policy;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

public class DecisionActorTests : ActorTest
{
    private readonly TestProbe _coordinator;
    private readonly TraderMetrics _metrics = new();
    private long _seq = 1;

    public DecisionActorTests(ITestOutputHelper output) : base(output) => _coordinator = CreateTestProbe();

    /// <summary>A policy that answers a fixed action, can throw, and can hold its first call until released.</summary>
    private sealed class ScriptedPolicy(int action) : IPolicy
    {
        public int Action { get; set; } = action;
        public Exception? Failure { get; set; }
        public ManualResetEventSlim? Gate { get; set; }
        public int Calls;

        public string Name => "scripted";
        public int ActionCount => 5;

        public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context)
        {
            Assert.Equal(52, observation.Length);
            if (Interlocked.Increment(ref Calls) == 1 && Gate is { } gate) gate.Wait(TimeSpan.FromSeconds(10));
            if (Failure is { } f) throw f;
            return new PolicyDecision(Action);
        }
    }

    private IActorRef Start(ScriptedPolicy policy, DecisionSettings? settings = null, TraderState state = TraderState.Ready)
    {
        var actor = Sys.ActorOf(DecisionActor.Props(policy, ActionSpace.FiveActions(Quantity.FromContracts(5)), settings ?? new DecisionSettings(),
            _coordinator.Ref, _metrics), "decisions");
        _coordinator.ExpectMsg<GetTraderStatus>();
        actor.Tell(new TraderStatusReport(state, Clock.Now, TradingState.Empty, null, 1, Clock.Now, []));
        Sys.EventStream.Publish(new PortfolioUpdated(Money.FromDollars(1000), Money.FromDollars(1000),
            ImmutableDictionary<string, Position>.Empty, new Dictionary<string, OpenOrderSummary>()));
        Sys.EventStream.Publish(new BookSnapshotApplied("MKT", _seq, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))],
            [new BookLevel(Price.Parse("0.53"), Quantity.FromContracts(150))], Clock.Now));
        return actor;
    }

    private void Delta(string ticker = "MKT", string price = "0.44", long contracts = 10) =>
        Sys.EventStream.Publish(new BookDeltaApplied(ticker, ++_seq, BookLeg.Yes, Price.Parse(price), Quantity.FromContracts(contracts), Clock.Now, Stopwatch.GetTimestamp()));

    private DecisionStats Stats(IActorRef actor)
    {
        actor.Tell(GetDecisionStats.Instance);
        return ExpectMsg<DecisionStats>();
    }

    [Fact]
    public void A_delta_leads_to_an_action_priced_at_the_best_opposite_price()
    {
        var decisions = Start(new ScriptedPolicy(1)); // BUY_YES
        Delta();
        var action = _coordinator.ExpectMsg<SubmitAction>();
        Assert.Equal("MKT", action.Ticker);
        Assert.Equal(OrderIntent.BuyYes, action.Intent);
        Assert.Equal(Price.Parse("0.47"), action.Price);          // YES ask = 1 − best NO bid 0.53
        Assert.Equal(Quantity.FromContracts(5), action.Count);
        Assert.Equal(1, Stats(decisions).Decisions);
        Assert.Equal(1, _metrics.Actions.Value("buy_yes"));
        Assert.Equal(1, _metrics.DecisionLatency.Count);
    }

    [Fact]
    public void The_observation_values_the_portfolio_as_cash_plus_positions_not_kalshis_positions_only_figure()
    {
        var decisions = CreateTestProbe();
        Sys.EventStream.Subscribe(decisions.Ref, typeof(DecisionTaken));
        Start(new ScriptedPolicy(0));
        // Kalshi's portfolio_value is the positions alone (here a stale $0 from before the fill); cash is $1,000 and the
        // trader holds 10 YES in MKT, whose book (YES bid 0.45, YES ask 0.47) marks them at 0.46.
        var position = new Position("MKT").ApplyFill(BookSide.Bid, Price.Parse("0.46"), Quantity.FromContracts(10), Money.Zero);
        Sys.EventStream.Publish(new PortfolioUpdated(Money.FromDollars(1000), Money.Zero,
            ImmutableDictionary<string, Position>.Empty.Add("MKT", position), new Dictionary<string, OpenOrderSummary>()));
        Delta();

        var obs = decisions.ExpectMsg<DecisionTaken>().Observation;
        const double pv = 100_000 + 460; // cents: cash + 10 × 46¢
        Assert.Equal((float)(100_000 / pv), obs[Core.Observations.ObservationLayout.CashRatio], 1e-6f);
        Assert.Equal((float)(460 / pv), obs[Core.Observations.ObservationLayout.PositionRatio], 1e-6f);
        Assert.Equal((float)(460 / pv / 2), obs[Core.Observations.ObservationLayout.Leverage], 1e-6f);
        Assert.Equal(0.1f, obs[Core.Observations.ObservationLayout.PositionCount]);
    }

    [Fact]
    public void A_decision_actor_that_starts_after_the_snapshots_asks_for_the_books_and_then_decides()
    {
        var requests = CreateTestProbe();
        Sys.EventStream.Subscribe(requests.Ref, typeof(RepublishBooks));
        // The book's snapshot went by before the actor existed (the market-data actor connected while a model loaded).
        Sys.EventStream.Publish(new BookSnapshotApplied("LATE", 7, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))],
            [new BookLevel(Price.Parse("0.53"), Quantity.FromContracts(150))], Clock.Now));
        Start(new ScriptedPolicy(1));
        requests.ExpectMsg<RepublishBooks>();
        // What the market-data actor answers: the book as it stands, at its sequence number.
        Sys.EventStream.Publish(new BookSnapshotApplied("LATE", 7, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))],
            [new BookLevel(Price.Parse("0.53"), Quantity.FromContracts(150))], Clock.Now));
        Sys.EventStream.Publish(new BookDeltaApplied("LATE", 8, BookLeg.Yes, Price.Parse("0.44"), Quantity.FromContracts(10), Clock.Now, Stopwatch.GetTimestamp()));
        Assert.Equal("LATE", _coordinator.ExpectMsg<SubmitAction>().Ticker);
    }

    [Fact]
    public void Holds_are_counted_as_no_ops_and_send_no_order()
    {
        var decisions = Start(new ScriptedPolicy(0));
        Delta();
        Assert.False(_coordinator.ExpectMsg<CountDecision>().Traded);
        Assert.Equal(1, Stats(decisions).Actions["hold"]);
    }

    [Fact]
    public void Nothing_is_decided_while_the_coordinator_is_not_ready()
    {
        var decisions = Start(new ScriptedPolicy(1), state: TraderState.Calibrating);
        Delta();
        AwaitAssert(() => Assert.Equal(1, Stats(decisions).Skipped["not_ready"]));
        Delta();
        AwaitAssert(() => Assert.Equal(2, Stats(decisions).Skipped["not_ready"]));
        Assert.Equal(2, _metrics.DecisionSkips.Value("not_ready"));
        _coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Sys.EventStream.Publish(new TraderStateChanged(TraderState.Calibrating, TraderState.Ready, Clock.Now, null));
        Delta();
        _coordinator.ExpectMsg<SubmitAction>();
    }

    [Fact]
    public void Stale_markets_are_skipped_until_a_new_snapshot()
    {
        var decisions = Start(new ScriptedPolicy(1));
        Sys.EventStream.Publish(new MarketStale("MKT", "orderbook stream down", Clock.Now));
        Delta();
        _coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Sys.EventStream.Publish(new BookSnapshotApplied("MKT", ++_seq, [new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(100))],
            [new BookLevel(Price.Parse("0.53"), Quantity.FromContracts(150))], Clock.Now));
        Delta();
        _coordinator.ExpectMsg<SubmitAction>();
        Assert.Equal(0, Stats(decisions).Skipped.GetValueOrDefault("stale")); // the stale delta was not applied, so not decided
    }

    [Fact]
    public void A_burst_of_deltas_coalesces_into_one_decision_on_the_latest_book()
    {
        var gate = new ManualResetEventSlim(false);
        var policy = new ScriptedPolicy(0) { Gate = gate };
        var decisions = Start(policy);
        Delta();                                              // first decision blocks in the policy
        AwaitCondition(() => policy.Calls == 1);
        for (int i = 0; i < 20; i++) Delta(price: "0.44", contracts: 1);
        gate.Set();
        AwaitAssert(() => Assert.Equal(2, Stats(decisions).Decisions));   // one for the first delta, one for the 20
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, policy.Calls);
    }

    [Fact]
    public void A_market_is_throttled_after_an_order()
    {
        var decisions = Start(new ScriptedPolicy(1));
        Delta();
        _coordinator.ExpectMsg<SubmitAction>();
        Delta();
        AwaitAssert(() => Assert.Equal(1, Stats(decisions).Skipped["throttled"]));
        Clock.Advance(TimeSpan.FromMilliseconds(250));
        Delta();
        _coordinator.ExpectMsg<SubmitAction>();
    }

    [Fact]
    public void A_market_that_keeps_failing_is_disabled_then_retried()
    {
        var policy = new ScriptedPolicy(0) { Failure = new InvalidOperationException("model exploded") };
        var decisions = Start(policy, new DecisionSettings { ErrorsBeforeDisable = 2, DisableFor = TimeSpan.FromSeconds(300) });
        for (int i = 0; i < 3; i++)
        {
            Delta();
            int calls = i + 1;
            AwaitCondition(() => policy.Calls == calls);
        }
        Delta();
        AwaitAssert(() => Assert.Equal(1, Stats(decisions).Skipped["disabled"]));
        Assert.Contains("MKT", Stats(decisions).DisabledUntil.Keys);

        policy.Failure = null;
        Clock.Advance(TimeSpan.FromSeconds(300));
        Delta();
        Assert.False(_coordinator.FishForMessage<CountDecision>(_ => true).Traded);
        Assert.Empty(Stats(decisions).DisabledUntil);
    }

    [Fact]
    public void Rejected_orders_count_as_errors_refusals_do_not()
    {
        var decisions = Start(new ScriptedPolicy(1), new DecisionSettings { ErrorsBeforeDisable = 1, Throttle = TimeSpan.FromMilliseconds(1) });
        decisions.Tell(new ActionResult("x", "MKT", ActionOutcome.Refused, Code: "cash_reserve_hit"));
        decisions.Tell(new ActionResult("x", "MKT", ActionOutcome.Rejected, Code: "insufficient_balance"));
        decisions.Tell(new ActionResult("x", "MKT", ActionOutcome.Unknown, Code: "outcome_unknown"));
        var stats = Stats(decisions);
        Assert.Equal(1, stats.Skipped["refused:cash_reserve_hit"]);
        Assert.Equal(1, _metrics.DecisionSkips.Value("refused:cash_reserve_hit"));
        Assert.Contains("MKT", stats.DisabledUntil.Keys);
    }

    [Fact]
    public void A_policy_whose_action_space_differs_stops_the_actor_at_start()
    {
        var actor = Sys.ActorOf(DecisionActor.Props(new ScriptedPolicy(0), ActionSpace.TwentyOneActions(), new DecisionSettings(), _coordinator.Ref, _metrics));
        Watch(actor);
        ExpectTerminated(actor);
    }
}
