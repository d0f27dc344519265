using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trader.Core.Books;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Wire;

namespace Trader.Kalshi.Streaming;

/// <summary>
/// One WebSocket connection to Kalshi: connect (signed upgrade), run the receive loop, send commands and await their
/// answers. This is the unit an actor owns and a supervisor restarts; <see cref="ResilientKalshiStream"/> wraps it to
/// reconnect by itself. Give a new session the previous one's <see cref="SubscriptionRegistry"/> and call
/// <see cref="RestoreSubscriptionsAsync"/> to resubscribe everything under the same durable ids.
/// <para>
/// Sequence numbers are tracked per sid for every frame that carries one (snapshots, deltas, trades, lifecycle, and
/// the <c>ok</c>/<c>unsubscribed</c> replies that consume seq). A duplicate is skipped; a gap is reported
/// (<see cref="SequenceGapDetected"/>) and, for an order book subscription, answered with
/// <c>update_subscription</c>/<c>get_snapshot</c> for all its markets — their deltas are dropped until the snapshots
/// arrive. A frame that cannot be read is logged, counted and skipped. Subscriptions ended by the exchange (errors 10
/// and 25) are renewed.
/// </para>
/// Commands are answered by the receive loop: <see cref="RunAsync"/> must be running while a command is awaited.
/// </summary>
public sealed class KalshiStreamSession : IAsyncDisposable
{
    private readonly KalshiStreamOptions _options;
    private readonly IKalshiStreamHandler _handler;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, PendingCommand> _pending = new();
    private readonly Dictionary<long, SequenceTracker> _sequences = [];
    private readonly Dictionary<long, HashSet<string>> _awaitingSnapshot = [];
    private readonly TickerInterner _tickers = new();
    private readonly HashSet<string> _unknownTypesLogged = new(StringComparer.Ordinal);
    private IWebSocketConnection? _connection;
    private int _nextCommandId;
    private volatile bool _closed;

    public KalshiStreamSession(KalshiStreamOptions options, IKalshiStreamHandler handler, SubscriptionRegistry? registry = null,
        StreamStatistics? statistics = null)
    {
        _options = options;
        _handler = handler;
        _log = options.Logger;
        Subscriptions = registry ?? new SubscriptionRegistry();
        Statistics = statistics ?? new StreamStatistics();
    }

    public SubscriptionRegistry Subscriptions { get; }

    public StreamStatistics Statistics { get; }

    public bool IsConnected => _connection is not null && !_closed;

    // ---- connection --------------------------------------------------------------------------------------------

    /// <summary>Opens the connection with freshly signed headers.</summary>
    public async Task ConnectAsync(CancellationToken ct, int attempt = 1)
    {
        if (_connection is not null) throw new InvalidOperationException("this session is already connected; use a new session to reconnect");
        var headers = _options.Credentials is { } c
            ? c.Sign("GET", KalshiSignature.SignedPath(_options.Endpoint), _options.Time).AsPairs().ToList()
            : [];
        _connection = await _options.Connector.ConnectAsync(_options.Endpoint, headers, ct).ConfigureAwait(false);
        Statistics.Connection();
        _log.LogInformation("Kalshi stream connected to {Endpoint}", _options.Endpoint);
        _handler.OnEvent(new StreamConnected(_options.Endpoint, attempt));
    }

