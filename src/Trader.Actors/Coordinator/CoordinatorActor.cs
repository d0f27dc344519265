using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Actors.Sync;
using Trader.Core.Collections;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Core.Risk;
using Trader.Core.Status;
using Trader.Core.Trading;
using Trader.Kalshi.Api;

namespace Trader.Actors.Coordinator;

/// <summary>
/// Supervises the order, position, sync and status actors and owns the trader's state. It switches behaviour with
/// <c>Become</c>:
/// <list type="bullet">
/// <item><b>IDLE</b> until <see cref="StartTrading"/>.</item>
/// <item><b>CALIBRATING</b>: system check (exchange status; required streams) → sync (fills, balance, positions,
/// resting orders, settlements; the exchange wins, differences go to the status log) → READY. Actions wait in a
/// bounded queue and are released on READY, those older than the configured age refused as stale.</item>
/// <item><b>READY</b>: an action passes the pre-trade checks (or is refused with a named reason) and moves the trader
/// to ACTING. Recalibrates periodically, after repeated errors, and after a child restarted.</item>
/// <item><b>ACTING</b>: until the order's outcome is known (or the acting timeout says it is unknown); then READY.
/// Further actions wait in the queue.</item>
/// <item><b>ERROR</b>: a calibration failed; actions are refused with the reason; recalibration retries with capped
/// exponential backoff until it succeeds.</item>
/// </list>
/// The service actors restart on failure (one-for-one); a restart is written to the status log and triggers a
/// recalibration, which rebuilds their state from the exchange.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    private const string RecalibrateTimer = "recalibrate";
    private const string CalibrationTimeoutTimer = "calibration-timeout";
    private const string ActingTimer = "acting-timeout";

    private readonly TraderSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _orders;
    private readonly IActorRef _positions;
    private readonly IActorRef _sync;
    private readonly IActorRef _status;
    private readonly StatusLogStore _statusStore;
    private readonly TraderMetrics _metrics;
    private readonly RecentIds _seenTrades = new(100_000);
    private readonly WaitingLine<Waiting> _waiting;

    private TradingState _trading = TradingState.Empty;
    private ImmutableDictionary<string, Position> _positionsDetail = ImmutableDictionary<string, Position>.Empty;
    private IReadOnlyDictionary<string, OpenOrderSummary> _openOrders = new Dictionary<string, OpenOrderSummary>();
    private TraderState _state = TraderState.Idle;
    private DateTimeOffset _stateSince;
    private string? _manualPause;
    private string? _exchangePause;
    private StreamHealth _streams = StreamHealth.Empty;
    private CalibrationHistory _history = CalibrationHistory.Empty;
    private Calibration? _calibration;
    private Acting? _acting;
    private string? _recalibrateAfterActing;
    private IActorRef? _stopRequester;
    private string? _statusBase;
    private bool _stopped;

    public ITimerScheduler Timers { get; set; } = null!;

    public CoordinatorActor(IKalshiApi api, TraderSettings settings, StatusLogStore statusStore, TraderMetrics metrics)
    {
        _settings = settings;
        _waiting = new WaitingLine<Waiting>(settings.MaxStashedActions, settings.MaxStashedActionAge);
        _statusStore = statusStore;
        _metrics = metrics;
        _metrics.SetState("idle");
        _status = Context.ActorOf(StatusActor.Props(statusStore, settings.StatusTimeZone), "status");
        _orders = Context.ActorOf(OrderActor.Props(api, settings), "orders");
        _positions = Context.ActorOf(PositionActor.Props(), "positions");
        _sync = Context.ActorOf(SyncActor.Props(api, settings), "sync");
        _stateSince = Now;
        Idle();
    }

    public static Props Props(IKalshiApi api, TraderSettings settings, StatusLogStore statusStore, TraderMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(api, settings, statusStore, metrics ?? new TraderMetrics()));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 20, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: ex =>
        {
            _log.Warning("Child failed: {0}", ex.Message);
            return Directive.Restart;
        });

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    // ---- states ----------------------------------------------------------------------------------------------

    private void Idle()
    {
        Receive<StartTrading>(_ => BeginCalibration("startup"));
        Receive<SubmitAction>(a => Refuse(a, Sender, "trader_idle", "the trader has not started"));
        Receive<Recalibrate>(r => BeginCalibration(r.Reason));
        Common();
    }

    private void Calibrating()
    {
        Receive<ExchangeChecked>(OnExchangeChecked);
        Receive<StateSynced>(OnStateSynced);
        Receive<OrdersReconciled>(r =>
        {
            if (_calibration is null) return;
            _calibration = _calibration with { Orders = r };
            FinishIfReconciled();
        });
        Receive<PositionsReconciled>(r =>
        {
            if (_calibration is null) return;
            _calibration = _calibration with { Positions = r };
            FinishIfReconciled();
        });
        Receive<SyncFailed>(f => FailCalibration($"{f.Step}: {f.Error}"));
        Receive<CalibrationTimedOut>(_ => FailCalibration($"timed out after {_settings.CalibrationTimeout.TotalSeconds:0}s"));
        Receive<SubmitAction>(a => Wait(a, Sender));
        Receive<Recalibrate>(_ => { });
        Common();
    }

    private void Ready()
    {
        Receive<SubmitAction>(a => Act(a, Sender));
        Receive<Recalibrate>(r => BeginCalibration(r.Reason));
        Receive<PeriodicRecalibration>(_ => BeginCalibration($"periodic ({(Now - (_history.Last ?? Now)).TotalSeconds:0}s elapsed)"));
        Common();
    }

    private void ActingState()
    {
        Receive<OrderPlaced>(p => Finish(p.DecisionId, ActionOutcome.Placed, p.Order.ClientOrderId, null, "placed"));
        Receive<OrderRejected>(r => Finish(r.DecisionId, ActionOutcome.Rejected, r.Order.ClientOrderId, r.Error.Code, r.Error.ToString()));
        Receive<OrderOutcomeUnknown>(u =>
        {
            CountError($"order {u.Order.ClientOrderId} outcome unknown");
            Record("ready -> order outcome unknown", $"{u.Order.Intent} {u.Order.Count} @ {u.Order.ContractPrice} on {u.Order.Ticker}: {u.Reason}");
            Finish(u.DecisionId, ActionOutcome.Unknown, u.Order.ClientOrderId, "outcome_unknown", u.Reason);
        });
        Receive<ActingTimedOut>(t =>
        {
            if (_acting?.Action.DecisionId == t.DecisionId)
                Finish(t.DecisionId, ActionOutcome.Unknown, null, "acting_timeout", $"no outcome after {_settings.ActingTimeout.TotalSeconds:0}s");
        });
        Receive<SubmitAction>(a => Wait(a, Sender));
        Receive<Recalibrate>(r => _recalibrateAfterActing = r.Reason);
        Receive<PeriodicRecalibration>(_ => _recalibrateAfterActing ??= "periodic");
        Common();
    }

    private void ErrorState()
    {
        Receive<SubmitAction>(a => Refuse(a, Sender, "trader_error", $"the trader is in ERROR: {_history.LastError}"));
        Receive<Recalibrate>(r => BeginCalibration(r.Reason));
        Receive<RetryCalibration>(_ => BeginCalibration($"recovery (attempt {_history.FailedInARow + 1})"));
        Common();
    }

    /// <summary>Handled the same way in every state.</summary>
    private void Common()
    {
        Receive<OrdersChanged>(c =>
        {
            int openBefore = _trading.OpenOrders.Values.Sum();
            _trading = _trading with
            {
                OpenOrders = c.OpenByMarket.ToImmutableDictionary(StringComparer.Ordinal),
                Blocked = c.Blocked.ToImmutableDictionary(StringComparer.Ordinal),
            };
            _openOrders = c.ByMarket;
            // An order that left the book (canceled by us or by the exchange, expired, filled) released the collateral
            // the exchange held for it: its balance changed, so read it again. Fills trigger a read of their own; this
            // covers the rest. A calibration reads the balance anyway.
            if (_trading.OpenOrders.Values.Sum() < openBefore && _state != TraderState.Calibrating) _sync.Tell(RefreshBalance.Instance);
            PublishPortfolio();
        });
        Receive<PositionsChanged>(c =>
        {
            _trading = _trading with { Positions = c.Contracts };
            _positionsDetail = c.Positions;
            PublishPortfolio();
        });
        Receive<CountDecision>(c => _status.Forward(c));
        Receive<PositionCorrected>(c => Record($"{BaseState} -> position corrected", c.Description));
        Receive<FillsReceived>(f => RouteFills(f.Fills, calibrating: false));
        Receive<BalanceRefreshed>(b =>
        {
            _trading = _trading.WithBalance(b.Balance.Cash, b.Balance.PortfolioValue, b.AsOf);
            PublishPortfolio();
        });
        Receive<SyncFailed>(f => CountError($"{f.Step}: {f.Error}"));
        Receive<StreamStatusChanged>(OnStreamStatusChanged);
        Receive<ExchangeOrderUpdated>(u => _orders.Forward(u));
        Receive<ChildRestarted>(OnChildRestarted);
        Receive<PauseTrading>(p => { _manualPause = p.Reason; UpdatePause(); Record($"{BaseState} -> paused", p.Reason); });
        Receive<ResumeTrading>(_ => { _manualPause = null; UpdatePause(); Record($"{BaseState} -> resumed", "trading resumed by request"); });
        Receive<GetTraderStatus>(_ => Sender.Tell(Report()));
        // Read models of the children, for the status endpoint: asked of the coordinator, answered by the child.
        Receive<GetOpenOrders>(q => _orders.Forward(q));
        Receive<GetPositions>(q => _positions.Forward(q));
        Receive<StopTrading>(OnStopTrading);
        Receive<AllOrdersCanceled>(c =>
        {
            Record($"{BaseState} -> stopped", $"canceled {c.Canceled} resting orders, {c.Failed} failed");
            if (_stopRequester is { } requester) _status.Tell(new AfterRecorded(requester, new TradingStopped(c.Canceled, c.Failed)));
        });
        Receive<OrdersReconciled>(_ => { });
        Receive<PositionsReconciled>(_ => { });
        Receive<OrderPlaced>(p => _log.Info("Late outcome for {0}: placed", p.Order.ClientOrderId));
        Receive<OrderRejected>(r => _log.Info("Late outcome for {0}: rejected ({1})", r.Order.ClientOrderId, r.Error));
        Receive<OrderOutcomeUnknown>(u => _log.Info("Late outcome for {0}: unknown", u.Order.ClientOrderId));
        Receive<ExchangeChecked>(_ => { });
        Receive<StateSynced>(_ => { });
        Receive<CalibrationTimedOut>(_ => { });
        Receive<ActingTimedOut>(_ => { });
        Receive<PeriodicRecalibration>(_ => { });
        Receive<RetryCalibration>(_ => { });
    }

    // ---- calibration -----------------------------------------------------------------------------------------

    private void BeginCalibration(string reason)
    {
        if (_stopped) return;
        var result = _state == TraderState.Ready
            ? $"{StatusPhrases.Trading(_trading.Cash, _statusStore.Current.CurrentStats)} | {StatusText.FormatSeconds(Now - _stateSince)} | {reason}"
            : reason;
        Timers.Cancel(RecalibrateTimer);
        _sync.Tell(new SetFillPolling(false));
        bool synced = _trading.BalanceAsOf is not null;
        _calibration = new Calibration(reason, Now, synced ? _trading.Cash : null, synced ? _trading.ActivePositions : null);
        Transition(TraderState.Calibrating, reason);
        Become(Calibrating);
        Record("calibrating", result);
        Record("calibrating -> checking exchange");
        Timers.StartSingleTimer(CalibrationTimeoutTimer, CalibrationTimedOut.Instance, _settings.CalibrationTimeout);
        _sync.Tell(CheckExchange.Instance);
    }

    private void OnExchangeChecked(ExchangeChecked c)
    {
        if (!c.Status.ExchangeActive)
        {
            FailCalibration("exchange inactive" + (c.Status.EstimatedResumeTime is { } t ? $" until {t:u}" : ""));
            return;
        }
        _exchangePause = c.Status.TradingActive ? null : "exchange trading inactive";
        UpdatePause();
        var missing = _streams.RequiredDown;
        Record("calibrating -> health checks", _streams.Summary(c.Status.TradingActive), c.Duration);
        if (missing.Count > 0)
        {
            FailCalibration("required streams down: " + string.Join(", ", missing.Select(s => $"{s.Stream} ({s.Detail})")));
            return;
        }
        _sync.Tell(SyncState.Instance);
    }

    private void OnStateSynced(StateSynced s)
    {
        RouteFills(s.Fills, calibrating: true);
        _trading = _trading.WithBalance(s.Balance.Cash, s.Balance.PortfolioValue, s.AsOf);
        PublishPortfolio();
        // Settlements first: a held market that settled since the last sync is closed by its settlement (realizing its
        // P&L) before the exchange's positions — which no longer list it — are adopted, so it is not reported as a
        // position that differs from the exchange.
        _positions.Tell(new ApplySettlements(s.Settlements));
        _positions.Tell(new ApplyExchangePositions(s.Positions));
        _orders.Tell(new ReconcileOrders(s.RestingOrders));
        if (_calibration is not null) _calibration = _calibration with { Synced = s };
    }

    private void FinishIfReconciled()
    {
        if (_calibration is not { Synced: { } s, Orders: { } orders, Positions: { } positions } cal) return;
        foreach (var d in positions.Differences) Record("calibrating -> position differs", d.Describe());
        var report = orders.Report;
        if (!report.IsClean)
            Record("calibrating -> orders reconciled",
                $"{report.Adopted.Count} adopted, {report.Resolved.Count} found, {report.Updated.Count} updated, {report.Vanished.Count} finished elsewhere");
        Record("calibrating -> syncing state",
            StatusPhrases.Sync(cal.CashBefore, s.Balance.Cash, s.Balance.PortfolioValue, cal.PositionsBefore, positions.Active,
                s.Settlements.Count, s.RestingOrders.Count, orders.Tracked),
            s.Duration);

        Timers.Cancel(CalibrationTimeoutTimer);
        _metrics.Calibrations.Inc("ok");
        _history = _history.Success(Now);
        _calibration = null;
        EnterReady("calibrated");
    }

    private void FailCalibration(string error)
    {
        Timers.Cancel(CalibrationTimeoutTimer);
        _calibration = null;
        _history = _history.Failure(error, _settings.RecalibrationBackoff, out var delay);
        _metrics.Calibrations.Inc("failed");
        Transition(TraderState.Error, error);
        Become(ErrorState);
        Record("error", $"calibration failed: {error} | retry in {StatusText.FormatDelay(delay)}");
        foreach (var w in _waiting.Empty()) Refuse(w.Action, w.ReplyTo, "trader_error", $"calibration failed: {error}");
        Timers.StartSingleTimer(RecalibrateTimer, RetryCalibration.Instance, delay);
    }

    // ---- acting ----------------------------------------------------------------------------------------------

    private void EnterReady(string reason)
    {
        Transition(TraderState.Ready, reason);
        Become(Ready);
        if (_statusBase != "ready")
            Record("ready", $"cash {_trading.Cash.ToDisplayString()}{(_streams.DegradedBy is { } down ? $" | degraded: {down}" : "")}");
        _sync.Tell(new SetFillPolling(true));
        Timers.StartPeriodicTimer(RecalibrateTimer, PeriodicRecalibration.Instance, _settings.RecalibrationInterval);
        if (_recalibrateAfterActing is { } why)
        {
            _recalibrateAfterActing = null;
            BeginCalibration(why);
            return;
        }
        ReleaseWaiting();
    }

    private void ReleaseWaiting()
    {
        while (_state == TraderState.Ready && _waiting.TryNext(Now, out var w, out var waited, out bool stale))
        {
            if (stale)
                Refuse(w.Action, w.ReplyTo, "stale", $"waited {waited.TotalSeconds:0.0}s, longer than {_settings.MaxStashedActionAge.TotalSeconds:0.0}s");
            else
                Act(w.Action, w.ReplyTo);
        }
    }

    private void Act(SubmitAction a, IActorRef replyTo)
    {
        if (_stopped)
        {
            Refuse(a, replyTo, "stopping", "the trader is stopping");
            return;
        }
        var denial = PreTradeChecks.Check(_settings.Risk, _trading.ContextFor(a.Ticker), a.Intent, a.Price, a.Count);
        if (denial is not null)
        {
            Refuse(a, replyTo, denial.Code, denial.Message);
            return;
        }
        _acting = new Acting(a, replyTo, PreTradeChecks.RequiredCash(a.Intent, a.Price, a.Count, _trading.Positions.GetValueOrDefault(a.Ticker)));
        Transition(TraderState.Acting, a.DecisionId);
        Become(ActingState);
        Timers.StartSingleTimer(ActingTimer, new ActingTimedOut(a.DecisionId), _settings.ActingTimeout);
        _orders.Tell(new PlaceOrder(a.DecisionId, a.Ticker, a.Intent, a.Price, a.Count, a.TimeInForce));
    }

    private void Finish(string decisionId, ActionOutcome outcome, string? clientOrderId, string? code, string message)
    {
        if (_acting is not { } acting || acting.Action.DecisionId != decisionId)
        {
            _log.Info("Outcome {0} for decision {1}, which is not the one acting", outcome, decisionId);
            return;
        }
        Timers.Cancel(ActingTimer);
        _acting = null;
        if (outcome is ActionOutcome.Placed or ActionOutcome.Unknown)
        {
            // Until the next balance read, count the collateral as spent (an unknown outcome may have landed too).
            _trading = _trading.Reserve(acting.Reserve, Now);
            _sync.Tell(RefreshBalance.Instance);
        }
        _status.Tell(new CountDecision(outcome == ActionOutcome.Placed));
        _metrics.Orders.Inc(outcome.ToString().ToLowerInvariant());
        Answer(acting.ReplyTo, new ActionResult(decisionId, acting.Action.Ticker, outcome, clientOrderId, code, message));
        EnterReady(outcome.ToString().ToLowerInvariant());
    }

    private void Wait(SubmitAction a, IActorRef replyTo)
    {
        if (!_waiting.TryJoin(new Waiting(a, replyTo), Now))
            Refuse(a, replyTo, "queue_full", $"{_waiting.Count} actions already waiting while {_state}");
    }

    private void Refuse(SubmitAction a, IActorRef replyTo, string code, string message)
    {
        _status.Tell(new CountDecision(false));
        _metrics.Orders.Inc("refused");
        Answer(replyTo, new ActionResult(a.DecisionId, a.Ticker, ActionOutcome.Refused, null, code, message));
    }

    /// <summary>Answers an action, and publishes the answer for watchers (the live view's last actions per market).</summary>
    private void Answer(IActorRef replyTo, ActionResult result)
    {
        replyTo.Tell(result);
        Context.System.EventStream.Publish(result);
    }

    // ---- events ----------------------------------------------------------------------------------------------

    /// <summary>De-duplicates fills by trade id, then hands the new ones to the order and position actors, in that order.</summary>
    private void RouteFills(IReadOnlyList<Fill> fills, bool calibrating)
    {
        var fresh = fills.Where(f => _seenTrades.Add(f.TradeId)).OrderBy(f => f.Time).ToList();
        if (fresh.Count == 0) return;
        _metrics.Fills.Inc(by: fresh.Count);
        _orders.Tell(new ApplyFills(fresh));
        _positions.Tell(new ApplyFills(fresh));
        if (!calibrating) _sync.Tell(RefreshBalance.Instance);
    }

    private void OnChildRestarted(ChildRestarted r)
    {
        _metrics.ChildRestarts.Inc(r.Child);
        Record($"{BaseState} -> {r.Child} restarted", r.Reason);
        switch (_state)
        {
            case TraderState.Acting:
                _recalibrateAfterActing = $"{r.Child} restarted";
                break;
            case TraderState.Idle:
                break;
            default:
                BeginCalibration($"{r.Child} restarted");
                break;
        }
    }

    private void OnStreamStatusChanged(StreamStatusChanged s)
    {
        var report = new StreamStatus(s.Stream, s.Connected, s.Required, s.Detail);
        _streams = _streams.Report(report, out var change);
        _metrics.Degraded.Set(_streams.DegradedBy is null ? 0 : 1);
        if (change == StreamChange.None) return;
        Record($"{BaseState} -> {s.Stream} {(s.Connected ? "up" : "down")}", StreamHealth.Describe(report));
        if (report.Blocks && _state == TraderState.Ready) BeginCalibration($"{s.Stream} down");
    }

    private void OnStopTrading(StopTrading s)
    {
        _stopped = true;
        _stopRequester = Sender;
        Timers.Cancel(RecalibrateTimer);
        _sync.Tell(new SetFillPolling(false));
        foreach (var w in _waiting.Empty()) Refuse(w.Action, w.ReplyTo, "stopping", "the trader is stopping");
        if (s.CancelResting) _orders.Tell(new CancelAllOrders());
        else
        {
            Record($"{BaseState} -> stopped", "resting orders left in place");
            _status.Tell(new AfterRecorded(Sender, new TradingStopped(0, 0)));
        }
    }

    private void CountError(string error)
    {
        _history = _history.Error();
        _log.Warning("Error while {0}: {1}", _state, error);
        if (_state == TraderState.Ready && _history.ErrorsReach(_settings.ErrorsBeforeRecalibration))
            BeginCalibration($"{_history.ErrorsSinceLast} errors since the last calibration");
    }

    private void PublishPortfolio() =>
        Context.System.EventStream.Publish(new PortfolioUpdated(_trading.Available, _trading.PortfolioValue, _positionsDetail, _openOrders));

    private void UpdatePause() => _trading = _trading with { PausedReason = _manualPause ?? _exchangePause };

    private void Transition(TraderState to, string? reason)
    {
        var from = _state;
        _state = to;
        _stateSince = Now;
        _metrics.SetState(to.ToString().ToLowerInvariant());
        Context.System.EventStream.Publish(new TraderStateChanged(from, to, _stateSince, reason));
    }

    /// <summary>The base of the last status this actor recorded (the status actor applies them in order).</summary>
    private string BaseState => _statusBase ?? _state.ToString().ToLowerInvariant();

    private void Record(string status, string? result = null, TimeSpan? duration = null)
    {
        _statusBase = StatusLog.BaseOf(status);
        _status.Tell(new RecordStatus(status, result, duration));
    }

    private TraderStatusReport Report() => new(_state, _stateSince, _trading, _history.LastError, _history.Succeeded, _history.Last,
        _streams.Streams.Values.ToList());

    // ---- internal messages and state -------------------------------------------------------------------------

    private sealed record Calibration(string Reason, DateTimeOffset Started, Money? CashBefore, int? PositionsBefore)
    {
        public StateSynced? Synced { get; init; }
        public OrdersReconciled? Orders { get; init; }
        public PositionsReconciled? Positions { get; init; }
    }

    private sealed record Acting(SubmitAction Action, IActorRef ReplyTo, Money Reserve);

    private sealed record Waiting(SubmitAction Action, IActorRef ReplyTo);
}
