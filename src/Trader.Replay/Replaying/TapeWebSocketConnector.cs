using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Trader.Kalshi.Streaming;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>
/// One stream's WebSocket connections out of a tape. Its connection attempts get the stream's recorded outcomes in order (a refused upgrade is
/// refused again with the same error); the replay driver then pushes each recorded frame into the connection that
/// received it, at its recorded time. A pushed frame is processed at once on the driver's thread: the session's
/// receive loop continues synchronously into the actors, which run on the calling thread.
/// </summary>
public sealed class TapeWebSocketConnector : IWebSocketConnector
{
    private readonly Queue<TapeEntry> _connects;
    private readonly Dictionary<int, TapeConnection> _byRecordedId = [];
    private readonly List<string> _notes = [];

    public TapeWebSocketConnector(IEnumerable<TapeEntry> entries, string stream)
    {
        Stream = stream;
        _connects = new Queue<TapeEntry>(entries.Where(e => e.Kind == TapeEntryKind.WsConnect && e.Stream == stream));
    }

    public string Stream { get; }

    /// <summary>How many recorded connection attempts the replay has made so far.</summary>
    public int Attempts { get; private set; }

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Frames the replayed trader sent, by recorded connection.</summary>
    public IEnumerable<(int Connection, string Frame)> Sent => _byRecordedId.SelectMany(kv => kv.Value.Sent.Select(f => (kv.Key, f)));

    public Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        Attempts++;
        if (!_connects.TryDequeue(out var entry))
            return Task.FromException<IWebSocketConnection>(new WebSocketException("replay: the tape has no more connection attempts"));
        if (entry.Error is { } error)
            return Task.FromException<IWebSocketConnection>(new WebSocketException(error));
        var connection = new TapeConnection();
        _byRecordedId[entry.Connection!.Value] = connection;
        return Task.FromResult<IWebSocketConnection>(connection);
    }

    /// <summary>True when the replay has made at least <paramref name="attempts"/> connection attempts.</summary>
    public bool HasAttempted(int attempts) => Attempts >= attempts;

    /// <summary>Delivers a recorded frame or close to its connection.</summary>
    public void Deliver(TapeEntry entry)
    {
        if (!_byRecordedId.TryGetValue(entry.Connection!.Value, out var connection))
        {
            _notes.Add($"{entry.At:O}: a {Stream} frame for recorded connection {entry.Connection} arrived, which the replay never opened");
            return;
        }
        if (entry.Kind == TapeEntryKind.WsReceive) connection.Push(entry.Frame!);
        else if (entry.Kind == TapeEntryKind.WsClose) connection.Close(entry.Reason ?? "closed");
    }

    private sealed class TapeConnection : IWebSocketConnection
    {
        private readonly Queue<byte[]?> _frames = new();
        private TaskCompletionSource<bool>? _waiting;
        private IBufferWriter<byte>? _buffer;

        public List<string> Sent { get; } = [];

        public string? CloseReason { get; private set; }

        public void Push(string frame) => Offer(Encoding.UTF8.GetBytes(frame));

        public void Close(string reason)
        {
            CloseReason = reason;
            Offer(null);
        }

        private void Offer(byte[]? frame)
        {
            if (_waiting is { } waiting && _buffer is { } buffer)
            {
                _waiting = null;
                _buffer = null;
                if (frame is not null) buffer.Write(frame);
                waiting.SetResult(frame is not null); // continues the receive loop here, synchronously
                return;
            }
            _frames.Enqueue(frame);
        }

        public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
        {
            Sent.Add(Encoding.UTF8.GetString(utf8.Span));
            return Task.CompletedTask;
        }

        public ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            if (_frames.TryDequeue(out var frame))
            {
                if (frame is null) return ValueTask.FromResult(false);
                buffer.Write(frame);
                return ValueTask.FromResult(true);
            }
            _buffer = buffer;
            _waiting = new TaskCompletionSource<bool>();
            ct.Register(() => _waiting?.TrySetCanceled(ct));
            return new ValueTask<bool>(_waiting.Task);
        }

        public Task CloseAsync(CancellationToken ct)
        {
            Close("closed by the trader");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
