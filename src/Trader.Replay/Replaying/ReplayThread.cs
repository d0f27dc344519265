namespace Trader.Replay.Replaying;

/// <summary>
/// Watches that a replay stays on its one thread. A replay is deterministic because every continuation — an exchange
/// answer, a frame, a timer — runs on the driver's thread in the order the driver releases them; code that hops to
/// the thread pool (an awaited task completed with <c>RunContinuationsAsynchronously</c>, a <c>Task.Run</c>) would race
/// the virtual clock. The tape's transports check each call; a call from another thread is kept and reported in the
/// replay's notes rather than silently making the output vary.
/// </summary>
public sealed class ReplayThread
{
    private readonly Thread _owner = Thread.CurrentThread;
    private readonly List<string> _strays = [];
    private readonly object _gate = new();

    /// <summary>What reached the tape from another thread, once per kind of call.</summary>
    public IReadOnlyList<string> Strays
    {
        get
        {
            lock (_gate) return _strays.ToList();
        }
    }

    public void Check(string what)
    {
        if (Thread.CurrentThread == _owner) return;
        lock (_gate)
        {
            if (!_strays.Contains(what)) _strays.Add(what);
        }
    }
}
