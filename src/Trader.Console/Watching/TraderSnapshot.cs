using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Console.Watching;

/// <summary>
/// Everything an operator wants to know about a running trader, gathered at one moment (<see cref="TraderSnapshotSource"/>):
/// served as <c>GET /status</c> (snake_case JSON, money as exact decimal strings) and drawn by the live view. A part
/// whose actor did not answer in time is absent (null or empty) and named in <see cref="Unavailable"/>; the snapshot
/// itself is always produced.
/// </summary>
public sealed record TraderSnapshot
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The coordinator's state: idle, calibrating, ready, acting, error; <c>unknown</c> when it did not answer.</summary>
    public required string State { get; init; }

    /// <summary>READY or ACTING: what <c>/readyz</c> answers 200 for.</summary>
    public bool Ready => State is "ready" or "acting";

    public DateTimeOffset? StateSince { get; init; }

    [JsonPropertyName("time_in_state_seconds")]
    public TimeSpan? TimeInState { get; init; }

    /// <summary>Why the last calibration failed, while it has not succeeded since.</summary>
    public string? LastError { get; init; }

    /// <summary>Why trading is paused (by request, or the exchange's trading is inactive); null when it is not.</summary>
    public string? Paused { get; init; }

    public int Calibrations { get; init; }
    public DateTimeOffset? LastCalibration { get; init; }

    public BalancesView? Balances { get; init; }
    public ImmutableList<PositionView> Positions { get; init; } = [];
    public PnlView Pnl { get; init; } = new();
    public ImmutableList<OpenOrderView> OpenOrders { get; init; } = [];

    /// <summary>Markets where no order may be placed, with the reason (an order whose outcome is unknown).</summary>
    public ImmutableSortedDictionary<string, string> BlockedMarkets { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public MarketDataView MarketData { get; init; } = new();

    /// <summary>The decision loop's counters; null when the trader runs without one (or it did not answer).</summary>
    public DecisionsView? Decisions { get; init; }

    /// <summary>Counters from the metrics (orders by outcome, fills, reconnects, …).</summary>
    public CountersView Counters { get; init; } = new();

    public StatusLogView StatusLog { get; init; } = new();

    /// <summary>Parts that could not be gathered, with why (e.g. <c>decisions: no answer within 2s</c>).</summary>
    public ImmutableList<string> Unavailable { get; init; } = [];
}

/// <summary>The exchange's last balance and what the trader has reserved since.</summary>
/// <param name="Cash">Cash as the exchange last reported it.</param>
/// <param name="PortfolioValue">The exchange's portfolio value.</param>
/// <param name="Available">Cash less the collateral of orders placed since that balance was read.</param>
/// <param name="AsOf">When the balance was read; null before the first sync.</param>
public sealed record BalancesView(Money Cash, Money PortfolioValue, Money Available, Money Reserved, DateTimeOffset? AsOf);

/// <summary>One market's position and P&amp;L. Unrealized P&amp;L is valued at the book's mid when there is one.</summary>
/// <param name="Contracts">Signed: + YES, − NO.</param>
/// <param name="Side">yes, no, or flat (a closed position with realized P&amp;L).</param>
/// <param name="CostBasis">What the contracts held cost, on their own leg.</param>
/// <param name="Mark">The YES mark: the market's mid; null without a two-sided book.</param>
/// <param name="MarkStale">The mark comes from a book that is not trusted right now.</param>
public sealed record PositionView(string Ticker, Quantity Contracts, string Side, Money CostBasis, Money RealizedPnl, Money FeesPaid,
    Money NetRealizedPnl, Price? Mark, bool MarkStale, Money? UnrealizedPnl, Money? MarketValue);

/// <summary>Totals over the positions. <see cref="Unrealized"/> counts only positions with a mark; <see cref="Unmarked"/> says how many had none.</summary>
public sealed record PnlView
{
    public Money Realized { get; init; }
    public Money Unrealized { get; init; }
    public Money Fees { get; init; }

    /// <summary>Realized + unrealized − fees.</summary>
    public Money Net => Realized + Unrealized - Fees;

    public int Unmarked { get; init; }
}

/// <summary>One open order of ours.</summary>
/// <param name="Intent">buy_yes, sell_yes, buy_no, sell_no.</param>
/// <param name="Price">The limit on the order's own contract (NO price for a NO order).</param>
/// <param name="YesPrice">The V2 limit on the YES leg.</param>
/// <param name="Status">submitted, accepted, partially_filled, pending_cancel, unknown (sent, outcome not yet known).</param>
public sealed record OpenOrderView(string ClientOrderId, string? OrderId, string Ticker, string Intent, Price Price, Price YesPrice,
    Quantity Count, Quantity Filled, Quantity Remaining, string Status, DateTimeOffset CreatedAt);

