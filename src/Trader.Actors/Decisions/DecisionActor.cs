using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Status;
using Trader.Core.Actions;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Core.Positions;
using Trader.Policy;

namespace Trader.Actors.Decisions;

/// <summary>Ask the decision actor for its counters; answered with <see cref="DecisionStats"/>.</summary>
public sealed record GetDecisionStats
{
    public static readonly GetDecisionStats Instance = new();
}

public sealed record DecisionStats(long Decisions, ImmutableDictionary<string, long> Actions, ImmutableDictionary<string, long> Skipped,
    ImmutableDictionary<string, DateTimeOffset> DisabledUntil, string Policy);

/// <summary>Published on the event stream for every decision the policy took (for replays and the live view).</summary>
public sealed record DecisionTaken(string DecisionId, string Ticker, DateTimeOffset At, float[] Observation, float[] Logits, int Action,
    string ActionName, string Outcome);

/// <summary>
/// Published on the event stream when the coordinator answered a decision's order (placed, refused with its reason,
/// rejected by the exchange, or unknown), so a replay can show what became of each decision.
/// </summary>
public sealed record DecisionResolved(string DecisionId, string Ticker, DateTimeOffset At, ActionResult Result);

/// <summary>
/// The old ActorService (original-system.md §8): turns order-book events into actions.
/// <list type="bullet">
/// <item>Keeps its own replica of each market's book from the market-data events (no book is shared between actors;
/// at start it asks for the current books with <see cref="RepublishBooks"/>)
/// and decides on the latest one: a delta queues at most one <c>Decide</c> per market behind the events already in the
/// mailbox, so a burst of deltas coalesces into one decision and nothing queues without bound.</item>
/// <item>Skips everything while the coordinator is not READY, markets whose book is not trusted (stale, gap, no
/// snapshot), markets within the throttle of their last order, and disabled markets.</item>
/// <item>Builds the 52-float observation (Core's <see cref="ObservationBuilder"/>), asks the policy, prices the action
/// (<see cref="ActionPricing"/>), and sends it to the coordinator, which runs the pre-trade checks and places it.</item>
/// <item>A market whose decisions fail more than the configured number of times in a row (policy errors, orders the
/// exchange rejected or never answered) is disabled for a while, then tried again.</item>
/// <item>Counts decisions, actions by type and skips, and times each decision from the arrival of its delta.</item>
/// </list>
/// </summary>
public sealed class DecisionActor : ReceiveActor
{
    private readonly IPolicy _policy;
    private readonly ActionSpace _space;
    private readonly DecisionSettings _settings;
    private readonly IActorRef _coordinator;
    private readonly TraderMetrics _metrics;
    private readonly ObservationBuilder _observations;
    private readonly IScheduler _scheduler = Context.System.Scheduler;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, MarketState> _markets = new(StringComparer.Ordinal);
    private readonly float[] _observation = new float[ObservationLayout.Length];
    private PositionSnapshot[] _positionBuffer = new PositionSnapshot[16];
    private PortfolioUpdated? _portfolio;
    private TraderState _traderState = TraderState.Idle;
    private long _decisions;
    private long _sequence;
    private ImmutableDictionary<string, long> _actions = ImmutableDictionary<string, long>.Empty;
    private ImmutableDictionary<string, long> _skipped = ImmutableDictionary<string, long>.Empty;

