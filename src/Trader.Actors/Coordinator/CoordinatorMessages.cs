using System.Collections.Immutable;
using Trader.Actors.Orders;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Core.Trading;

namespace Trader.Actors.Coordinator;

/// <summary>The trader's states. The coordinator switches between them with <c>Become</c>.</summary>
public enum TraderState
{
    Idle,
    Calibrating,
    Ready,
    Acting,
    Error,
}

/// <summary>Leave IDLE and calibrate.</summary>
public sealed record StartTrading
{
    public static readonly StartTrading Instance = new();
}

/// <summary>
/// Place an order for a decision. The sender gets exactly one <see cref="ActionResult"/> back: when READY, once the
/// order's outcome is known; when the action is refused (pre-trade check, ERROR, stale after calibration), at once.
/// </summary>
public sealed record SubmitAction(string DecisionId, string Ticker, OrderIntent Intent, Price Price, Quantity Count,
    string? Reason = null, TimeInForce TimeInForce = TimeInForce.GoodTillCanceled);

public enum ActionOutcome
{
    /// <summary>The exchange accepted the order.</summary>
    Placed,

    /// <summary>Not sent: a pre-trade check, the trader's state, or staleness. <see cref="ActionResult.Code"/> names why.</summary>
    Refused,

    /// <summary>Sent and refused by the exchange.</summary>
    Rejected,

    /// <summary>Sent, but its outcome was never seen; the order actor is finding out and the market is blocked meanwhile.</summary>
    Unknown,
}

/// <summary>The outcome of a <see cref="SubmitAction"/>: sent to its sender and published on the event stream (for watchers).</summary>
public sealed record ActionResult(string DecisionId, string Ticker, ActionOutcome Outcome, string? ClientOrderId = null,
    string? Code = null, string? Message = null)
{
    public bool Executed => Outcome == ActionOutcome.Placed;
}

public sealed record PauseTrading(string Reason);

public sealed record ResumeTrading
{
    public static readonly ResumeTrading Instance = new();
}

/// <summary>Recalibrate now (from READY or ERROR).</summary>
public sealed record Recalibrate(string Reason);

/// <summary>Stop taking actions and, when asked, cancel every resting order; answered with <see cref="TradingStopped"/>.</summary>
public sealed record StopTrading(bool CancelResting);

public sealed record TradingStopped(int Canceled, int Failed);

/// <summary>A stream actor reports its connection. Required streams failing fail the system check; optional ones degrade it.</summary>
public sealed record StreamStatusChanged(string Stream, bool Connected, bool Required, string Detail);

/// <summary>Fills from the REST poll or the fill stream; the coordinator de-duplicates them and hands them on.</summary>
public sealed record FillsReceived(IReadOnlyList<Fill> Fills, string Source);

/// <summary>Published on the event stream on every state change.</summary>
public sealed record TraderStateChanged(TraderState From, TraderState To, DateTimeOffset At, string? Reason);

public sealed record GetTraderStatus
{
    public static readonly GetTraderStatus Instance = new();
}

public sealed record TraderStatusReport(
    TraderState State,
    DateTimeOffset StateSince,
    TradingState Trading,
    string? LastError,
    int Calibrations,
    DateTimeOffset? LastCalibration,
    IReadOnlyList<StreamStatus> Streams)
{
    /// <summary>Optional streams that are down (the orderbook socket refused, the account stream lost).</summary>
    public IReadOnlyList<StreamStatus> OptionalStreamsDown => Streams.Where(s => s.Degrades).ToList();

    /// <summary>
    /// Trading goes on with an optional stream down: READY or ACTING, but, for example, without market data (every
    /// market stale, no decisions) or with fills arriving only by the REST poll. The original called this
    /// <c>trading_degraded</c>.
    /// </summary>
    public bool IsDegraded => State is TraderState.Ready or TraderState.Acting && Streams.Any(s => s.Degrades);
}

/// <summary>
/// Published on the event stream whenever the balance, a position or the open orders change: what the decision loop
/// needs of the portfolio. Immutable. <see cref="Cash"/> is the available cash; <see cref="PortfolioValue"/> is the
/// exchange's <c>portfolio_value</c> of the last balance read, which on Kalshi is the value of the positions only
/// (not cash plus positions).
/// </summary>
public sealed record PortfolioUpdated(Money Cash, Money PortfolioValue, ImmutableDictionary<string, Position> Positions,
    IReadOnlyDictionary<string, OpenOrderSummary> OpenOrders);

// ---- the coordinator's own timer messages ----

internal sealed record CalibrationTimedOut
{
    public static readonly CalibrationTimedOut Instance = new();
}

internal sealed record PeriodicRecalibration
{
    public static readonly PeriodicRecalibration Instance = new();
}

internal sealed record RetryCalibration
{
    public static readonly RetryCalibration Instance = new();
}

internal sealed record ActingTimedOut(string DecisionId);
