namespace Trader.Kalshi.Rest;

/// <summary>
/// Exponential backoff with jitter: attempt n (1-based) waits a random time in [½, 1] × min(max, base × 2^(n−1)).
/// Pure: the randomness comes from the injected source (a value in [0, 1)), so tests can pin it.
/// </summary>
public sealed record Backoff(TimeSpan BaseDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    /// <summary>For REST reads: 5 attempts, 250 ms doubling to 8 s.</summary>
    public static Backoff Rest { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8), 5);

    /// <summary>For WebSocket reconnects: unbounded attempts, 500 ms doubling to 30 s.</summary>
    public static Backoff Reconnect { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), int.MaxValue);

    public TimeSpan DelayFor(int attempt, double random)
    {
        if (attempt < 1) throw new ArgumentOutOfRangeException(nameof(attempt));
        double cap = MaxDelay.TotalMilliseconds;
        double exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double ceiling = Math.Min(cap, exp);
        double jitter = 0.5 + 0.5 * Math.Clamp(random, 0, 1);
        return TimeSpan.FromMilliseconds(ceiling * jitter);
    }
}
