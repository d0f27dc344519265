using System.Buffers;
using System.Text;
using Trader.Kalshi.Streaming;
using Trader.Replay.Tapes;

namespace Trader.Replay.Recording;

/// <summary>
/// Records the WebSocket side of a session around the stream's connector seam: each connection attempt (with its
/// error when it was refused), every frame received and sent, and the end of the connection — the server's close
/// (with its reason, if it gave one) or the connection lost (with the error). The upgrade's signed headers are not
/// recorded; the URL is recorded without its query. One connector per stream, named, so a replay can give each stream
/// its own connections whatever order the streams connected in.
/// </summary>
public sealed class RecordingWebSocketConnector(TapeWriter tape, IWebSocketConnector inner, string stream) : IWebSocketConnector
{
    public async Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        int id = tape.NewConnectionId();
        var url = uri.GetLeftPart(UriPartial.Path);
        try
        {
            var connection = await inner.ConnectAsync(uri, headers, ct).ConfigureAwait(false);
            tape.Record(new TapeEntry { Kind = TapeEntryKind.WsConnect, Stream = stream, Connection = id, Url = url });
            return new RecordingConnection(tape, id, stream, connection);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            tape.Record(new TapeEntry { Kind = TapeEntryKind.WsConnect, Stream = stream, Connection = id, Url = url, Error = e.Message });
            throw;
        }
    }

    private sealed class RecordingConnection(TapeWriter tape, int id, string stream, IWebSocketConnection inner) : IWebSocketConnection
    {
        private readonly ArrayBufferWriter<byte> _copy = new();

        public string? CloseReason => inner.CloseReason;

        public async Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
        {
            await inner.SendTextAsync(utf8, ct).ConfigureAwait(false);
            tape.Record(new TapeEntry { Kind = TapeEntryKind.WsSend, Stream = stream, Connection = id, Frame = Encoding.UTF8.GetString(utf8.Span) });
        }

        public async ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            _copy.ResetWrittenCount();
            bool received;
            try
            {
                received = await inner.ReceiveAsync(_copy, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                tape.Record(new TapeEntry { Kind = TapeEntryKind.WsClose, Stream = stream, Connection = id, Error = e.Message });
                throw;
            }
            if (!received)
            {
                tape.Record(new TapeEntry { Kind = TapeEntryKind.WsClose, Stream = stream, Connection = id, Reason = inner.CloseReason });
                return false;
            }
            tape.Record(new TapeEntry { Kind = TapeEntryKind.WsReceive, Stream = stream, Connection = id, Frame = Encoding.UTF8.GetString(_copy.WrittenSpan) });
            buffer.Write(_copy.WrittenSpan);
            return true;
        }

        public Task CloseAsync(CancellationToken ct) => inner.CloseAsync(ct);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