    /// <summary>
    /// The receive loop: reads and dispatches frames until the connection ends (the server closes it, it fails, or
    /// <paramref name="ct"/> is canceled). Then every waiting command fails, every sid is forgotten and
    /// <see cref="StreamDisconnected"/> is reported. An exception thrown by the handler ends the loop and is rethrown.
    /// </summary>
    public async Task<StreamClosed> RunAsync(CancellationToken ct)
    {
        var connection = _connection ?? throw new InvalidOperationException("connect first");
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        StreamClosed closed;
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                if (!await connection.ReceiveAsync(buffer, ct).ConfigureAwait(false))
                {
                    closed = new StreamClosed($"closed by the server ({connection.CloseReason ?? "no reason"})", null);
                    break;
                }
                Process(buffer.WrittenSpan);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            closed = new StreamClosed("stopped", null);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException
                                       or OperationCanceledException) // not ours (the filter above): the transport aborted
        {
            closed = new StreamClosed($"connection lost: {e.Message}", e);
        }
        finally
        {
            _closed = true;
        }
        EndConnection(closed);
        return closed;
    }

    private void EndConnection(StreamClosed closed)
    {
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _))
                pending.Done.TrySetException(new StreamConnectionLostException($"{pending.Command} #{id}: {closed.Reason}", closed.Error));
        }
        Subscriptions.UnbindAll();
        _sequences.Clear();
        _awaitingSnapshot.Clear();
        _log.LogWarning("Kalshi stream ended: {Reason}", closed.Reason);
        _handler.OnEvent(new StreamDisconnected(closed.Reason, closed.Error));
    }

    public async Task CloseAsync(CancellationToken ct)
    {
        if (_connection is { } c && !_closed)
        {
            try
            {
                await c.CloseAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
            {
                _log.LogDebug("closing the stream: {Problem}", e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        if (_connection is { } c) await c.DisposeAsync().ConfigureAwait(false);
        _sendLock.Dispose();
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /// <summary>Subscribes: one durable subscription per channel, each confirmed with its sid.</summary>
    public async Task<IReadOnlyList<StreamSubscription>> SubscribeAsync(SubscriptionRequest request, CancellationToken ct)
    {
        var subs = Subscriptions.Add(request).ToArray();
        try
        {
            await Await(StartSubscribe(subs, request.Channels, request.MarketTickers, request.UseYesPrice, request.SendInitialSnapshot), "subscribe", ct)
                .ConfigureAwait(false);
            return subs;
        }
        catch (StreamCommandException)
        {
            foreach (var s in subs) Subscriptions.Remove(s.Id);
            throw;
        }
    }

    /// <summary>Resubscribes every registered subscription that has no sid on this connection (after a reconnect).</summary>
    public async Task RestoreSubscriptionsAsync(CancellationToken ct)
    {
        var tasks = Subscriptions.All.Where(s => s.Sid is null)
            .Select(s => Await(StartSubscribe([s], [s.Channel], s.Markets, s.UseYesPrice, s.SendInitialSnapshot), "subscribe", ct))
            .ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public async Task UnsubscribeAsync(int subscriptionId, CancellationToken ct)
    {
        var s = Subscriptions[subscriptionId] ?? throw new ArgumentException($"no subscription {subscriptionId}", nameof(subscriptionId));
        if (s.Sid is { } sid)
        {
            var payload = KalshiJson.SerializeToUtf8Bytes(new StreamCommandDto<UnsubscribeParamsDto>(NextId(), StreamCommands.Unsubscribe, new([sid])));
            await Await(Start(StreamCommands.Unsubscribe, payload), "unsubscribe", ct).ConfigureAwait(false);
        }
        Subscriptions.Remove(subscriptionId);
    }

    /// <summary>Adds markets to a subscription; returns the subscription's full market list as the exchange states it.</summary>
    public Task<IReadOnlyList<string>> AddMarketsAsync(int subscriptionId, IReadOnlyList<string> tickers, CancellationToken ct) =>
        UpdateMarketsAsync(subscriptionId, StreamCommands.AddMarkets, tickers, ct);

    public Task<IReadOnlyList<string>> RemoveMarketsAsync(int subscriptionId, IReadOnlyList<string> tickers, CancellationToken ct) =>
        UpdateMarketsAsync(subscriptionId, StreamCommands.DeleteMarkets, tickers, ct);

    private async Task<IReadOnlyList<string>> UpdateMarketsAsync(int subscriptionId, string action, IReadOnlyList<string> tickers, CancellationToken ct)
    {
        var s = Subscriptions[subscriptionId] ?? throw new ArgumentException($"no subscription {subscriptionId}", nameof(subscriptionId));
        if (action == StreamCommands.AddMarkets) s.AddMarkets(tickers);
        else s.RemoveMarkets(tickers);
        if (s.Sid is not { } sid) return s.Markets; // applied when the subscription is restored
        var reply = await Await(Start(StreamCommands.UpdateSubscription, UpdatePayload(sid, action, tickers)), action, ct).ConfigureAwait(false);
        return reply.Markets ?? s.Markets;
    }

    /// <summary>Asks for fresh order book snapshots of a subscription's markets (all of them when <paramref name="tickers"/> is null).</summary>
    public async Task RequestSnapshotAsync(int subscriptionId, IReadOnlyList<string>? tickers, CancellationToken ct)
    {
        var s = Subscriptions[subscriptionId] ?? throw new ArgumentException($"no subscription {subscriptionId}", nameof(subscriptionId));
        long sid = s.Sid ?? throw new InvalidOperationException($"{s} is not subscribed on this connection");
        await Await(Start(StreamCommands.UpdateSubscription, UpdatePayload(sid, StreamCommands.GetSnapshot, tickers ?? s.Markets)), "get_snapshot", ct)
            .ConfigureAwait(false);
    }

    /// <summary><c>list_subscriptions</c>: the channels and sids the exchange holds for this connection.</summary>
    public async Task<IReadOnlyList<SubscriptionInfoDto>> ListSubscriptionsAsync(CancellationToken ct)
    {
        var payload = KalshiJson.SerializeToUtf8Bytes(new StreamCommandDto<object>(NextId(), StreamCommands.ListSubscriptions));
        var reply = await Await(Start(StreamCommands.ListSubscriptions, payload), "list_subscriptions", ct).ConfigureAwait(false);
        return reply.Msg is { ValueKind: JsonValueKind.Array } msg
            ? msg.Deserialize<List<SubscriptionInfoDto>>(KalshiJson.Lenient) ?? []
            : [];
    }

    private sealed record Reply(string Type, JsonElement? Msg, long? Sid, IReadOnlyList<string>? Markets);

    private sealed class PendingCommand(string command, StreamSubscription[] subscriptions, bool continueOnThreadPool)
    {
        public string Command { get; } = command;
        public StreamSubscription[] Subscriptions { get; } = subscriptions;
        public int Confirmed;
        public TaskCompletionSource<Reply> Done { get; } = new(continueOnThreadPool ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
    }

    private int NextId() => Interlocked.Increment(ref _nextCommandId);

    private byte[] UpdatePayload(long sid, string action, IReadOnlyList<string> tickers) =>
        KalshiJson.SerializeToUtf8Bytes(new StreamCommandDto<UpdateSubscriptionParamsDto>(NextId(), StreamCommands.UpdateSubscription,
            new UpdateSubscriptionParamsDto(action, Sid: sid, MarketTickers: tickers)));

    private (int Id, Task<Reply> Reply) StartSubscribe(StreamSubscription[] subs, IReadOnlyList<string> channels, IReadOnlyList<string>? markets,
        bool useYesPrice, bool? sendInitialSnapshot)
    {
        bool orderbook = channels.Contains(StreamChannels.OrderbookDelta);
        var p = new SubscribeParamsDto(
            channels,
            MarketTickers: markets is { Count: > 0 } ? markets : null,
            SendInitialSnapshot: sendInitialSnapshot,
            UseYesPrice: orderbook ? useYesPrice : null);
        int id = NextId();
        return Start(StreamCommands.Subscribe, KalshiJson.SerializeToUtf8Bytes(new StreamCommandDto<SubscribeParamsDto>(id, StreamCommands.Subscribe, p)), subs, id);
    }

    /// <summary>Registers the command's id and sends it; the reply task completes from the receive loop.</summary>
    private (int Id, Task<Reply> Reply) Start(string command, byte[] payload, StreamSubscription[]? subs = null, int? knownId = null)
    {
        int id = knownId ?? ReadId(payload);
        var pending = new PendingCommand(command, subs ?? [], _options.ContinueCommandsOnThreadPool);
        _pending[id] = pending;
        _ = SendAsync(payload, id);
        return (id, pending.Done.Task);
    }

    private static int ReadId(byte[] payload)
    {
        var r = new Utf8JsonReader(payload);
        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.PropertyName && r.ValueTextEquals("id"u8) && r.Read()) return r.GetInt32();
        }
        throw new InvalidOperationException("command without id");
    }

    private async Task SendAsync(byte[] payload, int id)
    {
        var connection = _connection;
        try
        {
            if (connection is null || _closed) throw new StreamConnectionLostException("the stream is not connected");
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await connection.SendTextAsync(payload, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is StreamConnectionLostException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            if (_pending.TryRemove(id, out var pending))
                pending.Done.TrySetException(e as StreamConnectionLostException ?? new StreamConnectionLostException($"{pending.Command} #{id}: could not send: {e.Message}", e));
        }
    }

    private async Task<Reply> Await((int Id, Task<Reply> Reply) command, string what, CancellationToken ct)
    {
        try
        {
            return await command.Reply.WaitAsync(_options.CommandTimeout, _options.Time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(command.Id, out _);
            throw new StreamCommandException($"{what} #{command.Id}", null, $"no answer within {_options.CommandTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>A command sent from the receive loop (gap recovery, renewal): nobody awaits it; a failure is reported.</summary>
    private void FireAndForget((int Id, Task<Reply> Reply) command, string what, StreamSubscription? s)
    {
        _ = command.Reply.ContinueWith(t =>
        {
            if (t.Exception?.InnerException is { } e and not StreamConnectionLostException)
            {
                _log.LogWarning("{Command} #{Id} failed: {Problem}", what, command.Id, e.Message);
                _handler.OnEvent(new StreamErrorReported(s?.Id, s?.Sid, (e as StreamCommandException)?.Code ?? 0, $"{what}: {e.Message}", false));
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // ---- the receive loop's dispatch ---------------------------------------------------------------------------

    /// <summary>Handles one frame (public for tests and benchmarks that feed frames without a socket).</summary>
    public void Process(ReadOnlySpan<byte> frame)
    {
        Statistics.Frame();
        FrameHeader h;
        try
        {
            h = StreamFrameReader.ReadHeader(frame);
        }
        catch (Exception e) when (e is KalshiWireException or JsonException)
        {
            Malformed(e.Message, frame);
            return;
        }

        if (h.Sid is { } sid && h.Seq is { } seq && !CheckSequence(sid, seq, h.Type)) return;

        try
        {
            Dispatch(h, frame);
        }
        catch (Exception e) when (e is KalshiWireException or JsonException)
        {
            Malformed(e.Message, frame);
        }
    }

    /// <summary>False when the frame is a duplicate and must be skipped.</summary>
    private bool CheckSequence(long sid, long seq, FrameType type)
    {
        if (!_sequences.TryGetValue(sid, out var tracker)) _sequences[sid] = tracker = new SequenceTracker();
        long expected = tracker.Last + 1;
        switch (tracker.Observe(seq))
        {
            case SequenceStatus.Duplicate:
                Statistics.Duplicate();
                return false;
            case SequenceStatus.Gap:
                OnGap(sid, expected, seq);
                return true;
            default:
                return true;
        }
    }

    private void OnGap(long sid, long expected, long received)
    {
        Statistics.Gap();
        var s = Subscriptions.BySid(sid);
        var markets = s?.Markets ?? [];
        bool snapshot = s is not null && s.Channel == StreamChannels.OrderbookDelta && markets.Count > 0;
        _log.LogWarning("Kalshi stream gap on sid {Sid}: expected seq {Expected}, got {Received}; {Action}", sid, expected, received,
            snapshot ? "requesting snapshots" : "no snapshot to request");
        if (snapshot)
        {
            _awaitingSnapshot[sid] = markets.ToHashSet(StringComparer.Ordinal);
            FireAndForget(Start(StreamCommands.UpdateSubscription, UpdatePayload(sid, StreamCommands.GetSnapshot, markets)), "get_snapshot", s);
        }
        _handler.OnEvent(new SequenceGapDetected(s?.Id ?? 0, sid, s?.Channel ?? "", expected, received, markets, snapshot));
    }

    private void Dispatch(in FrameHeader h, ReadOnlySpan<byte> frame)
    {
        var msg = h.Msg(frame);
        long sid = h.Sid ?? 0;
        switch (h.Type)
        {
            case FrameType.OrderbookDelta:
            {
                var d = StreamFrameReader.ReadDelta(Require(msg, "orderbook_delta"), _tickers);
                var s = Subscriptions.BySid(sid);
                if (_awaitingSnapshot.TryGetValue(sid, out var waiting) && waiting.Contains(d.Ticker))
                {
                    Statistics.Dropped();
                    return;
                }
                var price = d.Side == BookLeg.No && s is { UseYesPrice: true } ? d.Price.Complement : d.Price;
                var message = new OrderBookDeltaMessage(s?.Id ?? 0, sid, h.Seq ?? 0, d.Ticker, d.Side, price, d.Delta, d.TimestampMs, d.ClientOrderId);
                _handler.OnOrderBookDelta(in message);
                return;
            }
            case FrameType.Fill:
            {
                var fill = StreamFrameReader.ReadFill(Require(msg, "fill"), _tickers);
                _handler.OnFill(new FillMessage(SubscriptionId(sid), sid, fill));
                return;
            }
            case FrameType.OrderbookSnapshot:
            {
                var dto = KalshiJson.Deserialize<OrderbookSnapshotMsgDto>(Require(msg, "orderbook_snapshot")).EnsureFixedPoint();
                var s = Subscriptions.BySid(sid);
                string ticker = _tickers.Intern(dto.MarketTicker);
                if (_awaitingSnapshot.TryGetValue(sid, out var waiting) && waiting.Remove(ticker) && waiting.Count == 0) _awaitingSnapshot.Remove(sid);
                _handler.OnOrderBookSnapshot(new OrderBookSnapshotMessage(s?.Id ?? 0, sid, h.Seq ?? 0, ticker,
                    KalshiWireMapper.ToBookLevels(dto.YesDollarsFp),
                    KalshiWireMapper.ToBookLevels(dto.NoDollarsFp, inYesPrices: s?.UseYesPrice ?? false)));
                return;
            }
            case FrameType.Ticker:
            {
                var t = KalshiJson.Deserialize<TickerMsgDto>(Require(msg, "ticker"));
                _handler.OnTicker(new TickerMessage(SubscriptionId(sid), sid, _tickers.Intern(t.MarketTicker), t.PriceDollars, t.YesBidDollars, t.YesAskDollars,
                    t.YesBidSizeFp, t.YesAskSizeFp, t.VolumeFp, t.OpenInterestFp,
                    t.TsMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : t.Time ?? (t.Ts is { } ts ? DateTimeOffset.FromUnixTimeSeconds(ts) : null)));
                return;
            }
            case FrameType.Trade:
            {
                var t = KalshiJson.Deserialize<TradeMsgDto>(Require(msg, "trade"));
                var taker = t.TakerBookSide switch { "bid" => Trader.Core.Orders.BookSide.Bid, "ask" => Trader.Core.Orders.BookSide.Ask, _ => (Trader.Core.Orders.BookSide?)null };
                _handler.OnTrade(new TradeMessage(SubscriptionId(sid), sid, t.TradeId, _tickers.Intern(t.MarketTicker), t.YesPriceDollars, t.CountFp, taker,
                    t.TsMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : t.Ts is { } ts ? DateTimeOffset.FromUnixTimeSeconds(ts) : null));
                return;
            }
            case FrameType.MarketPosition:
            {
                var p = KalshiJson.Deserialize<MarketPositionMsgDto>(Require(msg, "market_position"));
                _handler.OnMarketPosition(new MarketPositionMessage(SubscriptionId(sid), sid, _tickers.Intern(p.MarketTicker), p.PositionFp,
                    p.PositionCostDollars, p.RealizedPnlDollars, p.FeesPaidDollars, p.VolumeFp));
                return;
            }
            case FrameType.UserOrder:
            {
                var o = KalshiJson.Deserialize<UserOrderMsgDto>(Require(msg, "user_order"));
                _handler.OnUserOrder(new UserOrderMessage(SubscriptionId(sid), sid, o.Status, KalshiWireMapper.ToApi(o), o.LastUpdateReason));
                return;
            }
            case FrameType.MarketLifecycleV2:
            {
                var m = KalshiJson.Deserialize<MarketLifecycleMsgDto>(Require(msg, "market_lifecycle_v2"));
                var grid = m.PriceLevelStructure is not null || m.PriceRanges is not null ? KalshiWireMapper.GridOf(m.PriceLevelStructure, m.PriceRanges) : null;
                _handler.OnMarketLifecycle(new MarketLifecycleMessage(SubscriptionId(sid), sid, StreamMessageTypes.MarketLifecycleV2, m.EventType,
                    m.MarketTicker, null, m.Result, m.SettlementValue, grid, m.CloseTs is { } c ? DateTimeOffset.FromUnixTimeSeconds(c) : null, m, null, null));
                return;
            }
            case FrameType.EventLifecycle:
            {
                var e = KalshiJson.Deserialize<EventLifecycleMsgDto>(Require(msg, "event_lifecycle"));
                _handler.OnMarketLifecycle(new MarketLifecycleMessage(SubscriptionId(sid), sid, StreamMessageTypes.EventLifecycle, StreamMessageTypes.EventLifecycle,
                    null, e.EventTicker, null, null, null, null, null, e, null));
                return;
            }
            case FrameType.EventFeeUpdate:
            {
                var f = KalshiJson.Deserialize<EventFeeUpdateMsgDto>(Require(msg, "event_fee_update"));
                _handler.OnMarketLifecycle(new MarketLifecycleMessage(SubscriptionId(sid), sid, StreamMessageTypes.EventFeeUpdate, StreamMessageTypes.EventFeeUpdate,
                    null, f.EventTicker, null, null, null, null, null, null, f));
                return;
            }
            case FrameType.Subscribed:
                OnSubscribed(h, KalshiJson.Deserialize<SubscribedMsgDto>(Require(msg, "subscribed")));
                return;
            case FrameType.Ok:
                OnOk(h, msg);
                return;
            case FrameType.Unsubscribed:
                OnUnsubscribed(h);
                return;
            case FrameType.Error:
                OnError(h, KalshiJson.Deserialize<StreamErrorMsgDto>(Require(msg, "error")));
                return;
            case FrameType.OrderGroupUpdates:
                return; // order groups are not used by the trader; the frame's seq was counted above
            default:
                Statistics.UnknownFrame();
                string excerpt = Excerpt(frame);
                if (_unknownTypesLogged.Count < 100 && _unknownTypesLogged.Add(excerpt.Length > 40 ? excerpt[..40] : excerpt))
                    _log.LogInformation("Kalshi stream: unknown frame type, skipped: {Excerpt}", excerpt);
                return;
        }
    }

    private int SubscriptionId(long sid) => Subscriptions.BySid(sid)?.Id ?? 0;

    private static ReadOnlySpan<byte> Require(ReadOnlySpan<byte> msg, string type) =>
        msg.IsEmpty ? throw new KalshiWireException($"{type}: the frame has no 'msg'") : msg;

    private void OnSubscribed(in FrameHeader h, SubscribedMsgDto msg)
    {
        if (h.Id is not { } id || !_pending.TryGetValue(id, out var pending))
        {
            _log.LogWarning("Kalshi stream: 'subscribed' for {Channel} (sid {Sid}) that no command asked for", msg.Channel, msg.Sid);
            return;
        }
        var s = pending.Subscriptions.FirstOrDefault(x => x.Channel == msg.Channel && x.Sid is null)
            ?? pending.Subscriptions.FirstOrDefault(x => x.Channel == msg.Channel);
        if (s is null)
        {
            _log.LogWarning("Kalshi stream: 'subscribed' to {Channel} which command #{Id} did not ask for", msg.Channel, id);
            return;
        }
        Subscriptions.Bind(s, msg.Sid);
        _sequences.Remove(msg.Sid);
        _handler.OnEvent(new SubscriptionConfirmed(s.Id, s.Channel, msg.Sid, s.Markets));
        if (Interlocked.Increment(ref pending.Confirmed) >= pending.Subscriptions.Length && _pending.TryRemove(id, out _))
            pending.Done.TrySetResult(new Reply("subscribed", null, msg.Sid, null));
    }

    private void OnOk(in FrameHeader h, ReadOnlySpan<byte> msg)
    {
        IReadOnlyList<string>? markets = null;
        JsonElement? element = null;
        if (!msg.IsEmpty)
        {
            using var doc = JsonDocument.Parse(msg.ToArray());
            element = doc.RootElement.Clone();
            if (element.Value.ValueKind == JsonValueKind.Object && element.Value.TryGetProperty("market_tickers", out var list) && list.ValueKind == JsonValueKind.Array)
                markets = list.EnumerateArray().Select(x => x.GetString() ?? "").ToArray();
        }
        if (markets is not null && h.Sid is { } sid && Subscriptions.BySid(sid) is { } s) s.SetMarkets(markets);
        if (h.Id is { } id && _pending.TryRemove(id, out var pending))
            pending.Done.TrySetResult(new Reply("ok", element, h.Sid, markets));
    }

    private void OnUnsubscribed(in FrameHeader h)
    {
        if (h.Sid is { } sid)
        {
            _sequences.Remove(sid);
            _awaitingSnapshot.Remove(sid);
            if (Subscriptions.BySid(sid) is { } s) Subscriptions.Unbind(s);
        }
        if (h.Id is { } id && _pending.TryRemove(id, out var pending))
            pending.Done.TrySetResult(new Reply("unsubscribed", null, h.Sid, null));
    }

    private void OnError(in FrameHeader h, StreamErrorMsgDto error)
    {
        if (h.Id is { } id && _pending.TryRemove(id, out var pending))
        {
            pending.Done.TrySetException(new StreamCommandException($"{pending.Command} #{id}", error.Code, error.Msg));
            return;
        }
        var s = h.Sid is { } sid ? Subscriptions.BySid(sid) : null;
        bool terminal = error.Code is 10 or 25;
        _log.LogWarning("Kalshi stream error {Code} on sid {Sid}: {Message}", error.Code, h.Sid, error.Msg);
        if (terminal && s is not null)
        {
            Subscriptions.Unbind(s);
            _sequences.Remove(h.Sid!.Value);
            _awaitingSnapshot.Remove(h.Sid!.Value);
            FireAndForget(StartSubscribe([s], [s.Channel], s.Markets, s.UseYesPrice, s.SendInitialSnapshot), "resubscribe", s);
        }
        _handler.OnEvent(new StreamErrorReported(s?.Id, h.Sid, error.Code, error.Msg, terminal && s is not null));
    }

    private void Malformed(string reason, ReadOnlySpan<byte> frame)
    {
        Statistics.MalformedFrame();
        string excerpt = Excerpt(frame);
        _log.LogWarning("Kalshi stream: malformed frame skipped ({Reason}): {Excerpt}", reason, excerpt);
        _handler.OnEvent(new MalformedFrame(reason, excerpt));
    }

    private static string Excerpt(ReadOnlySpan<byte> frame)
    {
        string text = Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 300)]);
        return frame.Length > 300 ? text + "…" : text;
    }
}
