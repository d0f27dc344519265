using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Kalshi.RateLimiting;

/// <summary>Which of Kalshi's two buckets a request draws from: reads (GET) or writes (everything else).</summary>
public enum RateBucket
{
    Read,
    Write,
}

/// <summary>
/// Token costs per endpoint (<c>GET /account/endpoint_costs</c>): a default (10) and exceptions keyed by method and
/// route template (<c>/trade-api/v2/portfolio/events/orders/:order_id</c>). The defaults are the ones recorded on
/// demo (kalshi-api.md §3.13, §9.2): V2 cancel and batch cancel 2, one order by id 2.
/// </summary>
public sealed class EndpointCosts
{
    private readonly (string Method, string[] Segments, int Cost)[] _entries;

    public EndpointCosts(int defaultCost, IEnumerable<(string Method, string Path, int Cost)> costs)
    {
        if (defaultCost < 0) throw new ArgumentOutOfRangeException(nameof(defaultCost));
        DefaultCost = defaultCost;
        _entries = costs.Select(c => (c.Method.ToUpperInvariant(), Split(c.Path), c.Cost)).ToArray();
    }

    public int DefaultCost { get; }

    public static EndpointCosts Defaults { get; } = new(10,
    [
        ("DELETE", "/trade-api/v2/portfolio/events/orders/:order_id", 2),
        ("DELETE", "/trade-api/v2/portfolio/events/orders/batched", 2),
        ("GET", "/trade-api/v2/portfolio/orders/:order_id", 2),
    ]);

    public static EndpointCosts From(GetAccountEndpointCostsResponseDto dto) =>
        new(dto.DefaultCost, dto.EndpointCosts.Select(c => (c.Method, c.Path, c.Cost)));

    /// <summary>The cost of one request to <paramref name="path"/> (the signed path, <c>/trade-api/v2/…</c>).
    /// Literal segments win over <c>:param</c> segments (<c>…/orders/batched</c> over <c>…/orders/:order_id</c>).</summary>
    public int CostOf(string method, string path)
    {
        var segments = Split(path);
        int best = -1, bestLiterals = -1;
        foreach (var (m, template, cost) in _entries)
        {
            if (!string.Equals(m, method, StringComparison.OrdinalIgnoreCase) || template.Length != segments.Length) continue;
            int literals = 0;
            bool match = true;
            for (int i = 0; i < template.Length && match; i++)
            {
                if (template[i].StartsWith(':')) continue;
                if (string.Equals(template[i], segments[i], StringComparison.Ordinal)) literals++;
                else match = false;
            }
            if (match && literals > bestLiterals)
            {
                best = cost;
                bestLiterals = literals;
            }
        }
        return best >= 0 ? best : DefaultCost;
    }

    private static string[] Split(string path)
    {
        int q = path.IndexOf('?');
        if (q >= 0) path = path[..q];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}

/// <summary>
/// The client side of Kalshi's rate limits: a read bucket and a write bucket (Basic tier by default: 200 and 100
/// tokens per second), per-endpoint costs, batch items billed one by one. <see cref="Configure(AccountLimits)"/> sizes
/// the buckets from <c>GET /account/limits</c>; a 429 slows the affected bucket down (<see cref="TokenBucket.OnRateLimited"/>).
/// </summary>
public sealed class KalshiRateLimiter
{
    /// <summary>Kalshi's Basic tier (§3.13): reads 200 tokens/s, writes 100 tokens/s, one second of burst.</summary>
    public static AccountLimits BasicTier { get; } = new("basic", 200, 200, 100, 100);

    public KalshiRateLimiter(TimeProvider time, AccountLimits? limits = null, EndpointCosts? costs = null)
    {
        limits ??= BasicTier;
        Read = new TokenBucket("read", limits.ReadRefillRate, limits.ReadBucketCapacity, time);
        Write = new TokenBucket("write", limits.WriteRefillRate, limits.WriteBucketCapacity, time);
        Costs = costs ?? EndpointCosts.Defaults;
    }

    public TokenBucket Read { get; }
    public TokenBucket Write { get; }
    public EndpointCosts Costs { get; private set; }

    public static RateBucket BucketOf(HttpMethod method) => method == HttpMethod.Get ? RateBucket.Read : RateBucket.Write;

    public TokenBucket this[RateBucket bucket] => bucket == RateBucket.Read ? Read : Write;

    public void Configure(AccountLimits limits)
    {
        Read.Configure(limits.ReadRefillRate, limits.ReadBucketCapacity);
        Write.Configure(limits.WriteRefillRate, limits.WriteBucketCapacity);
    }

    public void Configure(EndpointCosts costs) => Costs = costs;

    /// <summary>Tokens a request costs: the endpoint's cost, times the number of items for a batch.</summary>
    public int CostOf(HttpMethod method, string signedPath, int items = 1) => Costs.CostOf(method.Method, signedPath) * Math.Max(1, items);

    /// <summary>Waits until the request may be sent.</summary>
    public ValueTask WaitAsync(HttpMethod method, string signedPath, int items, CancellationToken ct) =>
        this[BucketOf(method)].WaitAsync(CostOf(method, signedPath, items), ct);
}
