using Trader.Core.Status;

namespace Trader.Actors.Status;

/// <summary>
/// Holds the current <see cref="StatusLog"/> outside the status actor, so the log — the debugging lifeline — survives a
/// restart of that actor (its Props hand the same store to the new instance), and readers such as the HTTP status
/// endpoint can take a consistent snapshot without asking an actor. Only the status actor writes.
/// </summary>
public sealed class StatusLogStore
{
    private StatusLog _log = StatusLog.Empty;

    public StatusLog Current => Volatile.Read(ref _log);

    internal void Set(StatusLog log) => Volatile.Write(ref _log, log);
}
