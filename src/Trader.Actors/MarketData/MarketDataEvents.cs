using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Actors.MarketData;

/// <summary>
/// What the market-data actor publishes on the event stream, in the order it saw it. Events carry the data (not the
/// market-data actor's mutable book), so a subscriber that needs depth keeps its own replica by applying them.
/// </summary>
public abstract record MarketDataEvent(string Ticker);

/// <summary>A fresh snapshot replaced the market's book (first subscription, re-snapshot after a gap, reconnect).</summary>
public sealed record BookSnapshotApplied(string Ticker, long Sequence, IReadOnlyList<BookLevel> YesBids, IReadOnlyList<BookLevel> NoBids,
    DateTimeOffset At) : MarketDataEvent(Ticker);

/// <summary>A delta was applied to the market's book. <see cref="ReceivedTimestamp"/> is the <c>Stopwatch</c> timestamp of its arrival, for latency.</summary>
public sealed record BookDeltaApplied(string Ticker, long Sequence, BookLeg Leg, Price Price, Quantity Delta, DateTimeOffset At,
    long ReceivedTimestamp) : MarketDataEvent(Ticker);

/// <summary>The market's book cannot be trusted (a sequence gap on its subscription, the stream down); a re-snapshot is on its way.</summary>
public sealed record MarketStale(string Ticker, string Reason, DateTimeOffset At) : MarketDataEvent(Ticker);

/// <summary>
/// A market that was stale has a trustworthy book again: the snapshot that repaired it was just applied (published right
/// after its <see cref="BookSnapshotApplied"/>). <see cref="StaleSince"/> is when it went stale.
/// </summary>
public sealed record MarketRecovered(string Ticker, DateTimeOffset StaleSince, DateTimeOffset At) : MarketDataEvent(Ticker);

/// <summary>A gap was detected on a subscription: expected <see cref="Expected"/>, received <see cref="Received"/>.</summary>
public sealed record BookGapDetected(string Ticker, long Expected, long Received, DateTimeOffset At) : MarketDataEvent(Ticker);
