using Akka.Actor;
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

/// <summary>
/// Tell <paramref name="Message"/> to <paramref name="ReplyTo"/> once every entry sent before this is recorded (the
/// mailbox keeps order). The coordinator answers a stop this way, so the shutdown that follows cannot lose the last
/// entry of the log.
/// </summary>
public sealed record AfterRecorded(IActorRef ReplyTo, object Message);
