using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Trader.Kalshi.Streaming;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>
/// One stream's WebSocket connections out of a tape. A connection attempt of the replayed trader waits, like a real
/// handshake, until the driver reaches the stream's next recorded attempt (<see cref="Resolve"/>), and then ends as
/// that one ended: opened, or refused with the same error (a 503 upgrade). The driver then pushes each recorded frame
/// into the connection that received it, at its recorded time, and ends the connection as it ended (closed by the
/// server with its reason, or lost with its error). Recorded client order ids in frames are rewritten to the replay's
/// (<see cref="ClientOrderIdMap"/>). A pushed frame is processed at once on the driver's thread: the session's
/// receive loop continues synchronously into the actors, which run on the calling thread.
/// </summary>
public sealed class TapeWebSocketConnector : IWebSocketConnector
{
    private readonly Queue<TaskCompletionSource<IWebSocketConnection>> _attempts = new();
    private readonly Dictionary<int, TapeConnection> _byRecordedId = [];
    private readonly List<(int Connection, string Frame)> _sent = [];
    private readonly List<string> _notes = [];
    private readonly ClientOrderIdMap _ids;
    private readonly ReplayThread _guard;

    public TapeWebSocketConnector(string stream, ClientOrderIdMap? ids = null, ReplayThread? guard = null)
    {
        Stream = stream;
        _ids = ids ?? new ClientOrderIdMap();
        _guard = guard ?? new ReplayThread();
    }

    public string Stream { get; }

    /// <summary>How many connection attempts the replayed trader has made.</summary>
    public int Attempts { get; private set; }

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Frames (commands) the replayed trader sent, with the recorded connection they went to, in order.</summary>
    public IReadOnlyList<(int Connection, string Frame)> Sent => _sent;

    public Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        _guard.Check($"a {Stream} connection attempt");
        Attempts++;
        var attempt = new TaskCompletionSource<IWebSocketConnection>();
        if (ct.CanBeCanceled) ct.Register(() => attempt.TrySetCanceled(ct));
        _attempts.Enqueue(attempt);
        return attempt.Task;
    }

    /// <summary>True while the replayed trader is waiting for a connection attempt to end.</summary>
    public bool IsAttempting
    {
        get
        {
            while (_attempts.TryPeek(out var a) && a.Task.IsCompleted) _attempts.Dequeue();
            return _attempts.Count > 0;
        }
    }

    /// <summary>Ends the waiting connection attempt as the recorded one ended; false (with a note) when the replay is not attempting.</summary>
    public bool Resolve(TapeEntry connect)
    {
        if (!IsAttempting)
        {
            _notes.Add($"{connect.At:HH:mm:ss.fff}: the recording made a {Stream} connection attempt the replay did not make");
            return false;
        }
        var attempt = _attempts.Dequeue();
        if (connect.Error is { } error)
        {
            attempt.TrySetException(new WebSocketException(error));
            return true;
        }
        int id = connect.Connection!.Value;
        var connection = new TapeConnection(frame =>
        {
            _guard.Check($"a {Stream} command");
            _sent.Add((id, frame));
        });
        _byRecordedId[id] = connection;
        attempt.TrySetResult(connection);
        return true;
    }

    /// <summary>Delivers a recorded frame or close to its connection.</summary>
    public void Deliver(TapeEntry entry)
    {
        if (!_byRecordedId.TryGetValue(entry.Connection!.Value, out var connection))
        {
            if (!_notes.Any(n => n.Contains($"connection {entry.Connection},", StringComparison.Ordinal)))
                _notes.Add($"{entry.At:HH:mm:ss.fff}: {Stream} frames arrived on recorded connection {entry.Connection}, which the replay never opened; they were dropped");
            return;
        }
        if (entry.Kind == TapeEntryKind.WsReceive) connection.Push(_ids.Rewrite(entry.Frame!));
        else if (entry.Kind == TapeEntryKind.WsClose && entry.Error is { } error) connection.Fail(error);
        else if (entry.Kind == TapeEntryKind.WsClose) connection.Close(entry.Reason);
    }

    private sealed class TapeConnection(Action<string> sent) : IWebSocketConnection
    {
        /// <summary>A frame, the server's close (null frame, no error), or the connection lost (error).</summary>
        private readonly Queue<(byte[]? Frame, string? Error)> _frames = new();
        private TaskCompletionSource<bool>? _waiting;
        private IBufferWriter<byte>? _buffer;
        private bool _ended;

        public string? CloseReason { get; private set; }

        public void Push(string frame) => Offer(Encoding.UTF8.GetBytes(frame), null);

        public void Close(string? reason)
        {
            CloseReason = reason;
            Offer(null, null);
        }

        public void Fail(string error) => Offer(null, error);

        private void Offer(byte[]? frame, string? error)
        {
            if (_ended) return;
            if (frame is null) _ended = true;
            if (_waiting is { } waiting && _buffer is { } buffer)
            {
                _waiting = null;
                _buffer = null;
                // Each of these continues the receive loop here, synchronously.
                if (error is not null) waiting.TrySetException(new WebSocketException(error));
                else if (frame is null) waiting.TrySetResult(false);
                else
                {
                    buffer.Write(frame);
                    waiting.TrySetResult(true);
                }
                return;
            }
            _frames.Enqueue((frame, error));
        }

        public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
        {
            sent(Encoding.UTF8.GetString(utf8.Span));
            return Task.CompletedTask;
        }

        public ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            if (_frames.TryDequeue(out var next))
            {
                if (next.Error is { } error) return ValueTask.FromException<bool>(new WebSocketException(error));
                if (next.Frame is not { } frame) return ValueTask.FromResult(false);
                buffer.Write(frame);
                return ValueTask.FromResult(true);
            }
            _buffer = buffer;
            var waiting = new TaskCompletionSource<bool>();
            _waiting = waiting;
            if (ct.CanBeCanceled) ct.Register(() => waiting.TrySetCanceled(ct));
            return new ValueTask<bool>(waiting.Task);
        }

        public Task CloseAsync(CancellationToken ct)
        {
            Close(CloseReason ?? "closed by the trader");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