    public DecisionActor(IPolicy policy, ActionSpace space, DecisionSettings settings, IActorRef coordinator, TraderMetrics metrics)
    {
        if (policy.ActionCount != space.Count)
            throw new ArgumentException($"the policy answers in {policy.ActionCount} actions but the action space has {space.Count}");
        _policy = policy;
        _space = space;
        _settings = settings;
        _coordinator = coordinator;
        _metrics = metrics;
        _observations = new ObservationBuilder(new ObservationOptions { TemporalInputs = settings.TemporalInputs });

        Receive<BookSnapshotApplied>(OnSnapshot);
        Receive<BookDeltaApplied>(OnDelta);
        Receive<MarketStale>(s => Market(s.Ticker).Book.Invalidate());
        Receive<BookGapDetected>(g => Market(g.Ticker).Book.Invalidate());
        Receive<MarketRecovered>(_ => { }); // the snapshot published just before it has already repaired the replica
        Receive<Decide>(d => DecideFor(d.Ticker));
        Receive<PortfolioUpdated>(p => _portfolio = p);
        Receive<TraderStateChanged>(s => _traderState = s.To);
        Receive<TraderStatusReport>(r => _traderState = r.State);
        Receive<ActionResult>(OnActionResult);
        Receive<GetDecisionStats>(_ => Sender.Tell(new DecisionStats(_decisions, _actions, _skipped,
            _markets.Where(m => m.Value.DisabledUntil is not null).ToImmutableDictionary(m => m.Key, m => m.Value.DisabledUntil!.Value),
            _policy.Name)));
    }