/// <summary>The market data's health.</summary>
public sealed record MarketDataView
{
    /// <summary>
    /// connected (the orderbook stream is up and every book is live), degraded (up, some books not live yet or stale),
    /// down (the stream is down: every market stale, trading continues), connecting (not reported yet), off (no
    /// orderbook stream configured).
    /// </summary>
    public string Status { get; init; } = "off";

    public ImmutableList<StreamView> Streams { get; init; } = [];

    /// <summary>Markets whose book is not live.</summary>
    public int StaleMarkets { get; init; }

    public ImmutableList<MarketBookView> Markets { get; init; } = [];
}

public sealed record StreamView(string Name, bool Connected, bool Required, string Detail);

/// <summary>One market's book summary, freshness and last actions.</summary>
/// <param name="Book">live, awaiting_snapshot, invalidated.</param>
/// <param name="Spread">Best YES ask − best YES bid.</param>
/// <param name="Age">Time since the last snapshot or delta was applied.</param>
public sealed record MarketBookView(
    string Ticker,
    string Book,
    bool Stale,
    BookLevel? BestBid,
    BookLevel? BestAsk,
    Price? Spread,
    Price? Mid,
    DateTimeOffset? LastUpdate,
    [property: JsonPropertyName("age_seconds")] TimeSpan? Age,
    long Updates,
    DateTimeOffset? StaleSince,
    string? StaleReason,
    int Gaps,
    ActionView? LastDecision,
    ImmutableList<ActionView> LastActions);

/// <summary>A decision and its outcome (see <c>MarketAction</c>).</summary>
/// <param name="Outcome">placed, refused, rejected, unknown; null while pending.</param>
public sealed record ActionView(string DecisionId, DateTimeOffset At, string Action, string Proposal, string? Outcome, string? Code, string? Message);

/// <summary>The decision loop's counters since start.</summary>
/// <param name="Actions">Decided actions by type (hold, buy_yes, …).</param>
/// <param name="Skipped">Book updates not decided on, by reason (not_ready, stale, throttled, disabled, refused:&lt;code&gt;).</param>
/// <param name="DisabledUntil">Markets disabled after repeated errors, until when.</param>
public sealed record DecisionsView(string Policy, long Decisions, ImmutableSortedDictionary<string, long> Actions,
    ImmutableSortedDictionary<string, long> Skipped, ImmutableSortedDictionary<string, DateTimeOffset> DisabledUntil);

/// <summary>Counters from the metrics, since start.</summary>
public sealed record CountersView
{
    /// <summary>placed, rejected, unknown, refused.</summary>
    public ImmutableSortedDictionary<string, long> Orders { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    public long Fills { get; init; }

    /// <summary>By stream.</summary>
    public ImmutableSortedDictionary<string, long> Reconnects { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    public long Gaps { get; init; }

    /// <summary>ok, failed.</summary>
    public ImmutableSortedDictionary<string, long> CalibrationResults { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>By actor.</summary>
    public ImmutableSortedDictionary<string, long> ChildRestarts { get; init; } = ImmutableSortedDictionary<string, long>.Empty;
}

/// <summary>The status log (the original's "debugging lifeline"): the current status and the history, oldest first.</summary>
public sealed record StatusLogView
{
    public string? CurrentStatus { get; init; }

    /// <summary>The base of the current status (<c>calibrating</c> for <c>calibrating -> syncing state</c>).</summary>
    public string? CurrentState { get; init; }

    [JsonPropertyName("time_in_state_seconds")]
    public TimeSpan? TimeInState { get; init; }

    public string? PreviousState { get; init; }

    [JsonPropertyName("previous_state_seconds")]
    public TimeSpan? PreviousStateDuration { get; init; }

    /// <summary>Trades and no-ops in the current state, and since start.</summary>
    public int Trades { get; init; }
    public int NoOps { get; init; }
    public int SessionTrades { get; init; }
    public int SessionNoOps { get; init; }

    public ImmutableList<StatusEntryView> History { get; init; } = [];
}

public sealed record StatusEntryView(
    DateTimeOffset Timestamp,
    string Status,
    string? Result,
    [property: JsonPropertyName("duration_seconds")] TimeSpan? Duration,
    [property: JsonPropertyName("time_in_status_seconds")] TimeSpan TimeInStatus);
