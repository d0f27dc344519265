using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Trader.Kalshi.Signing;

namespace Trader.Exchange.Server.Tests.Infrastructure;

/// <summary>A plain WebSocket to the exchange that sends commands as text and reads frames as JSON: the wire as it is.</summary>
public sealed class RawSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private RawSocket(ClientWebSocket socket) => _socket = socket;

    public static async Task<RawSocket> ConnectAsync(Sim sim, KalshiCredentials? credentials = null)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in (credentials ?? sim.Demo).Sign("GET", KalshiSignature.WebSocketPath, TimeProvider.System).AsPairs())
            socket.Options.SetRequestHeader(name, value);
        using var timeout = new CancellationTokenSource(Sim.Patience);
        await socket.ConnectAsync(sim.Server.WebSocketUrl, timeout.Token);
        return new RawSocket(socket);
    }

    public async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Sim.Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next frame; throws when none arrives within the patience bound.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Sim.Patience);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"the server closed the socket: {_socket.CloseStatusDescription}");
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) break;
        }
        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Frames until one matches (those before it are returned too).</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> match)
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await ReceiveAsync();
            frames.Add(frame);
            if (match(frame)) return frames;
        }
    }

    /// <summary>Sends a command and returns the frames up to its answer (the first frame carrying its id).</summary>
    public async Task<List<JsonElement>> CommandAsync(int id, string json)
    {
        await SendAsync(json);
        return await ReceiveUntilAsync(f => f.TryGetProperty("id", out var i) && i.GetInt32() == id);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }
}

public static class Frames
{
    public static string Type(this JsonElement f) => f.GetProperty("type").GetString()!;

    public static long? Seq(this JsonElement f) => f.TryGetProperty("seq", out var s) ? s.GetInt64() : null;

    public static long? Sid(this JsonElement f) => f.TryGetProperty("sid", out var s) ? s.GetInt64() : null;

    public static JsonElement Msg(this JsonElement f) => f.GetProperty("msg");

    public static string? Str(this JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int ErrorCode(this JsonElement f) => f.Type() == "error" ? f.Msg().GetProperty("code").GetInt32() : throw new InvalidOperationException($"not an error frame: {f}");
}
