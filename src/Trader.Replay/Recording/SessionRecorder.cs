using Akka.Configuration;
using Akka.Configuration.Hocon;
using Trader.Kalshi.Streaming;
using Trader.Replay.Tapes;

namespace Trader.Replay.Recording;

/// <summary>
/// Records a trader session to a tape: wraps the Kalshi client's HTTP handler and each stream's WebSocket connector,
/// and writes a header with the exchange, the markets and the trader's effective settings (the <c>trader</c> section
/// only: no key id, no key file, nothing secret), so <c>trader replay</c> can run the session again as it was.
/// </summary>
public sealed class SessionRecorder : IDisposable
{
    private readonly TapeWriter _tape;

    private SessionRecorder(TapeWriter tape) => _tape = tape;

    public string Path => _tape.Path;

    public static SessionRecorder Start(string path, string exchange, IReadOnlyList<string> markets, Config config, TimeProvider? time = null)
    {
        var header = new TapeHeader { Exchange = exchange, Markets = markets, Config = RenderTraderSection(config) };
        return new SessionRecorder(new TapeWriter(path, header, time));
    }

    /// <summary>The REST handler to give the Kalshi client.</summary>
    public HttpMessageHandler WrapHttp(HttpMessageHandler inner) => new RecordingHttpHandler(_tape, inner);

    /// <summary>A stream's options with its connector recorded under the stream's name (<c>orderbook</c>, <c>user-stream</c>).</summary>
    public KalshiStreamOptions WrapStream(KalshiStreamOptions options, string stream) =>
        options with { Connector = new RecordingWebSocketConnector(_tape, options.Connector, stream) };

    public void Dispose() => _tape.Dispose();

    /// <summary>
    /// The <c>trader</c> section as flat HOCON lines (<c>trader.decisions.policy = "position-aware:onnx"</c>), every value
    /// quoted, without any setting that names a key.
    /// </summary>
    internal static string RenderTraderSection(Config config)
    {
        var trader = config.GetConfig("trader");
        if (trader is null || trader.IsEmpty) return "";
        var lines = new List<string>();
        Flatten("trader", trader.Root.GetObject(), lines);
        return string.Join('\n', lines);
    }

    private static readonly string[] Secret = ["key-id", "key-file", "private-key", "key_id", "key_file"];

    private static void Flatten(string prefix, HoconObject obj, List<string> lines)
    {
        foreach (var (key, value) in obj.Items.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            if (Secret.Any(s => key.Contains(s, StringComparison.OrdinalIgnoreCase))) continue;
            var path = prefix + "." + (key.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? key : Quote(key));
            if (value.IsObject()) Flatten(path, value.GetObject(), lines);
            else if (value.IsArray()) lines.Add($"{path} = [{string.Join(", ", value.GetArray().Select(v => Quote(v.GetString())))}]");
            else lines.Add($"{path} = {Quote(value.GetString())}");
        }
    }

    private static string Quote(string? s) => "\"" + (s ?? "").Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
