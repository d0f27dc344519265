using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;

namespace Trader.Kalshi.Streaming;

/// <summary>
/// What to subscribe to: one or more channels, the markets (required for <c>orderbook_delta</c>; omitted = all markets
/// for channels that allow it), and options. <see cref="UseYesPrice"/> is always sent explicitly with
/// <c>orderbook_delta</c> (Kalshi will flip its default); whatever it is, the session hands out NO bids in NO-leg prices.
/// </summary>
public sealed record SubscriptionRequest(
    IReadOnlyList<string> Channels,
    IReadOnlyList<string>? MarketTickers = null,
    bool UseYesPrice = false,
    bool? SendInitialSnapshot = null)
{
    public static SubscriptionRequest OrderBook(IReadOnlyList<string> tickers, bool useYesPrice = false) =>
        new([Wire.StreamChannels.OrderbookDelta], tickers, useYesPrice);
}

/// <summary>
/// A durable subscription: one channel and its markets, with a client-side <see cref="Id"/> that stays the same across
/// reconnects while the server's <see cref="Sid"/> changes (null while not subscribed on the current connection).
/// </summary>
public sealed class StreamSubscription
{
    private readonly object _gate = new();
    private List<string> _markets;

    internal StreamSubscription(int id, string channel, IEnumerable<string> markets, bool useYesPrice, bool? sendInitialSnapshot)
    {
        Id = id;
        Channel = channel;
        _markets = markets.Distinct(StringComparer.Ordinal).ToList();
        UseYesPrice = useYesPrice;
        SendInitialSnapshot = sendInitialSnapshot;
    }

    public int Id { get; }
    public string Channel { get; }
    public bool UseYesPrice { get; }
    public bool? SendInitialSnapshot { get; }

    /// <summary>The server's id on the current connection; null before it is confirmed or after a disconnect.</summary>
    public long? Sid { get; internal set; }

    public IReadOnlyList<string> Markets
    {
        get
        {
            lock (_gate) return _markets.ToArray();
        }
    }

    internal void SetMarkets(IEnumerable<string> markets)
    {
        lock (_gate) _markets = markets.Distinct(StringComparer.Ordinal).ToList();
    }

    internal void AddMarkets(IEnumerable<string> markets)
    {
        lock (_gate) _markets = _markets.Concat(markets).Distinct(StringComparer.Ordinal).ToList();
    }

    internal void RemoveMarkets(IEnumerable<string> markets)
    {
        var gone = markets.ToHashSet(StringComparer.Ordinal);
        lock (_gate) _markets = _markets.Where(m => !gone.Contains(m)).ToList();
    }

    public override string ToString() => $"subscription {Id} ({Channel}, sid {Sid?.ToString() ?? "none"}, {Markets.Count} markets)";
}

/// <summary>
/// The durable subscriptions of a stream, kept across connections: a new session (after a reconnect, or an actor
/// restarted by its supervisor) given the same registry resubscribes them and maps the new sids to the same ids.
/// Thread-safe.
/// </summary>
public sealed class SubscriptionRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<int, StreamSubscription> _byId = [];
    private readonly Dictionary<long, StreamSubscription> _bySid = [];
    private int _nextId;

    public IReadOnlyList<StreamSubscription> All
    {
        get
        {
            lock (_gate) return _byId.Values.OrderBy(s => s.Id).ToArray();
        }
    }

    public StreamSubscription? this[int id]
    {
        get
        {
            lock (_gate) return _byId.GetValueOrDefault(id);
        }
    }

    public StreamSubscription? BySid(long sid)
    {
        lock (_gate) return _bySid.GetValueOrDefault(sid);
    }

    /// <summary>Registers one durable subscription per channel of the request.</summary>
    public IReadOnlyList<StreamSubscription> Add(SubscriptionRequest request)
    {
        if (request.Channels.Count == 0) throw new ArgumentException("a subscription needs at least one channel", nameof(request));
        if (request.Channels.Contains(Wire.StreamChannels.OrderbookDelta) && request.MarketTickers is not { Count: > 0 })
            throw new ArgumentException("orderbook_delta needs at least one market ticker", nameof(request));
        lock (_gate)
        {
            return request.Channels.Select(channel =>
            {
                var s = new StreamSubscription(++_nextId, channel, request.MarketTickers ?? [], request.UseYesPrice, request.SendInitialSnapshot);
                _byId.Add(s.Id, s);
                return s;
            }).ToArray();
        }
    }

    public void Remove(int id)
    {
        lock (_gate)
        {
            if (!_byId.Remove(id, out var s)) return;
            if (s.Sid is { } sid) _bySid.Remove(sid);
            s.Sid = null;
        }
    }

    internal void Bind(StreamSubscription s, long sid)
    {
        lock (_gate)
        {
            if (s.Sid is { } old) _bySid.Remove(old);
            s.Sid = sid;
            _bySid[sid] = s;
        }
    }

    internal void Unbind(StreamSubscription s)
    {
        lock (_gate)
        {
            if (s.Sid is { } old) _bySid.Remove(old);
            s.Sid = null;
        }
    }

    /// <summary>Forgets every sid (the connection is gone); the subscriptions stay, to be restored.</summary>
    internal void UnbindAll()
    {
        lock (_gate)
        {
            foreach (var s in _byId.Values) s.Sid = null;
            _bySid.Clear();
        }
    }
}

