using System.Collections.Immutable;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;
using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Actors.Monitoring;

/// <summary>One action taken (or attempted) in a market: the policy's decision and, once known, the coordinator's outcome.</summary>
/// <param name="DecisionId">The decision's id (<c>TICKER:n</c> for the decision loop).</param>
/// <param name="At">When it was decided (or, for an action that did not come from the decision loop, when its outcome was known).</param>
/// <param name="Action">The decided action, e.g. <c>BUY_YES×5.00</c>; <c>order</c> for an action that did not come from the decision loop.</param>
/// <param name="Proposal">The priced order (<c>BUY_YES 5.00 @ 0.4700</c>) or why there was none.</param>
/// <param name="Outcome">Placed, refused, rejected or unknown; null while the coordinator has not answered.</param>
/// <param name="Code">The refusal or rejection code (<c>insufficient_cash</c>, …).</param>
/// <param name="Message">The outcome's explanation.</param>
public sealed record MarketAction(string DecisionId, DateTimeOffset At, string Action, string Proposal, ActionOutcome? Outcome = null,
    string? Code = null, string? Message = null);

/// <summary>
/// What an operator wants to know about one market at a glance: its book's top and trust, how fresh it is, why it is
/// stale, and what the trader last did there.
/// </summary>
/// <param name="Book">Live (trusted), awaiting its first snapshot, or invalidated (a gap, the stream down).</param>
/// <param name="Mid">Midpoint of the best YES bid and ask, rounded to the 1/10,000 dollar; null when a side is empty.</param>
/// <param name="LastUpdate">When the last snapshot or delta was applied; null before the first.</param>
/// <param name="Updates">Snapshots and deltas applied.</param>
/// <param name="StaleSince">When the book stopped being trusted; null while it is live or has never been.</param>
/// <param name="StaleReason">Why (<c>sequence gap: expected 7, received 9</c>, <c>orderbook stream down: …</c>).</param>
/// <param name="Gaps">Sequence gaps seen on this market's subscription.</param>
/// <param name="LastDecision">The newest decision in this market, HOLD included.</param>
/// <param name="LastActions">The newest non-HOLD actions, newest first.</param>
public sealed record MarketView(
    string Ticker,
    BookState Book,
    BookLevel? BestBid,
    BookLevel? BestAsk,
    int? SpreadTicks,
    Price? Mid,
    DateTimeOffset? LastUpdate,
    long Updates,
    DateTimeOffset? StaleSince,
    string? StaleReason,
    int Gaps,
    MarketAction? LastDecision,
    ImmutableList<MarketAction> LastActions);

/// <summary>
/// The latest view of every market, kept from the events on the event stream: a replica of each book (market-data
/// events carry the data, so the replica needs no access to the market-data actor and survives that actor's restarts),
/// freshness and staleness, and the last actions with their outcomes. Pure and single-threaded: the
/// <see cref="MarketWatchActor"/> feeds it.
/// </summary>
public sealed class MarketWatch
{
    private readonly Dictionary<string, Entry> _markets = new(StringComparer.Ordinal);
    private readonly int _actionsKept;

