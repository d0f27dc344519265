using Akka.Actor;
using Akka.TestKit;
using Trader.Actors.Coordinator;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Actors.Sync;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

public class CoordinatorActorTests : ActorTest
{
    private readonly FakeKalshiApi _api = new();
    private readonly StatusLogStore _store = new();
    private readonly TestProbe _states;
    private int _decisions;

    public CoordinatorActorTests(ITestOutputHelper output) : base(output)
    {
        _states = CreateTestProbe();
        Sys.EventStream.Subscribe(_states.Ref, typeof(TraderStateChanged));
    }

    private IActorRef StartCoordinator(TraderSettings? settings = null, bool start = true)
    {
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(_api, settings ?? Settings, _store), "trader");
        if (start) coordinator.Tell(StartTrading.Instance);
        return coordinator;
    }

    private void ExpectState(TraderState state) =>
        _states.FishForMessage<TraderStateChanged>(s => s.To == state, TimeSpan.FromSeconds(10), $"state {state}");

    private IActorRef StartReady(TraderSettings? settings = null)
    {
        var c = StartCoordinator(settings);
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        return c;
    }

    /// <summary>
    /// Returns once the coordinator has finished handling what it was handling. Its state change is published, and its
    /// status line sent, before the timer that handler starts (a retry, the periodic recalibration) is scheduled: a test
    /// that moves virtual time on seeing either could move it too early, and the timer would then fire late or never.
    /// </summary>
    private void AwaitSettled(IActorRef coordinator)
    {
        var probe = CreateTestProbe();
        coordinator.Tell(GetTraderStatus.Instance, probe.Ref);
        probe.ExpectMsg<TraderStatusReport>();
    }

    private SubmitAction Buy(string ticker = "MKT", string price = "0.51", long count = 5) =>
        new($"d{++_decisions}", ticker, OrderIntent.BuyYes, Price.Parse(price), Quantity.FromContracts(count));

    private List<string> StatusLines() => _store.Current.Entries.Select(e => e.Status + (e.Result is null ? "" : " " + e.Result)).ToList();

    [Fact]
    public void Idle_until_started_then_calibrates_to_ready_with_the_status_log_of_each_step()
    {
        var coordinator = StartCoordinator(start: false);
        coordinator.Tell(Buy());
        Assert.Equal("trader_idle", ExpectMsg<ActionResult>().Code);

        coordinator.Tell(StartTrading.Instance);
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        AwaitAssert(() =>
        {
            var lines = StatusLines();
            Assert.Equal("calibrating startup", lines[0]);
            Assert.Equal("calibrating -> checking exchange", lines[1]);
            Assert.Equal("calibrating -> health checks exchange: ✓", lines[2]);
            Assert.StartsWith("calibrating -> syncing state Balance: $1000.00 | Portfolio: $1000.00 | Positions: 0 active", lines[3]);
            Assert.Equal("ready cash $1000.00", lines[4]);
        });
        Assert.Equal("ready", _store.Current.CurrentState);
        Assert.Equal("calibrating", _store.Current.PreviousState);

        coordinator.Tell(GetTraderStatus.Instance);
        var report = ExpectMsg<TraderStatusReport>();
        Assert.Equal(TraderState.Ready, report.State);
        Assert.Equal(1, report.Calibrations);
    }

    [Fact]
    public void An_action_moves_ready_to_acting_and_back_once_the_order_is_placed()
    {
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        ExpectState(TraderState.Acting);
        var result = ExpectMsg<ActionResult>();
        Assert.Equal(ActionOutcome.Placed, result.Outcome);
        Assert.True(result.Executed);
        ExpectState(TraderState.Ready);
        Assert.Single(_api.Creates);
        AwaitAssert(() => Assert.Equal(1, _store.Current.CurrentStats.Trades));
    }

    [Fact]
    public void Pre_trade_checks_refuse_with_named_reasons()
    {
        _api.Balance = new AccountBalance(Money.Parse("50"), Money.Parse("50"));
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        var refused = ExpectMsg<ActionResult>();
        Assert.Equal(ActionOutcome.Refused, refused.Outcome);
        Assert.Equal("cash_reserve_hit", refused.Code);
        Assert.Equal("Cash balance $50.00 below reserve $100.00", refused.Message);
        Assert.Empty(_api.Creates);

        coordinator.Tell(new PauseTrading("operator"));
        coordinator.Tell(Buy());
        Assert.Equal("trading_paused", ExpectMsg<ActionResult>().Code);
    }

    [Fact]
    public void Position_and_open_order_limits()
    {
        var settings = Settings with { Risk = Settings.Risk with { MaxOpenOrdersPerMarket = 1, MaxPositionPerMarket = Quantity.FromContracts(8) } };
        var coordinator = StartReady(settings);
        coordinator.Tell(Buy(count: 9));
        Assert.Equal("position_limit", ExpectMsg<ActionResult>().Code);
        coordinator.Tell(Buy());
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);
        AwaitAssert(() =>
        {
            coordinator.Tell(Buy(count: 1));
            Assert.Equal("open_order_limit", ExpectMsg<ActionResult>().Code);
        });
    }

    [Fact]
    public void Actions_during_calibration_wait_and_are_released_when_ready()
    {
        _api.ReadGate = new TaskCompletionSource();
        var coordinator = StartCoordinator();
        ExpectState(TraderState.Calibrating);
        coordinator.Tell(Buy());
        coordinator.Tell(Buy(ticker: "OTHER"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _api.ReadGate.SetResult();
        ExpectState(TraderState.Ready);
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);
        Assert.Equal(2, _api.Creates.Count);
    }

    [Fact]
    public void Actions_that_waited_too_long_are_refused_as_stale()
    {
        _api.ReadGate = new TaskCompletionSource();
        var coordinator = StartCoordinator();
        ExpectState(TraderState.Calibrating);
        coordinator.Tell(Buy());
        coordinator.Tell(GetTraderStatus.Instance);
        ExpectMsg<TraderStatusReport>(); // the action is queued
        Clock.Advance(Settings.MaxStashedActionAge + TimeSpan.FromSeconds(1));
        _api.ReadGate.SetResult();
        var result = ExpectMsg<ActionResult>();
        Assert.Equal("stale", result.Code);
        Assert.Empty(_api.Creates);
    }

    [Fact]
    public void Exchange_down_goes_to_error_refuses_actions_and_recovers_with_backoff()
    {
        _api.ReadFailure = new KalshiTransportException("connection refused");
        var coordinator = StartCoordinator();
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Error);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("error calibration failed: exchange status: connection refused | retry in 10s")));

        coordinator.Tell(Buy());
        var refused = ExpectMsg<ActionResult>();
        Assert.Equal("trader_error", refused.Code);
        Assert.Contains("connection refused", refused.Message);

        // First retry after 10 s, still down → next retry after 20 s.
        Clock.Advance(TimeSpan.FromSeconds(10));
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Error);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.EndsWith("retry in 20s")));
        AwaitSettled(coordinator); // the 20 s retry is scheduled
        Clock.Advance(TimeSpan.FromSeconds(10));
        _states.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        _api.ReadFailure = null;
        Clock.Advance(TimeSpan.FromSeconds(10));
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
    }

    [Fact]
    public void Exchange_reporting_inactive_is_a_failed_calibration_and_paused_trading_a_denial()
    {
        _api.Status = new ExchangeStatus(false, false, new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        var coordinator = StartCoordinator();
        ExpectState(TraderState.Error);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.Contains("exchange inactive until 2026-11-26 09:00:00Z")));
        AwaitSettled(coordinator); // the 10 s retry is scheduled

        _api.Status = new ExchangeStatus(true, false);
        Clock.Advance(TimeSpan.FromSeconds(10));
        ExpectState(TraderState.Ready);
        coordinator.Tell(Buy());
        var refused = ExpectMsg<ActionResult>();
        Assert.Equal("trading_paused", refused.Code);
        Assert.Equal("Trading paused: exchange trading inactive", refused.Message);
    }

    [Fact]
    public void Recalibrates_periodically_while_ready()
    {
        AwaitSettled(StartReady()); // the periodic timer is started after READY is published
        Clock.Advance(Settings.RecalibrationInterval);
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("calibrating cash $1000.00 | 0 trades | 0 no-ops") && l.EndsWith("periodic (60s elapsed)")));
    }

    [Fact]
    public void A_required_stream_down_fails_the_system_check_an_optional_one_only_degrades()
    {
        var coordinator = StartCoordinator(start: false);
        coordinator.Tell(new StreamStatusChanged("orderbook", false, false, "503"));
        coordinator.Tell(StartTrading.Instance);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains("calibrating -> health checks exchange: ✓ | orderbook: ✗ (optional)", StatusLines()));

        coordinator.Tell(new StreamStatusChanged("user-stream", false, true, "refused"));
        coordinator.Tell(new Recalibrate("test"));
        ExpectState(TraderState.Error);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.Contains("required streams down: user-stream (refused)")));
    }

    [Fact]
    public void An_optional_stream_down_is_degraded_trading_in_the_status_log_the_report_and_the_metrics()
    {
        var metrics = new Monitoring.TraderMetrics();
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(_api, Settings, _store, metrics), "trader");
        coordinator.Tell(new StreamStatusChanged("orderbook", false, false, "503"));
        coordinator.Tell(StartTrading.Instance);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains("ready cash $1000.00 | degraded: orderbook down (503)", StatusLines()));
        coordinator.Tell(GetTraderStatus.Instance);
        var report = ExpectMsg<TraderStatusReport>();
        Assert.True(report.IsDegraded);
        Assert.Equal("orderbook", Assert.Single(report.OptionalStreamsDown).Stream);
        Assert.Equal(1, metrics.Degraded.Value());

        coordinator.Tell(new StreamStatusChanged("orderbook", true, false, "connected"));
        AwaitAssert(() => Assert.Contains("ready -> orderbook up connected", StatusLines()));
        coordinator.Tell(GetTraderStatus.Instance);
        Assert.False(ExpectMsg<TraderStatusReport>().IsDegraded);
        Assert.Equal(0, metrics.Degraded.Value());

        coordinator.Tell(new StreamStatusChanged("orderbook", false, false, "1006 abnormal closure"));
        AwaitAssert(() => Assert.Contains("ready -> orderbook down 1006 abnormal closure (optional: trading goes on, degraded)", StatusLines()));
        coordinator.Tell(GetTraderStatus.Instance);
        var again = ExpectMsg<TraderStatusReport>();
        Assert.Equal(TraderState.Ready, again.State);
        Assert.True(again.IsDegraded);
        Assert.Equal(1, metrics.Degraded.Value());
    }

    [Fact]
    public void A_crashed_child_restarts_and_the_trader_recalibrates_to_ready_with_the_exchanges_state()
    {
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);

        Sys.ActorSelection("/user/trader/orders").Tell(new InjectFault("chaos drill"));
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l == "ready -> orders restarted injected fault: chaos drill"));
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("calibrating -> orders reconciled 1 adopted")));

        Sys.ActorSelection("/user/trader/orders").Tell(new GetOpenOrders());
        var open = ExpectMsg<OpenOrdersResponse>();
        Assert.Equal(_api.Orders.Single().OrderId, Assert.Single(open.Orders).ExchangeOrderId);
    }

    [Fact]
    public void Fills_are_deduplicated_and_reach_positions_and_the_read_model()
    {
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        ExpectMsg<ActionResult>();
        var exchangeId = _api.Orders.Single().OrderId;
        var fill = new Fill("t1", exchangeId, "MKT", BookSide.Bid, Price.Parse("0.51"), Quantity.FromContracts(5), Money.Parse("0.09"), true, Clock.Now);
        coordinator.Tell(new FillsReceived([fill], "stream"));
        coordinator.Tell(new FillsReceived([fill], "rest"));
        AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance);
            Assert.Equal(Quantity.FromContracts(5), ExpectMsg<TraderStatusReport>().Trading.Positions["MKT"]);
        });
        Sys.ActorSelection("/user/trader/positions").Tell(GetPositions.Instance);
        var p = ExpectMsg<PositionsResponse>().Positions["MKT"];
        Assert.Equal(Quantity.FromContracts(5), p.Contracts);
        Assert.Equal(Money.Parse("2.55"), p.CostBasis);
    }

    [Fact]
    public void An_ambiguous_create_blocks_the_market_and_is_resolved_without_a_duplicate()
    {
        _api.CreateScript.Enqueue(r =>
        {
            lock (_api.Orders) _api.Orders.Add(_api.Resting(r));
            return Task.FromResult<WriteOutcome<OrderAck>>(new WriteOutcome<OrderAck>.Ambiguous("timeout"));
        });
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        var unknown = ExpectMsg<ActionResult>();
        Assert.Equal(ActionOutcome.Unknown, unknown.Outcome);

        AwaitAssert(() =>
        {
            coordinator.Tell(Buy());
            Assert.Equal("market_blocked", ExpectMsg<ActionResult>().Code);
        });
        Clock.Advance(Settings.UnknownLookupDelay);
        AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance);
            Assert.Empty(ExpectMsg<TraderStatusReport>().Trading.Blocked);
        });
        Assert.Single(_api.Creates);
        Assert.Single(_api.Orders);
        coordinator.Tell(Buy(ticker: "MKT"));
        Assert.Equal(ActionOutcome.Placed, ExpectMsg<ActionResult>().Outcome);
    }

    [Fact]
    public void An_action_that_waited_on_a_create_whose_outcome_turns_out_unknown_is_refused_on_the_now_blocked_market()
    {
        var answer = new TaskCompletionSource<WriteOutcome<OrderAck>>();
        _api.CreateScript.Enqueue(_ => answer.Task);
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        ExpectState(TraderState.Acting);
        coordinator.Tell(Buy()); // the same market, while the first create is in flight: it waits
        coordinator.Tell(GetTraderStatus.Instance);
        ExpectMsg<TraderStatusReport>(); // the second action is queued

        answer.SetResult(new WriteOutcome<OrderAck>.Ambiguous("timeout"));
        Assert.Equal(ActionOutcome.Unknown, ExpectMsg<ActionResult>().Outcome);
        // Released as the trader is ready again, the waiting action meets the market already blocked.
        var second = ExpectMsg<ActionResult>();
        Assert.Equal((ActionOutcome.Refused, "market_blocked"), (second.Outcome, second.Code));
        Assert.Single(_api.Creates);
    }

    [Fact]
    public void A_canceled_order_releases_its_collateral_so_the_balance_is_read_again()
    {
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        var placed = ExpectMsg<ActionResult>();
        // The balance read that follows the placement has been made (the sync actor answers in order).
        Sys.ActorSelection("/user/trader/sync").Tell(CheckExchange.Instance);
        ExpectMsg<ExchangeChecked>();

        _api.Balance = new AccountBalance(Money.Parse("997.45"), Money.Parse("997.45"));
        Sys.ActorSelection("/user/trader/orders").Tell(new CancelOrder(placed.ClientOrderId!));
        Assert.True(ExpectMsg<CancelResult>().Canceled);
        AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance);
            var report = ExpectMsg<TraderStatusReport>();
            Assert.Empty(report.Trading.OpenOrders);
            Assert.Equal(Money.Parse("997.45"), report.Trading.Cash);
        });
    }

    [Fact]
    public void Stop_trading_cancels_resting_orders_and_refuses_further_actions()
    {
        var coordinator = StartReady();
        coordinator.Tell(Buy());
        ExpectMsg<ActionResult>();
        coordinator.Tell(Buy(ticker: "OTHER"));
        ExpectMsg<ActionResult>();
        coordinator.Tell(new StopTrading(CancelResting: true));
        Assert.Equal(new TradingStopped(2, 0), ExpectMsg<TradingStopped>());
        Assert.Equal(2, _api.Cancels.Count);
        coordinator.Tell(Buy());
        Assert.Equal("stopping", ExpectMsg<ActionResult>().Code);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l == "ready -> stopped canceled 2 resting orders, 0 failed"));
    }

    [Fact]
    public void Differences_with_the_exchange_are_written_to_the_status_log()
    {
        var coordinator = StartReady();
        _api.Positions.Add(new ExchangePosition("MKT", Quantity.FromContracts(10), Money.Parse("4.70"), Money.Zero, Money.Zero, Money.Parse("4.70")));
        coordinator.Tell(new Recalibrate("test"));
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains("calibrating -> position differs MKT: contracts 0.00 → 10.00, cost $0.00 → $4.70", StatusLines()));
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.Contains("Positions: 0 → 1 (Δ +1)")));
    }

    [Fact]
    public void A_held_market_that_settled_is_closed_by_its_settlement_not_reported_as_a_difference()
    {
        _api.Positions.Add(new ExchangePosition("MKT", Quantity.FromContracts(5), Money.Parse("2.60"), Money.Zero, Money.Zero, Money.Parse("2.60")));
        var coordinator = StartReady();
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.Contains("position differs MKT: contracts 0.00 → 5.00")));
        _api.Positions.Clear();
        _api.Settlements.Add(new Settlement("MKT", "E", "yes", Quantity.FromContracts(5), Money.Parse("2.60"), Quantity.Zero, Money.Zero,
            Money.FromCents(500), Money.Zero, DateTimeOffset.UnixEpoch.AddDays(1)));
        coordinator.Tell(new Recalibrate("test"));
        ExpectState(TraderState.Calibrating);
        ExpectState(TraderState.Ready);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.Contains("Positions: 1 → 0 (Δ -1) | Settlements: 1 fetched")));
        Assert.Single(StatusLines(), l => l.Contains("position differs")); // the first calibration's adoption only
    }
}
