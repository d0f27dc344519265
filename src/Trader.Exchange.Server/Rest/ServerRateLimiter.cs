using System.Collections.Concurrent;
using Trader.Kalshi.Api;
using Trader.Kalshi.RateLimiting;

namespace Trader.Exchange.Server.Rest;

/// <summary>
/// Kalshi's rate limits on the server side (kalshi-api.md §3.13): every key (anonymous callers: every address) has a
/// read bucket (GET) and a write bucket (everything else) of the configured tier, refilled continuously; a request
/// costs its endpoint's tokens (<see cref="CostTable"/>: 10 by default, V2 cancel and batch cancel 2, one order by id
/// 2), batch requests once per item. A request that finds too few tokens is refused (429) and takes none.
/// A request costing more than a whole bucket (a large batch) is let through when the bucket is full, leaving it in
/// debt, so it is slow but possible rather than impossible.
/// </summary>
public sealed class ServerRateLimiter(AccountLimits limits, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (Bucket Read, Bucket Write)> _buckets = new(StringComparer.Ordinal);

    public AccountLimits Limits { get; } = limits;

    /// <summary>The token costs that differ from the default, as <c>GET /account/endpoint_costs</c> lists them (recorded on demo, §9.2).</summary>
    public static readonly IReadOnlyList<(string Method, string Path, int Cost)> CostTable =
    [
        ("DELETE", "/trade-api/v2/portfolio/events/orders/:order_id", 2),
        ("DELETE", "/trade-api/v2/portfolio/events/orders/batched", 2),
        ("GET", "/trade-api/v2/portfolio/orders/:order_id", 2),
    ];

    public const int DefaultCost = 10;

    public EndpointCosts Costs { get; } = new(DefaultCost, CostTable);

    /// <summary>Takes the request's tokens from the identity's bucket; false (nothing taken) when there are too few.</summary>
    public bool TryTake(string identity, string method, string signedPath, int items = 1)
    {
        var (read, write) = _buckets.GetOrAdd(identity, _ => (
            new Bucket(Limits.ReadRefillRate, Limits.ReadBucketCapacity, time),
            new Bucket(Limits.WriteRefillRate, Limits.WriteBucketCapacity, time)));
        var bucket = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) ? read : write;
        return bucket.TryTake(Costs.CostOf(method, signedPath) * Math.Max(1, items));
    }

    private sealed class Bucket
    {
        private readonly object _gate = new();
        private readonly double refillPerSecond;
        private readonly double capacity;
        private readonly TimeProvider time;
        private double _tokens;
        private long _stamp;

        public Bucket(double refillPerSecond, double capacity, TimeProvider time)
        {
            this.refillPerSecond = refillPerSecond;
            this.capacity = capacity;
            this.time = time;
            _tokens = capacity;
            _stamp = time.GetTimestamp();
        }

        public bool TryTake(double cost)
        {
            lock (_gate)
            {
                long now = time.GetTimestamp();
                _tokens = Math.Min(capacity, _tokens + time.GetElapsedTime(_stamp, now).TotalSeconds * refillPerSecond);
                _stamp = now;
                if (_tokens < Math.Min(cost, capacity)) return false;
                _tokens -= cost;
                return true;
            }
        }
    }
}