    /// <param name="markets">Markets to show before any event arrives (they appear as awaiting a snapshot).</param>
    /// <param name="actionsKept">How many non-HOLD actions to keep per market.</param>
    public MarketWatch(IEnumerable<string>? markets = null, int actionsKept = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionsKept);
        _actionsKept = actionsKept;
        foreach (var ticker in markets ?? []) Market(ticker);
    }

    public void Apply(MarketDataEvent e)
    {
        var m = Market(e.Ticker);
        switch (e)
        {
            case BookSnapshotApplied s:
                if (m.Book.ApplySnapshot(s.Sequence, s.YesBids.ToArray(), s.NoBids.ToArray()) == BookUpdate.Applied) Updated(m, s.At);
                break;
            case BookDeltaApplied d:
                if (m.Book.ApplyDelta(d.Sequence, d.Leg, d.Price, d.Delta) == BookUpdate.Applied) Updated(m, d.At);
                break;
            case BookGapDetected g:
                m.Gaps++;
                Stale(m, g.At, $"sequence gap: expected {g.Expected}, received {g.Received}");
                break;
            case MarketStale s:
                Stale(m, s.At, s.Reason);
                break;
        }
    }

    /// <summary>A decision of the policy: the newest decision of its market, and one of its last actions unless it is a HOLD.</summary>
    public void Apply(DecisionTaken d)
    {
        var m = Market(d.Ticker);
        var action = new MarketAction(d.DecisionId, d.At, d.ActionName, d.Outcome);
        m.LastDecision = action;
        if (d.ActionName != "HOLD") Push(m, action);
    }

    /// <summary>The coordinator's outcome of an action: attached to its decision, or a new entry for an action from elsewhere.</summary>
    public void Apply(ActionResult r, DateTimeOffset at)
    {
        var m = Market(r.Ticker);
        int i = m.Actions.FindIndex(a => a.DecisionId == r.DecisionId);
        if (i >= 0)
        {
            m.Actions = m.Actions.SetItem(i, m.Actions[i] with { Outcome = r.Outcome, Code = r.Code, Message = r.Message });
        }
        else
        {
            Push(m, new MarketAction(r.DecisionId, at, "order", r.ClientOrderId is null ? "" : $"client order {r.ClientOrderId}", r.Outcome, r.Code, r.Message));
        }
        if (m.LastDecision?.DecisionId == r.DecisionId)
            m.LastDecision = m.LastDecision with { Outcome = r.Outcome, Code = r.Code, Message = r.Message };
    }

    /// <summary>Every market, by ticker.</summary>
    public IReadOnlyList<MarketView> Views() => _markets.Values.OrderBy(m => m.Book.Ticker, StringComparer.Ordinal).Select(View).ToList();

    private static MarketView View(Entry m)
    {
        var b = m.Book;
        Price? mid = b.Mid() is { } d ? Price.FromDollars(Math.Round(d, Price.Decimals, MidpointRounding.AwayFromZero)) : null;
        return new MarketView(b.Ticker, b.State, b.BestYesBid, b.BestYesAsk, b.SpreadTicks(), mid, m.LastUpdate, m.Updates,
            b.IsTrusted ? null : m.StaleSince, b.IsTrusted ? null : m.StaleReason, m.Gaps, m.LastDecision, m.Actions);
    }

    private void Push(Entry m, MarketAction action)
    {
        var actions = m.Actions.Insert(0, action);
        m.Actions = actions.Count > _actionsKept ? actions.RemoveRange(_actionsKept, actions.Count - _actionsKept) : actions;
    }

    private static void Updated(Entry m, DateTimeOffset at)
    {
        m.LastUpdate = at;
        m.Updates++;
        if (m.Book.IsTrusted)
        {
            m.StaleSince = null;
            m.StaleReason = null;
        }
    }

    private static void Stale(Entry m, DateTimeOffset at, string reason)
    {
        m.Book.Invalidate();
        m.StaleSince ??= at;
        m.StaleReason = reason;
    }

    private Entry Market(string ticker)
    {
        if (!_markets.TryGetValue(ticker, out var m))
        {
            m = new Entry(new OrderBook(ticker, sequenceCheck: SequenceCheck.Monotonic));
            _markets[ticker] = m;
        }
        return m;
    }

    private sealed class Entry(OrderBook book)
    {
        public OrderBook Book { get; } = book;
        public DateTimeOffset? LastUpdate { get; set; }
        public long Updates { get; set; }
        public DateTimeOffset? StaleSince { get; set; }
        public string? StaleReason { get; set; }
        public int Gaps { get; set; }
        public MarketAction? LastDecision { get; set; }
        public ImmutableList<MarketAction> Actions { get; set; } = ImmutableList<MarketAction>.Empty;
    }
}
