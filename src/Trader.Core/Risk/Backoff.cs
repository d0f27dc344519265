namespace Trader.Core.Risk;

/// <summary>
/// Capped exponential backoff: <c>min(initial × 2^attempt, max)</c>, attempt counted from 0, optionally spread by a
/// jitter fraction supplied by the caller (so the function stays pure). With the defaults it gives the 10, 20, 40, 60,
/// 60 … seconds the original trader actually used for its paused-state recovery (original-system.md §5.3).
/// </summary>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    public static Backoff Recalibration { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

    /// <param name="attempt">0 for the first retry.</param>
    /// <param name="jitter">A number in [0, 1): the delay is scaled into [delay × (1 − spread / 2), delay × (1 + spread / 2)).</param>
    /// <param name="spread">How much jitter may move the delay, as a fraction of it (0 = none).</param>
    public TimeSpan Delay(int attempt, double jitter = 0.5, double spread = 0)
    {
        if (attempt < 0) throw new ArgumentOutOfRangeException(nameof(attempt));
        double ticks = Initial.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        ticks = Math.Min(ticks, Max.Ticks);
        ticks *= 1 + spread * (jitter - 0.5);
        return TimeSpan.FromTicks((long)ticks);
    }
}
