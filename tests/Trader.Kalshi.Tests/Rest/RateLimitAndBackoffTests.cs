using Microsoft.Extensions.Time.Testing;
using Trader.Kalshi.Api;
using Trader.Kalshi.RateLimiting;
using Trader.Kalshi.Rest;

namespace Trader.Kalshi.Tests.Rest;

public class RateLimitAndBackoffTests
{
    [Fact]
    public void A_bucket_spends_its_burst_then_makes_callers_wait_for_the_refill()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket("write", refillPerSecond: 100, capacity: 100, time);
        for (int i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, bucket.Reserve(10));
        Assert.Equal(TimeSpan.FromSeconds(0.1), bucket.Reserve(10));
        Assert.Equal(TimeSpan.FromSeconds(0.2), bucket.Reserve(10)); // reservations queue in order
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(0, bucket.Available, 6);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(100, bucket.Available, 6); // never above capacity
    }

    [Fact]
    public async Task WaitAsync_completes_when_virtual_time_reaches_the_reservation()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket("read", 200, 200, time);
        await bucket.WaitAsync(200, CancellationToken.None);
        var waiting = bucket.WaitAsync(100, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_429_halves_the_rate_and_successes_win_it_back()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket("read", 200, 200, time);
        bucket.OnRateLimited();
        Assert.Equal(0.5, bucket.RateFactor);
        Assert.Equal(TimeSpan.FromSeconds(0.1), bucket.Reserve(10)); // empty bucket, 100 tokens/s
        for (int i = 0; i < 10; i++) bucket.OnRateLimited();
        Assert.Equal(TokenBucket.MinimumRateFactor, bucket.RateFactor);
        for (int i = 0; i < 100; i++) bucket.OnSuccess();
        Assert.Equal(1, bucket.RateFactor);
    }

    [Fact]
    public void Limiter_uses_endpoint_costs_and_bills_batch_items()
    {
        var limiter = new KalshiRateLimiter(new FakeTimeProvider());
        Assert.Equal(10, limiter.CostOf(HttpMethod.Post, "/trade-api/v2/portfolio/events/orders"));
        Assert.Equal(2, limiter.CostOf(HttpMethod.Delete, "/trade-api/v2/portfolio/events/orders/2597b999"));
        Assert.Equal(2, limiter.CostOf(HttpMethod.Get, "/trade-api/v2/portfolio/orders/2597b999"));
        Assert.Equal(10, limiter.CostOf(HttpMethod.Get, "/trade-api/v2/portfolio/orders"));
        Assert.Equal(50, limiter.CostOf(HttpMethod.Post, "/trade-api/v2/portfolio/events/orders/batched", items: 5));
        Assert.Equal(6, limiter.CostOf(HttpMethod.Delete, "/trade-api/v2/portfolio/events/orders/batched", items: 3));
        Assert.Equal(RateBucket.Read, KalshiRateLimiter.BucketOf(HttpMethod.Get));
        Assert.Equal(RateBucket.Write, KalshiRateLimiter.BucketOf(HttpMethod.Delete));
        limiter.Configure(new AccountLimits("premier", 1000, 1000, 1000, 2000));
        Assert.Equal(2000, limiter.Write.Capacity);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var b = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 10);
        Assert.Equal(TimeSpan.FromMilliseconds(50), b.DelayFor(1, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(100), b.DelayFor(1, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(400), b.DelayFor(3, 1));
        Assert.Equal(TimeSpan.FromSeconds(1), b.DelayFor(20, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(500), b.DelayFor(int.MaxValue, 0));
    }

    [Theory]
    [InlineData("demo", "https://external-api.demo.kalshi.co/trade-api/v2", "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2")]
    [InlineData("prod", "https://external-api.kalshi.com/trade-api/v2", "wss://external-api-ws.kalshi.com/trade-api/ws/v2")]
    [InlineData("PRODUCTION", "https://external-api.kalshi.com/trade-api/v2", "wss://external-api-ws.kalshi.com/trade-api/ws/v2")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/trade-api/v2", "ws://127.0.0.1:5000/trade-api/ws/v2")]
    [InlineData("http://127.0.0.1:5000/trade-api/v2/", "http://127.0.0.1:5000/trade-api/v2", "ws://127.0.0.1:5000/trade-api/ws/v2")]
    [InlineData("https://demo-api.kalshi.co/trade-api/v2", "https://demo-api.kalshi.co/trade-api/v2", "wss://demo-api.kalshi.co/trade-api/ws/v2")]
    public void Environments_by_name_or_url(string value, string rest, string ws)
    {
        var env = KalshiEnvironment.Parse(value);
        Assert.Equal(rest, env.RestBase.ToString().TrimEnd('/'));
        Assert.Equal(ws, env.WebSocket.ToString());
        Assert.Equal(new Uri(rest + "/portfolio/balance?x=1"), env.Url("/portfolio/balance?x=1"));
    }

    [Theory]
    [InlineData("prod", true)]
    [InlineData("https://external-api.kalshi.com/trade-api/v2", true)]
    [InlineData("https://api.elections.kalshi.com/trade-api/v2", true)]   // still-supported production host
    [InlineData("https://API.Elections.Kalshi.com", true)]
    [InlineData("https://trading-api.kalshi.com/trade-api/v2", true)]     // the older production host
    [InlineData("demo", false)]
    [InlineData("https://demo-api.kalshi.co/trade-api/v2", false)]
    [InlineData("http://127.0.0.1:8700", false)]
    [InlineData("https://kalshi.com.example.org", false)]
    [InlineData("https://notkalshi.com", false)]
    public void Production_is_recognized_by_any_of_its_hosts(string value, bool production) =>
        Assert.Equal(production, KalshiEnvironment.Parse(value).IsProduction);

    [Theory]
    [InlineData("staging")]
    [InlineData("ftp://x")]
    [InlineData("")]
    public void Unknown_environments_are_refused_with_the_choices(string value)
    {
        Assert.False(KalshiEnvironment.TryParse(value, out _, out var error));
        Assert.Contains("demo, prod", error);
    }
}
