using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trader.Replay.Tapes;

/// <summary>What a tape entry records.</summary>
public enum TapeEntryKind
{
    /// <summary>One REST request and its response (or the error that replaced it).</summary>
    Http,

    /// <summary>A WebSocket connection attempt and whether it opened.</summary>
    WsConnect,

    /// <summary>A frame the trader received.</summary>
    WsReceive,

    /// <summary>A frame the trader sent (a command).</summary>
    WsSend,

    /// <summary>The connection ended.</summary>
    WsClose,
}

/// <summary>
/// The first line of a tape: what it is and how the session was run. Never carries a secret: key ids, signatures and
/// private keys are not recorded anywhere on a tape.
/// </summary>
public sealed record TapeHeader
{
    public const string Magic = "trader-actors-tape";
    public const int CurrentVersion = 1;

    [JsonPropertyName("tape")] public string Tape { get; init; } = Magic;
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("recorded_at")] public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Where the session ran (the REST base URL; "embedded simulator" etc.).</summary>
    [JsonPropertyName("exchange")] public string? Exchange { get; init; }

    /// <summary>The markets the trader streamed and traded.</summary>
    [JsonPropertyName("markets")] public IReadOnlyList<string> Markets { get; init; } = [];

    /// <summary>The trader's effective settings (the <c>trader</c> HOCON section), so a replay runs as the session did.</summary>
    [JsonPropertyName("config")] public string? Config { get; init; }

    /// <summary>How the tape was made when it is not a plain recording (<c>trader tape cut</c> says what it cut and carried over).</summary>
    [JsonPropertyName("note")] public string? Note { get; init; }
}

/// <summary>
/// One line of a tape after the header. Fields are filled by kind: <c>http</c> uses sent, method, path, query, request,
/// status, response, date, error and error_kind; the <c>ws_*</c> kinds use stream, conn, url, frame, reason and error.
/// <para>
/// <see cref="At"/> is when the entry happened on the trader's side — for <c>http</c>, when the answer (or the error)
/// arrived; for <c>ws_connect</c>, when the attempt ended — and entries are written in that order, so a tape is in
/// arrival order and its times never go back. <see cref="Sent"/> is when an <c>http</c> request was sent: the
/// difference is the exchange's latency, which a replay reproduces.
/// </para>
/// </summary>
public sealed record TapeEntry
{
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }
    [JsonPropertyName("kind")] public TapeEntryKind Kind { get; init; }

    /// <summary>When an <c>http</c> request was sent (<see cref="At"/> is when its answer arrived).</summary>
    [JsonPropertyName("sent")] public DateTimeOffset? Sent { get; init; }

    [JsonPropertyName("method")] public string? Method { get; init; }
    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("query")] public string? Query { get; init; }
    [JsonPropertyName("request")] public string? Request { get; init; }
    [JsonPropertyName("status")] public int? Status { get; init; }
    [JsonPropertyName("response")] public string? Response { get; init; }

    /// <summary>The response's <c>Date</c> header (the client uses it to measure clock skew).</summary>
    [JsonPropertyName("date")] public DateTimeOffset? Date { get; init; }

    /// <summary>
    /// Why no response came: <c>timeout</c> (the client gave up waiting), <c>connect</c> (no connection could be opened:
    /// the request certainly never reached the exchange) or <c>connection</c> (the connection failed after the request
    /// was sent: the exchange may have acted on it).
    /// </summary>
    [JsonPropertyName("error_kind")] public string? ErrorKind { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>Which stream a WebSocket entry belongs to (<c>orderbook</c>, <c>user-stream</c>).</summary>
    [JsonPropertyName("stream")] public string? Stream { get; init; }

    [JsonPropertyName("conn")] public int? Connection { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("frame")] public string? Frame { get; init; }

    /// <summary>The close reason the server gave (<c>ws_close</c>); absent when it gave none or the connection was lost (see <see cref="Error"/>).</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>The market a frame or request concerns, when it names one (for cutting a tape by market).</summary>
    [JsonIgnore]
    public string? Market => TapeMarkets.Of(this);
}

/// <summary>The values of <see cref="TapeEntry.ErrorKind"/>.</summary>
public static class TapeErrorKinds
{
    public const string Timeout = "timeout";
    public const string Connect = "connect";
    public const string Connection = "connection";
}

internal static class TapeJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = false,
        // Tapes are files, not HTML: quotes inside recorded frames stay readable (\" rather than \u0022).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>
/// Finds the market a tape entry is about: a frame's <c>msg.market_ticker</c> (book, fill, trade frames) or
/// <c>msg.ticker</c> (order updates); a request's <c>ticker</c> or <c>market_ticker</c> query parameter, its path
/// (<c>/markets/{ticker}</c>, <c>/markets/{ticker}/orderbook</c>), or its body's <c>ticker</c> (order creates). Null for
/// what concerns no single market (subscriptions, the account's balance, positions, fills).
/// </summary>
internal static class TapeMarkets
{
    private static readonly HashSet<string> NotTickers = new(StringComparer.Ordinal) { "trades", "candlesticks" };

    public static string? Of(TapeEntry e)
    {
        if (e.Frame is { } frame)
        {
            if (e.Kind != TapeEntryKind.WsReceive) return null;
            var msg = Object(frame) is { } root && root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.Object ? m : (JsonElement?)null;
            return msg is { } x ? String(x, "market_ticker") ?? String(x, "ticker") : null;
        }
        if (e.Kind != TapeEntryKind.Http) return null;
        if ((Query(e.Query, "ticker") ?? Query(e.Query, "market_ticker")) is { } q) return q;
        if (e.Path is { } path && path.IndexOf("/markets/", StringComparison.Ordinal) is var i and >= 0)
        {
            var segment = path[(i + "/markets/".Length)..].Split('/')[0];
            if (segment.Length > 0 && !NotTickers.Contains(segment)) return Uri.UnescapeDataString(segment);
        }
        return e.Request is { } body && Object(body) is { } request ? String(request, "ticker") : null;
    }

    private static JsonElement? Object(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Query(string? query, string name)
    {
        if (string.IsNullOrEmpty(query)) return null;
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            int eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == name) return Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }
}
