using Trader.Core.Status;

namespace Trader.Actors.Status;

public sealed record RecordStatus(string Status, string? Result = null, TimeSpan? Duration = null);

/// <summary>Count a decision outcome in the current state: a trade, or a no-op (HOLD, refused, failed).</summary>
public sealed record CountDecision(bool Traded);

public sealed record GetStatusLog
{
    public static readonly GetStatusLog Instance = new();
}

public sealed record StatusLogResponse(StatusLog Log, string Text);
