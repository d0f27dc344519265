using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Trader.Kalshi.Streaming;

namespace Trader.Actors.Tests;

/// <summary>
/// A WebSocket exchange for stream tests: refuses connections while <see cref="RefuseWith"/> is set (as Kalshi's demo
/// answered 503), answers subscribe commands with one <c>subscribed</c> frame per channel (sids counting up across
/// connections), records every command, and lets the test push frames or drop the connection.
/// </summary>
public sealed class FakeWebSocket : IWebSocketConnector
{
    private int _nextSid;
    private Connection? _current;

    public string? RefuseWith { get; set; }
    public ConcurrentQueue<JsonDocument> Commands { get; } = new();
    public int Connections;
    public int Refusals;

    public Connection Current => _current ?? throw new InvalidOperationException("not connected");

    public Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        if (RefuseWith is { } refusal)
        {
            Interlocked.Increment(ref Refusals);
            return Task.FromException<IWebSocketConnection>(new WebSocketException(refusal));
        }
        Interlocked.Increment(ref Connections);
        _current = new Connection(this);
        return Task.FromResult<IWebSocketConnection>(_current);
    }

    /// <summary>The sid given to the last subscription of a channel.</summary>
    public ConcurrentDictionary<string, long> Sids { get; } = new();

    /// <summary>The connection that last subscribed to a channel.</summary>
    public ConcurrentDictionary<string, Connection> ByChannel { get; } = new();

    /// <summary>The connection serving a channel's subscription.</summary>
    public Connection For(string channel) => ByChannel[channel];

    public sealed class Connection(FakeWebSocket server) : IWebSocketConnection
    {
        private readonly Channel<byte[]?> _frames = Channel.CreateUnbounded<byte[]?>();

        public string? CloseReason { get; private set; }

        public void Push(string json) => _frames.Writer.TryWrite(Encoding.UTF8.GetBytes(json));

        /// <summary>The server closes the connection.</summary>
        public void Drop(string reason)
        {
            CloseReason = reason;
            _frames.Writer.TryWrite(null);
        }

        public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
        {
            var doc = JsonDocument.Parse(utf8);
            server.Commands.Enqueue(doc);
            var root = doc.RootElement;
            if (root.GetProperty("cmd").GetString() == "subscribe")
            {
                int id = root.GetProperty("id").GetInt32();
                foreach (var channel in root.GetProperty("params").GetProperty("channels").EnumerateArray())
                {
                    long sid = Interlocked.Increment(ref server._nextSid);
                    // The sid is published last: a test that sees it finds the connection in ByChannel, and the frames it
                    // pushes queue behind the "subscribed" answer, as they would on a real exchange.
                    server.ByChannel[channel.GetString()!] = this;
                    Push($$$"""{"type":"subscribed","id":{{{id}}},"msg":{"channel":"{{{channel.GetString()}}}","sid":{{{sid}}}}}""");
                    server.Sids[channel.GetString()!] = sid;
                }
            }
            return Task.CompletedTask;
        }

        public async ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            var frame = await _frames.Reader.ReadAsync(ct);
            if (frame is null) return false;
            buffer.Write(frame);
            return true;
        }

        public Task CloseAsync(CancellationToken ct)
        {
            _frames.Writer.TryWrite(null);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
