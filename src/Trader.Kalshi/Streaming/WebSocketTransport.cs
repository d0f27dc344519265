using System.Buffers;
using System.Net.WebSockets;

namespace Trader.Kalshi.Streaming;

/// <summary>
/// An open WebSocket as the stream session uses it: send a text message, receive one whole message, close. The seam
/// for tests and for recording/replaying sessions.
/// </summary>
public interface IWebSocketConnection : IAsyncDisposable
{
    Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct);

    /// <summary>Receives one complete message into <paramref name="buffer"/> (which the caller cleared); false when the
    /// server closed the connection.</summary>
    ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct);

    Task CloseAsync(CancellationToken ct);

    /// <summary>The close status and description the server sent, when it closed.</summary>
    string? CloseReason { get; }
}

/// <summary>Opens WebSocket connections with the given request headers (the signed Kalshi headers).</summary>
public interface IWebSocketConnector
{
    Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct);
}

/// <summary>
/// <see cref="ClientWebSocket"/> connections. Kalshi pings about every 10 s (answered automatically); this side also
/// pings every <see cref="KeepAliveInterval"/> and drops a connection whose pong does not come within
/// <see cref="KeepAliveTimeout"/>, so a dead link ends the receive loop instead of hanging it: the receive then throws a
/// <see cref="WebSocketException"/> (a lost connection), not the <see cref="OperationCanceledException"/> the socket
/// raises, which callers would take for their own cancellation.
/// </summary>
public sealed class ClientWebSocketConnector : IWebSocketConnector
{
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public async Task<IWebSocketConnection> ConnectAsync(Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = KeepAliveInterval;
        socket.Options.KeepAliveTimeout = KeepAliveTimeout;
        foreach (var (name, value) in headers) socket.Options.SetRequestHeader(name, value);
        try
        {
            await socket.ConnectAsync(uri, ct).ConfigureAwait(false);
            return new Connection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Connection(ClientWebSocket socket) : IWebSocketConnection
    {
        public string? CloseReason { get; private set; }

        public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct) =>
            socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, ct).AsTask();

        public async ValueTask<bool> ReceiveAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            try
            {
                return await ReceiveMessageAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                // Not our cancellation: the socket was aborted under the receive, e.g. because a keep-alive ping got no
                // pong within KeepAliveTimeout. That is a lost connection, and is reported as one.
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"the connection was aborted: {Cause(e)}", e);
            }
        }

        private static string Cause(Exception e)
        {
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                if (x is WebSocketException w) return w.Message;
                if (x is AggregateException { InnerExceptions: [WebSocketException first, ..] }) return first.Message;
            }
            return e.Message;
        }

        private async ValueTask<bool> ReceiveMessageAsync(IBufferWriter<byte> buffer, CancellationToken ct)
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var result = await socket.ReceiveAsync(memory, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason = $"{socket.CloseStatus} {socket.CloseStatusDescription}".Trim();
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        try
                        {
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", ct).ConfigureAwait(false);
                        }
                        catch (WebSocketException)
                        {
                            // The server is gone already; nothing to complete.
                        }
                    }
                    return false;
                }
                buffer.Advance(result.Count);
                if (result.EndOfMessage) return true;
            }
        }

        public async Task CloseAsync(CancellationToken ct)
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", ct).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
