using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trader.Kalshi.Api;
using Trader.Kalshi.Signing;

namespace Trader.Kalshi.Rest;

/// <summary>How a <see cref="KalshiRestClient"/> talks to an exchange.</summary>
public sealed record KalshiClientOptions
{
    public required KalshiEnvironment Environment { get; init; }

    /// <summary>The API key; without one only public endpoints (exchange status, markets, books) work.</summary>
    public KalshiCredentials? Credentials { get; init; }

    /// <summary>
    /// Every HTTP request and response goes through this handler (default: a <see cref="SocketsHttpHandler"/>). It is
    /// the seam for recording and replaying exchange traffic, and for tests.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Clock for signatures, timeouts, backoff and the rate limiter.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Time allowed for one HTTP attempt (headers and body). A write that times out is ambiguous.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of reads (5xx, 429, transport errors) and of requests that were certainly not processed (429, connect failures).</summary>
    public Backoff Retry { get; init; } = Backoff.Rest;

    /// <summary>Source of jitter, a value in [0, 1). Default: <see cref="Random.Shared"/>.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>Initial bucket sizes until <see cref="KalshiRestClient.ConfigureRateLimitsAsync"/> reads the account's (Basic tier by default).</summary>
    public AccountLimits? RateLimits { get; init; }

    /// <summary>Page size for paginated reads (Kalshi's maximum is 1000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>
    /// How far back a 409 duplicate create looks for the order that holds the client order id (the original send time
    /// is not known to this client; Kalshi keeps client order ids forever).
    /// </summary>
    public TimeSpan DuplicateLookupWindow { get; init; } = TimeSpan.FromDays(1);
}
