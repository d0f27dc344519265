using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Trader.Kalshi.Streaming;

namespace Trader.Kalshi.Tests.Streaming;

/// <summary>
/// Heartbeats (kalshi-api.md §4.1): Kalshi keeps a connection alive with WebSocket Ping control frames carrying
/// <c>heartbeat</c> and expects Pongs; there is no JSON heartbeat. The connector answers them, pings on its own, and
/// ends a connection whose pong does not come back, so a dead link fails the receive loop (and the stream reconnects)
/// instead of hanging it. Driven by a raw TCP server that speaks the WebSocket framing byte by byte, so nothing answers
/// pings for the test behind its back.
/// </summary>
public sealed class KeepAliveTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public KeepAliveTests() => _listener.Start();

    private Uri Endpoint => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/trade-api/ws/v2");

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Server_heartbeat_pings_are_answered_with_pongs_carrying_the_same_payload()
    {
        var connector = new ClientWebSocketConnector { KeepAliveInterval = TimeSpan.FromMinutes(5), KeepAliveTimeout = TimeSpan.FromMinutes(10) };
        var accepting = AcceptAsync();
        await using var connection = await connector.ConnectAsync(Endpoint, [new("KALSHI-ACCESS-KEY", "key-id")], CancellationToken.None);
        using var server = await accepting;
        Assert.Equal("key-id", server.Headers["kalshi-access-key"]);

        // The stream always has a receive pending; control frames are handled while it waits.
        var buffer = new ArrayBufferWriter<byte>();
        var receiving = connection.ReceiveAsync(buffer, CancellationToken.None).AsTask();

        await server.SendAsync(opcode: 0x9, "heartbeat"u8.ToArray());
        var (opcode, payload) = await server.ReadFrameAsync();
        Assert.Equal(0xA, opcode); // pong
        Assert.Equal("heartbeat", Encoding.UTF8.GetString(payload));

        // The heartbeat was not a message: the receive still waits, and gets the next data frame.
        Assert.False(receiving.IsCompleted);
        await server.SendAsync(opcode: 0x1, """{"type":"subscribed","id":1,"msg":{"channel":"fill","sid":1}}"""u8.ToArray());
        Assert.True(await receiving.WaitAsync(Patience));
        Assert.Contains("subscribed", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task A_link_whose_pongs_stop_ends_the_receive_instead_of_hanging_it()
    {
        var connector = new ClientWebSocketConnector { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromMilliseconds(500) };
        var accepting = AcceptAsync();
        await using var connection = await connector.ConnectAsync(Endpoint, [], CancellationToken.None);
        using var server = await accepting;
        var receiving = connection.ReceiveAsync(new ArrayBufferWriter<byte>(), CancellationToken.None).AsTask();

        // The client pings on its own…
        var (opcode, _) = await server.ReadFrameAsync();
        Assert.Equal(0x9, opcode);

        // …and, with no pong coming back, gives the connection up: the receive fails rather than waiting forever.
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => receiving.WaitAsync(Patience));
        Assert.IsNotType<TimeoutException>(failure);
    }

    [Fact]
    public async Task A_session_whose_link_went_dead_ends_as_a_lost_connection_and_forgets_its_subscriptions()
    {
        var handler = new Infrastructure.RecordingHandler();
        var registry = new SubscriptionRegistry();
        var session = new KalshiStreamSession(new KalshiStreamOptions
        {
            Endpoint = Endpoint,
            Connector = new ClientWebSocketConnector { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromSeconds(2) },
        }, handler, registry);
        var accepting = AcceptAsync();
        await session.ConnectAsync(CancellationToken.None);
        using var server = await accepting;
        // Until the subscription is confirmed the server answers the client's pings, so the link stays up however slowly
        // this machine gets there (with a link that never answered, the first frame could be a ping rather than the
        // subscribe, and the link could die before the subscription was confirmed).
        using var silent = new CancellationTokenSource();
        var messages = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        var answering = server.AnswerPingsAsync(messages.Writer, silent.Token);
        var running = session.RunAsync(CancellationToken.None);
        var subscribing = session.SubscribeAsync(new SubscriptionRequest(["fill"]), CancellationToken.None);
        using (var timeout = new CancellationTokenSource(Patience))
            Assert.Contains("\"subscribe\"", Encoding.UTF8.GetString(await messages.Reader.ReadAsync(timeout.Token)));
        await server.SendAsync(0x1, """{"type":"subscribed","id":1,"msg":{"channel":"fill","sid":7}}"""u8.ToArray());
        await subscribing.WaitAsync(Patience);
        Assert.NotNull(Assert.Single(registry.All).Sid);
        await silent.CancelAsync();
        await answering;

        // The server goes silent: no pong. The loop ends as a lost connection (so the stream reconnects and restores
        // its subscriptions under new sids), not with an exception that skips the clean-up.
        var closed = await running.WaitAsync(Patience);
        Assert.StartsWith("connection lost", closed.Reason);
        Assert.Contains(handler.Of<StreamDisconnected>(), d => d.Reason.StartsWith("connection lost", StringComparison.Ordinal));
        Assert.Null(Assert.Single(registry.All).Sid);
        Assert.False(session.IsConnected);
    }

    private async Task<RawWebSocketServer> AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var client = await _listener.AcceptTcpClientAsync(timeout.Token);
        var server = new RawWebSocketServer(client);
        await server.HandshakeAsync(timeout.Token);
        return server;
    }

    /// <summary>The server half of one connection: the HTTP upgrade, then frames read and written by hand.</summary>
    private sealed class RawWebSocketServer(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly SemaphoreSlim _writing = new(1, 1); // the test's frames and the pongs of AnswerPingsAsync, one at a time

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public async Task HandshakeAsync(CancellationToken ct)
        {
            var request = new StringBuilder();
            var one = new byte[1];
            while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await _stream.ReadAsync(one, ct) == 0) throw new IOException("the client closed during the handshake");
                request.Append((char)one[0]);
            }
            foreach (var line in request.ToString().Split("\r\n").Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) Headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(Headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), ct);
        }

        /// <summary>Writes one unmasked final frame (payload under 126 bytes).</summary>
        public async Task SendAsync(int opcode, byte[] payload)
        {
            var frame = new byte[2 + payload.Length];
            frame[0] = (byte)(0x80 | opcode);
            frame[1] = (byte)payload.Length;
            payload.CopyTo(frame, 2);
            await _writing.WaitAsync();
            try
            {
                await _stream.WriteAsync(frame);
            }
            finally
            {
                _writing.Release();
            }
        }

        /// <summary>
        /// Reads the client's frames until <paramref name="stop"/>: each ping is answered with its pong, each data frame's
        /// payload goes to <paramref name="messages"/>. Once stopped nothing is read or answered any more.
        /// </summary>
        public async Task AnswerPingsAsync(System.Threading.Channels.ChannelWriter<byte[]> messages, CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    var (opcode, payload) = await ReadFrameAsync(stop);
                    if (opcode == 0x9) await SendAsync(0xA, payload);
                    else messages.TryWrite(payload);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>Reads one client frame (client frames are masked) and returns its opcode and unmasked payload.</summary>
        public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(CancellationToken stop = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(Patience);
            var head = await ReadExactlyAsync(2, timeout.Token);
            int length = head[1] & 0x7F;
            if (length >= 126) throw new InvalidOperationException("the test frames are short");
            var mask = await ReadExactlyAsync(4, timeout.Token);
            var payload = await ReadExactlyAsync(length, timeout.Token);
            for (int i = 0; i < payload.Length; i++) payload[i] ^= mask[i % 4];
            return (head[0] & 0x0F, payload);
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
        {
            var bytes = new byte[count];
            await _stream.ReadExactlyAsync(bytes, ct);
            return bytes;
        }

        public void Dispose()
        {
            client.Dispose();
            _writing.Dispose();
        }
    }
}
