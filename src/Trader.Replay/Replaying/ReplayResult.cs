using Akka.Configuration;
using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Core.Positions;
using Trader.Core.Status;
using Trader.Kalshi.Api;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>How to replay a tape: as recorded, or with another policy or model.</summary>
public sealed record ReplayOptions
{
    /// <summary>Replaces the recorded <c>trader.decisions.policy</c>.</summary>
    public string? Policy { get; init; }

    /// <summary>Replaces the recorded <c>trader.decisions.model</c>.</summary>
    public string? ModelPath { get; init; }

    /// <summary>More HOCON over the recorded settings.</summary>
    public Config? Overrides { get; init; }

    /// <summary>Where the HOCON defaults are (<c>hocon/</c> next to the program when null).</summary>
    public string? HoconDirectory { get; init; }

    /// <summary>How far apart a replayed REST request and the recorded one that answers it may be (<see cref="TapeHttpHandler"/>).</summary>
    public TimeSpan MatchWindow { get; init; } = TapeHttpHandler.DefaultMatchWindow;
}

/// <summary>What became of a decision's order: placed, refused (with the coordinator's reason), rejected or unknown.</summary>
public sealed record ReplayedOrderResult(ActionOutcome Outcome, string? ClientOrderId, string? Code, string? Message)
{
    public override string ToString() => Outcome switch
    {
        ActionOutcome.Placed => $"placed ({ClientOrderId})",
        ActionOutcome.Refused => $"refused: {Code}: {Message}",
        ActionOutcome.Rejected => $"rejected by the exchange: {Message}",
        ActionOutcome.Unknown => $"outcome unknown: {Message}",
        _ => Outcome.ToString(),
    };
}

/// <summary>
/// One decision of the replayed trader: when, which market, the 52 observation values, the policy's logits (empty when
/// the policy gives an action index only), the action, the order it proposed (or why none), and what became of it.
/// </summary>
public sealed record ReplayedDecision(string DecisionId, DateTimeOffset At, string Ticker, float[] Observation, float[] Logits, int Action,
    string ActionName, string Proposal, ReplayedOrderResult? Result);

/// <summary>A market's position (in contracts, signed: + YES, − NO) changed at a time of the replay.</summary>
public sealed record PositionChange(DateTimeOffset At, string Ticker, Trader.Core.Numbers.Quantity Contracts);

/// <summary>What a replay did.</summary>
public sealed record ReplayResult
{
    public required Tape Tape { get; init; }

    /// <summary>The policy that decided (with its model for ONNX policies).</summary>
    public required string Policy { get; init; }

    public required IReadOnlyList<ReplayedDecision> Decisions { get; init; }

    public required IReadOnlyList<TraderStateChanged> Transitions { get; init; }

    public required StatusLog StatusLog { get; init; }

    /// <summary>The status log in copy-paste form (UTC).</summary>
    public required string StatusText { get; init; }

    /// <summary>The order creates the replayed trader sent, in order.</summary>
    public required IReadOnlyList<CreateOrderRequest> OrdersSent { get; init; }

    /// <summary>The exchange order ids the replayed trader asked to cancel.</summary>
    public required IReadOnlyList<string> CancelsSent { get; init; }

    /// <summary>The WebSocket commands the replayed trader sent (subscribe, get_snapshot, …), with the stream they went to.</summary>
    public required IReadOnlyList<(string Stream, string Frame)> CommandsSent { get; init; }

    /// <summary>What the market data did besides deltas: snapshots applied, gaps detected, markets gone stale.</summary>
    public required IReadOnlyList<MarketDataEvent> MarketEvents { get; init; }

    /// <summary>Every REST request of the replayed trader, with the recorded exchange that answered it.</summary>
    public required IReadOnlyList<ReplayedRequest> Requests { get; init; }

    /// <summary>Requests the tape had no answer for.</summary>
    public required IReadOnlyList<UnansweredRequest> Unanswered { get; init; }

    /// <summary>Recorded requests the replay never made (the recording's orders a replayed policy did not send, …).</summary>
    public required IReadOnlyList<TapeEntry> NotAsked { get; init; }

    /// <summary>Where the replay and the tape parted ways, in plain sentences.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>The coordinator's report at the end of the tape: state, cash, positions in contracts, streams.</summary>
    public required TraderStatusReport Final { get; init; }

    /// <summary>Every change of a position's contracts as the trader saw it (fills, calibrations, settlements), in order.</summary>
    public required IReadOnlyList<PositionChange> PositionHistory { get; init; }

    /// <summary>
    /// The positions at the end with their cost and P&amp;L, as the trader's position actor holds them: open ones, and
    /// closed ones that realized a profit or loss in the session (until a calibration adopts the exchange's list).
    /// </summary>
    public required IReadOnlyDictionary<string, Position> Positions { get; init; }

    /// <summary>The order creates the tape never answered.</summary>
    public IEnumerable<UnansweredRequest> UnansweredOrders => Unanswered.Where(u => u.IsOrderCreate);
}