/// <summary>How a stream connects and behaves.</summary>
public sealed record KalshiStreamOptions
{
    /// <summary>The WebSocket URL (<see cref="KalshiEnvironment.WebSocket"/>).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Signs the upgrade (<c>GET /trade-api/ws/v2</c>), freshly on every connection. Kalshi requires it even for public channels.</summary>
    public KalshiCredentials? Credentials { get; init; }

    public IWebSocketConnector Connector { get; init; } = new ClientWebSocketConnector();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>How long a command waits for its answer.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether code awaiting a command's answer continues on the thread pool (the default: the receive loop never runs
    /// it) or on the receive loop itself, synchronously, as the answer is read. A replay on virtual time needs the
    /// latter: it drives the receive loop from one thread, and an answer handled on a pool thread would race its clock.
    /// </summary>
    public bool ContinueCommandsOnThreadPool { get; init; } = true;

    /// <summary>Reconnect delays of <see cref="ResilientKalshiStream"/>.</summary>
    public Backoff Reconnect { get; init; } = Backoff.Reconnect;

    /// <summary>Source of jitter, a value in [0, 1).</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public static KalshiStreamOptions For(KalshiEnvironment environment, KalshiCredentials? credentials) =>
        new() { Endpoint = environment.WebSocket, Credentials = credentials };
}

/// <summary>Counters of a stream (all connections of a resilient stream), for status pages and tests.</summary>
public sealed class StreamStatistics
{
    private long _frames, _malformed, _unknown, _gaps, _duplicates, _dropped, _connections;

    public long Frames => Interlocked.Read(ref _frames);
    public long Malformed => Interlocked.Read(ref _malformed);
    public long Unknown => Interlocked.Read(ref _unknown);
    public long Gaps => Interlocked.Read(ref _gaps);
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Deltas dropped because their market was waiting for a snapshot after a gap.</summary>
    public long DroppedAwaitingSnapshot => Interlocked.Read(ref _dropped);

    public long Connections => Interlocked.Read(ref _connections);

    internal void Frame() => Interlocked.Increment(ref _frames);
    internal void MalformedFrame() => Interlocked.Increment(ref _malformed);
    internal void UnknownFrame() => Interlocked.Increment(ref _unknown);
    internal void Gap() => Interlocked.Increment(ref _gaps);
    internal void Duplicate() => Interlocked.Increment(ref _duplicates);
    internal void Dropped() => Interlocked.Increment(ref _dropped);
    internal void Connection() => Interlocked.Increment(ref _connections);

    public override string ToString() =>
        $"frames {Frames}, malformed {Malformed}, unknown {Unknown}, gaps {Gaps}, duplicates {Duplicates}, dropped awaiting snapshot {DroppedAwaitingSnapshot}, connections {Connections}";
}

/// <summary>A command was refused by the exchange (<c>type:"error"</c>) or got no answer.</summary>
public sealed class StreamCommandException(string command, int? code, string message)
    : Exception(code is null ? $"{command}: {message}" : $"{command}: error {code}: {message}")
{
    public string Command { get; } = command;

    /// <summary>Kalshi's WebSocket error code (kalshi-api.md §4.3); null for a timeout.</summary>
    public int? Code { get; } = code;
}

/// <summary>The connection ended while a command waited for its answer.</summary>
public sealed class StreamConnectionLostException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How a session's connection ended.</summary>
public sealed record StreamClosed(string Reason, Exception? Error);
