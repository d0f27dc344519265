using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trader.Core.Numbers;
using Trader.Exchange.Agents;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Server;

/// <summary>
/// How a <see cref="SimulatedExchangeServer"/> runs. The defaults are what <c>trader sim</c> and the trader's
/// offline run use: loopback, a free port, the built-in markets, liquidity agents trading once a second, Kalshi's
/// Basic rate-limit tier, a demo key with $1,000.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>The address to listen on. Loopback by default: the control endpoint answers loopback callers only.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it from <see cref="SimulatedExchangeServer.RestBase"/>).</summary>
    public int Port { get; init; }

    /// <summary>A market file (<c>docs/markets.example.json</c>); null lists the built-in markets.</summary>
    public string? MarketsFile { get; init; }

    /// <summary>Seeds the exchange (ids, drawn results) and the liquidity agents: the same seed gives the same session.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Where the demo key's private key is written (<c>sim-demo-key.pem</c>, owner-only permissions, with its key id
    /// in <c>sim-demo-key.id</c>); an existing pair there is reused, so the key id stays the same from run to run.
    /// Null keeps the demo key in memory only (tests): <see cref="SimulatedExchangeServer.DemoKey"/> still hands out
    /// credentials.
    /// </summary>
    public string? KeyDirectory { get; init; }

    /// <summary>The demo user's starting cash (positive: the deposit opens the account).</summary>
    public Money StartingBalance { get; init; } = Money.FromDollars(1000);

    /// <summary>How often the exchange's clock is advanced without traffic (market opens, closes, expiries, settlements).</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the liquidity agents act; null switches them off (books then hold only users' orders).</summary>
    public TimeSpan? LiquidityInterval { get; init; } = TimeSpan.FromSeconds(1);

    public LiquidityOptions? Liquidity { get; init; }

    public ExchangeOptions? Exchange { get; init; }

    /// <summary>
    /// The timestamp window of signed requests: a timestamp more than this far from the server's clock (either way) is
    /// refused with 401 <c>header_timestamp_expired</c>. Kalshi's demo accepted ±5 s and refused −30 s and ±5 min
    /// (kalshi-api.md §2.5); 10 s sits between.
    /// </summary>
    public TimeSpan TimestampWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The rate-limit tier of every key (and of anonymous callers, per address); null switches rate limits off.</summary>
    public AccountLimits? RateLimits { get; init; } = Trader.Kalshi.RateLimiting.KalshiRateLimiter.BasicTier;

    /// <summary>
    /// Frames a WebSocket subscription may have waiting to be sent; one more ends the subscription with error 25
    /// (Subscription buffer overflow), as Kalshi does to slow readers.
    /// </summary>
    public int SubscriptionBufferFrames { get; init; } = 10_000;

    /// <summary>WebSocket keep-alive pings.</summary>
    public TimeSpan WebSocketKeepAlive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Faults switched on from the start (the control endpoint changes them at run time).</summary>
    public FaultSettings? Faults { get; init; }

    /// <summary>The clock of the exchange, the timers and authentication.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Logs of the server (requests refused, connections dropped); nothing secret is logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"port {Port} is not between 0 and 65535");
        if (MarketsFile is not null && !File.Exists(MarketsFile)) throw new ArgumentException($"the market file '{MarketsFile}' does not exist");
        if (!StartingBalance.IsPositive) throw new ArgumentException($"the starting balance must be positive (got {StartingBalance.ToWireString()})");
        if (ClockInterval <= TimeSpan.Zero) throw new ArgumentException("the clock interval must be positive");
        if (LiquidityInterval is { } l && l <= TimeSpan.Zero) throw new ArgumentException("the liquidity interval must be positive");
        if (TimestampWindow <= TimeSpan.Zero) throw new ArgumentException("the timestamp window must be positive");
        if (SubscriptionBufferFrames < 1) throw new ArgumentException("the subscription buffer needs room for at least one frame");
        if (RateLimits is { } r && (r.ReadRefillRate <= 0 || r.WriteRefillRate <= 0 || r.ReadBucketCapacity <= 0 || r.WriteBucketCapacity <= 0))
            throw new ArgumentException("rate limits must be positive");
    }
}
