using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Trader.Exchange.Events;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Streaming;

/// <summary>
/// One authenticated WebSocket connection: a receive loop that runs the client's commands
/// (<see cref="StreamConnection"/>'s command half, in <c>StreamConnection.Commands.cs</c>) and a writer that sends
/// queued frames in order. The engine never waits for a connection: events are turned into frames and queued under
/// the exchange lock, and each subscription may have at most <c>capacity</c> frames waiting; one more ends that
/// subscription with error 25 (Subscription buffer overflow), as Kalshi ends a slow reader's subscription.
/// Command answers and errors are always queued (they are few and the client needs them).
/// </summary>
internal sealed partial class StreamConnection
{
    /// <summary>The largest command accepted; a longer message is answered with error 1.</summary>
    public const int MaxCommandBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly ExchangeHost _host;
    private readonly StreamHub _hub;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly int _capacity;
    private readonly Channel<Outbound> _outbox = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, ServerSubscription> _subs = [];
    private ServerSubscription[] _subsInOrder = [];
    private readonly CancellationTokenSource _stop = new();
    private long _lastSid;

    /// <summary>A frame to send; data frames belong to a subscription and are skipped once it ended.</summary>
    private readonly record struct Outbound(byte[] Bytes, ServerSubscription? DataOf);

    public StreamConnection(int id, string userId, WebSocket socket, ExchangeHost host, StreamHub hub, FaultInjector faults,
        TimeProvider time, int capacity, ILogger log)
    {
        Id = id;
        UserId = userId;
        _socket = socket;
        _host = host;
        _hub = hub;
        _faults = faults;
        _time = time;
        _capacity = capacity;
        _log = log;
    }

    public int Id { get; }

    /// <summary>The user of the key that opened the connection: private channels carry this user's events only.</summary>
    public string UserId { get; }

    /// <summary>Runs the connection until the client closes it, it fails, it is dropped, or the server stops.</summary>
    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _stop.Token);
        var ct = linked.Token;
        var writer = Task.Run(() => WriteLoopAsync(ct), CancellationToken.None);
        string reason = "closed by the client";
        try
        {
            reason = await ReceiveLoopAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = _stop.IsCancellationRequested ? "dropped" : "server stopping";
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            reason = $"connection lost: {e.Message}";
        }
        finally
        {
            _host.Run(_ => _hub.Remove(this));
            _outbox.Writer.TryComplete();
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
                // The writer ends with the connection.
            }
            if (serverStopping.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
                {
                    // Nothing more to say to a client that is gone.
                }
            }
            _log.LogInformation("WebSocket connection {Id} of user {User} ended: {Reason}", Id, UserId, reason);
        }
    }

    /// <summary>Drops the connection at once, without a close handshake (the <c>drop connections</c> fault).</summary>
    public void Abort()
    {
        _socket.Abort();
        _stop.Cancel();
    }

    private async Task<string> ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            buffer.ResetWrittenCount();
            bool tooLong = false;
            ValueWebSocketReceiveResult result;
            do
            {
                var memory = buffer.GetMemory(4096);
                result = await _socket.ReceiveAsync(memory, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct).ConfigureAwait(false);
                    return "closed by the client";
                }
                if (buffer.WrittenCount + result.Count > MaxCommandBytes) tooLong = true;
                else buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            if (tooLong) Reply(StreamFrames.Error(null, StreamError.UnableToProcess));
            else HandleCommand(buffer.WrittenSpan);
        }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        await foreach (var frame in _outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                if (frame.DataOf is { Ended: true }) continue;
                var allowed = _faults.WhenSendAllowed();
                if (!allowed.IsCompleted) await allowed.WaitAsync(ct).ConfigureAwait(false);
                var delay = _faults.SendDelay;
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                if (frame.DataOf is { Ended: true }) continue;
                await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
            finally
            {
                frame.DataOf?.RemovePending();
            }
        }
    }

    // ---- queuing (under the exchange lock) -----------------------------------------------------------------------

    /// <summary>Queues a command answer or error (always sent).</summary>
    private void Reply(byte[] frame) => _outbox.Writer.TryWrite(new Outbound(frame, null));

    /// <summary>Queues a data frame of a subscription, numbering it when the channel is sequenced; ends the subscription on overflow.</summary>
    private void Send<TMsg>(ServerSubscription sub, string type, TMsg msg)
    {
        if (sub.Ended) return;
        if (sub.Pending >= _capacity)
        {
            EndSubscription(sub, StreamError.BufferOverflow);
            return;
        }
        long? seq = null;
        if (sub.IsSequenced)
        {
            if (_faults.TrySkipSequence()) sub.NextSeq();
            seq = sub.NextSeq();
        }
        sub.AddPending();
        if (!_outbox.Writer.TryWrite(new Outbound(StreamFrames.Frame(type, msg, null, sub.Sid, seq), sub))) sub.RemovePending();
    }

    /// <summary>Ends a subscription from the server's side with an error frame on its sid (codes 10, 25 are terminal).</summary>
    private void EndSubscription(ServerSubscription sub, StreamError error)
    {
        RemoveSubscription(sub);
        _log.LogWarning("WebSocket connection {Id}: subscription {Sid} ({Channel}) ended: {Error}", Id, sub.Sid, sub.Channel, error.Message);
        Reply(StreamFrames.Error(null, error, sub.Sid, sub.NextSeq()));
    }

    private void AddSubscription(ServerSubscription sub)
    {
        _subs.Add(sub.Sid, sub);
        _subsInOrder = [.. _subs.Values.OrderBy(s => s.Sid)];
    }

    private void RemoveSubscription(ServerSubscription sub)
    {
        sub.Ended = true;
        _subs.Remove(sub.Sid);
        _subsInOrder = [.. _subs.Values.OrderBy(s => s.Sid)];
    }

    // ---- events (under the exchange lock) ------------------------------------------------------------------------

    /// <summary>Turns one engine event into this connection's frames.</summary>
    public void OnEvent(ExchangeEvent e)
    {
        var subs = _subsInOrder;
        if (subs.Length == 0) return;
        switch (e)
        {
            case OrderBookDelta d:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.OrderbookDelta && s.Covers(d.Ticker))
                        Send(s, StreamMessageTypes.OrderbookDelta, StreamFrames.Delta(d, d.UserId == UserId, s.UseYesPrice));
                }
                break;
            case PublicTrade t:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.Trade && s.Covers(t.Ticker)) Send(s, StreamMessageTypes.Trade, StreamFrames.Trade(t));
                }
                break;
            case TickerUpdated t:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.Ticker && s.Covers(t.Ticker)) Send(s, StreamMessageTypes.Ticker, StreamFrames.Ticker(t));
                }
                break;
            case UserFill f when f.UserId == UserId:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.Fill && s.Covers(f.Fill.Ticker)) Send(s, StreamMessageTypes.Fill, StreamFrames.Fill(f));
                }
                break;
            case PositionUpdated p when p.UserId == UserId:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.MarketPositions && s.Covers(p.Position.Ticker))
                        Send(s, StreamMessageTypes.MarketPosition, StreamFrames.Position(p));
                }
                break;
            case OrderUpdated o when o.UserId == UserId:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.UserOrders && s.Covers(o.Order.Ticker))
                        Send(s, StreamMessageTypes.UserOrder, StreamFrames.UserOrder(o));
                }
                break;
            case MarketLifecycleEvent l:
                foreach (var s in subs)
                {
                    if (s.Channel == StreamChannels.MarketLifecycleV2) Send(s, StreamMessageTypes.MarketLifecycleV2, StreamFrames.Lifecycle(l));
                }
                break;
        }
    }
}
