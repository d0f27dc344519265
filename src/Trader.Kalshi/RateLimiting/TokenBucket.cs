namespace Trader.Kalshi.RateLimiting;

/// <summary>
/// A token bucket like Kalshi's (kalshi-api.md §3.13): it holds up to <see cref="Capacity"/> tokens and refills at
/// <see cref="RefillPerSecond"/>; a request takes its cost in tokens. Requests <em>reserve</em> tokens in arrival
/// order: the bucket may go negative, and the caller waits until its reservation is covered, so a large batch waits
/// its turn instead of starving.
/// <para>
/// It adapts: <see cref="OnRateLimited"/> (a 429 from the exchange, which means our idea of the budget was too
/// generous — other processes share the key, or the tier changed) halves the effective refill rate and empties the
/// bucket; each <see cref="OnSuccess"/> wins back a little of the rate, up to the configured one.
/// Time comes from a <see cref="TimeProvider"/>; thread-safe.
/// </para>
/// </summary>
public sealed class TokenBucket
{
    /// <summary>The effective rate never drops below this share of the configured one.</summary>
    public const double MinimumRateFactor = 1.0 / 16;

    /// <summary>Share of the configured rate won back per successful request after a 429.</summary>
    public const double RecoveryStep = 1.0 / 32;

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _tokens;
    private long _stamp;

    public TokenBucket(string name, double refillPerSecond, double capacity, TimeProvider time)
    {
        if (refillPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(refillPerSecond), "a refill rate must be positive");
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), "a capacity must be positive");
        Name = name;
        _time = time;
        RefillPerSecond = refillPerSecond;
        Capacity = capacity;
        _tokens = capacity;
        _stamp = time.GetTimestamp();
    }

    public string Name { get; }
    public double RefillPerSecond { get; private set; }
    public double Capacity { get; private set; }

    /// <summary>1 normally; less after 429s.</summary>
    public double RateFactor { get; private set; } = 1;

    public double EffectiveRefillPerSecond => RefillPerSecond * RateFactor;

    /// <summary>Tokens available now (negative while reservations are outstanding).</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <summary>Changes the budget (from <c>GET /account/limits</c>); the tokens held are capped at the new capacity.</summary>
    public void Configure(double refillPerSecond, double capacity)
    {
        if (refillPerSecond <= 0 || capacity <= 0) throw new ArgumentOutOfRangeException(nameof(refillPerSecond), "rate and capacity must be positive");
        lock (_gate)
        {
            Refill();
            RefillPerSecond = refillPerSecond;
            Capacity = capacity;
            _tokens = Math.Min(_tokens, capacity);
        }
    }

    /// <summary>Takes <paramref name="cost"/> tokens and says how long the caller must wait before sending (zero when they were there).</summary>
    public TimeSpan Reserve(double cost)
    {
        if (cost < 0) throw new ArgumentOutOfRangeException(nameof(cost));
        lock (_gate)
        {
            Refill();
            _tokens -= cost;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / EffectiveRefillPerSecond);
        }
    }

    /// <summary>Waits (on the <see cref="TimeProvider"/>) until <paramref name="cost"/> tokens are reserved.</summary>
    public async ValueTask WaitAsync(double cost, CancellationToken ct)
    {
        var wait = Reserve(cost);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
    }

    /// <summary>The exchange said 429: slow down (halve the effective rate) and start from an empty bucket.</summary>
    public void OnRateLimited()
    {
        lock (_gate)
        {
            Refill();
            RateFactor = Math.Max(MinimumRateFactor, RateFactor / 2);
            _tokens = Math.Min(_tokens, 0);
        }
    }

    /// <summary>A request went through: win back a little of the configured rate.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            if (RateFactor < 1) RateFactor = Math.Min(1, RateFactor + RecoveryStep);
        }
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double seconds = _time.GetElapsedTime(_stamp, now).TotalSeconds;
        _stamp = now;
        if (seconds > 0) _tokens = Math.Min(Capacity, _tokens + seconds * EffectiveRefillPerSecond);
    }
}