    public static Props Props(IPolicy policy, ActionSpace space, DecisionSettings settings, IActorRef coordinator, TraderMetrics metrics) =>
        Akka.Actor.Props.Create(() => new DecisionActor(policy, space, settings, coordinator, metrics));

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(MarketDataEvent));
        events.Subscribe(Self, typeof(PortfolioUpdated));
        events.Subscribe(Self, typeof(TraderStateChanged));
        // The books' snapshots may have gone by before this actor subscribed (or restarted): ask for them again.
        events.Publish(RepublishBooks.Instance);
        _coordinator.Tell(GetTraderStatus.Instance);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        (_policy as IDisposable)?.Dispose();
    }

    private DateTimeOffset Now => _scheduler.Now;

    private MarketState Market(string ticker)
    {
        if (!_markets.TryGetValue(ticker, out var m))
        {
            m = new MarketState(new OrderBook(ticker, sequenceCheck: SequenceCheck.Monotonic));
            _markets[ticker] = m;
        }
        return m;
    }

    private void OnSnapshot(BookSnapshotApplied s)
    {
        var m = Market(s.Ticker);
        m.Book.ApplySnapshot(s.Sequence, s.YesBids.ToArray(), s.NoBids.ToArray());
        m.LastDeltaTimestamp = Stopwatch.GetTimestamp();
    }

    private void OnDelta(BookDeltaApplied d)
    {
        var m = Market(d.Ticker);
        var result = m.Book.ApplyDelta(d.Sequence, d.Leg, d.Price, d.Delta);
        if (result != BookUpdate.Applied) return; // the replica waits for the next snapshot, as the source does
        m.LastDeltaTimestamp = d.ReceivedTimestamp;
        if (m.DecidePending) return;
        m.DecidePending = true;
        Self.Tell(new Decide(d.Ticker));
    }

    private void DecideFor(string ticker)
    {
        var m = Market(ticker);
        m.DecidePending = false;
        if (Skip(m, ticker) is { } reason)
        {
            _skipped = _skipped.SetItem(reason, _skipped.GetValueOrDefault(reason) + 1);
            _metrics.DecisionSkips.Inc(reason);
            return;
        }

        int action;
        string? decisionId = null;
        try
        {
            BuildObservation(m);
            var position = _portfolio?.Positions.GetValueOrDefault(ticker)?.Contracts ?? Quantity.Zero;
            var decision = _policy.Decide(_observation, new DecisionContext(ticker, position));
            action = decision.Action;
            var decoded = _space.Decode(action);
            _decisions++;
            _metrics.Decisions.Inc();
            var name = decoded.Action.ToName().ToLowerInvariant();
            _actions = _actions.SetItem(name, _actions.GetValueOrDefault(name) + 1);
            _metrics.Actions.Inc(name);
            _metrics.DecisionLatency.Observe(Stopwatch.GetElapsedTime(m.LastDeltaTimestamp));

            var proposal = ActionPricing.Propose(decoded, m.Book);
            decisionId = $"{ticker}:{++_sequence}";
            Context.System.EventStream.Publish(new DecisionTaken(decisionId, ticker, Now, _observation.ToArray(), decision.Logits.ToArray(),
                action, decoded.ToString(), proposal.HasOrder ? proposal.Order!.Value.ToString() : proposal.Explanation));
            if (proposal.Order is not { } order)
            {
                _coordinator.Tell(new CountDecision(false));
                return;
            }
            m.LastOrderAt = Now;
            _coordinator.Tell(new SubmitAction(decisionId, ticker, order.Intent, order.ContractPrice, order.Count, Reason: decoded.ToString()));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.Warning("Decision for {Market} failed: {Error}", ticker, ex.Message);
            CountError(m, ticker, ex.Message);
        }
    }

    /// <summary>Why this market is not decided on now, or null.</summary>
    private string? Skip(MarketState m, string ticker)
    {
        if (_traderState != TraderState.Ready) return "not_ready";
        if (!m.Book.IsTrusted) return "stale";
        if (m.DisabledUntil is { } until)
        {
            if (Now < until) return "disabled";
            m.DisabledUntil = null;
            m.Errors = 0;
            _log.Info("Market {Market} re-enabled for decisions", ticker);
        }
        if (m.LastOrderAt is { } last && Now - last < _settings.Throttle) return "throttled";
        return null;
    }

    private void BuildObservation(MarketState m)
    {
        var portfolio = _portfolio;
        int n = 0;
        if (portfolio is not null)
        {
            if (_positionBuffer.Length < portfolio.Positions.Count) _positionBuffer = new PositionSnapshot[portfolio.Positions.Count * 2];
            foreach (var (ticker, position) in portfolio.Positions)
            {
                // Other markets' positions are valued at their own book's mid when this actor has a trusted one.
                Price? mark = _markets.TryGetValue(ticker, out var other) && other.Book.IsTrusted && other.Book.Mid() is { } mid
                    ? Price.FromDollars(Math.Round(mid, 4))
                    : null;
                _positionBuffer[n++] = PositionSnapshot.From(position, mark);
            }
        }
        // The observation's portfolio value is cash plus the positions (training's meaning). Kalshi's portfolio_value
        // (PortfolioUpdated.PortfolioValue) is the positions alone, as of the last balance read, so it is not used:
        // the positions are valued here, now, as the features value them.
        var input = PortfolioInput.CashPlusPositions(portfolio?.Cash ?? Money.Zero, _positionBuffer.AsSpan(0, n), m.Book);
        var orders = portfolio?.OpenOrders.GetValueOrDefault(m.Book.Ticker) is { } o
            ? new OpenOrderState(o.HasBuy, o.HasSell, o.NewestPlacedAt)
            : default;
        _observations.Build(m.Book, Now, input, orders, _observation);
    }

    private void OnActionResult(ActionResult r)
    {
        Context.System.EventStream.Publish(new DecisionResolved(r.DecisionId, r.Ticker, Now, r));
        var m = Market(r.Ticker);
        switch (r.Outcome)
        {
            case ActionOutcome.Placed:
                m.Errors = 0;
                break;
            case ActionOutcome.Rejected:
            case ActionOutcome.Unknown:
                CountError(m, r.Ticker, $"{r.Outcome}: {r.Message}");
                break;
            case ActionOutcome.Refused:
                _skipped = _skipped.SetItem("refused:" + r.Code, _skipped.GetValueOrDefault("refused:" + r.Code) + 1);
                _metrics.DecisionSkips.Inc("refused:" + r.Code);
                break;
        }
    }

    private void CountError(MarketState m, string ticker, string error)
    {
        m.Errors++;
        if (m.Errors <= _settings.ErrorsBeforeDisable) return;
        m.DisabledUntil = Now + _settings.DisableFor;
        _log.Warning("Market {Market} disabled for {Seconds}s after {Errors} errors in a row (last: {Error})", ticker, _settings.DisableFor.TotalSeconds, m.Errors, error);
    }

    private sealed class MarketState(OrderBook book)
    {
        public OrderBook Book { get; } = book;
        public bool DecidePending { get; set; }
        public long LastDeltaTimestamp { get; set; }
        public DateTimeOffset? LastOrderAt { get; set; }
        public int Errors { get; set; }
        public DateTimeOffset? DisabledUntil { get; set; }
    }

    private sealed record Decide(string Ticker);
}
