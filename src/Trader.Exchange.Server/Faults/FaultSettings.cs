using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trader.Exchange.Server.Faults;

/// <summary>
/// Faults the simulated exchange injects on purpose, as configured at start (<see cref="SimulatorOptions.Faults"/>,
/// <c>trader sim --faults FILE</c>) or posted to the control endpoint (<c>POST /_control/faults</c>). Every member is
/// optional: a posted settings object changes only the members it has (and adds its REST rules); <c>DELETE
/// /_control/faults</c> clears everything. Counts are consumed as the faults fire; −1 means "every time".
/// The JSON is snake_case, e.g.
/// <code>{"websocket_upgrade_503":-1,"skip_sequence":1,"rate_limit_burst":3,"latency_ms":200,"clock_skew_ms":-60000,
///  "rest":[{"method":"POST","path":"/portfolio/events/orders","status":0,"after_execute":true}]}</code>
/// </summary>
public sealed record FaultSettings
{
    /// <summary>
    /// WebSocket upgrades to refuse with 503 (Kalshi's demo refused the order book WebSocket this way); −1 refuses every
    /// upgrade until cleared. The refusal happens before the upgrade, when the server cannot yet know which channels
    /// the connection will ask for, so it applies to every upgrade: a trader that streams order books sees exactly the
    /// demo's failure.
    /// </summary>
    [JsonPropertyName("websocket_upgrade_503")]
    public int? WebsocketUpgrade503 { get; init; }

    /// <summary>Sequenced frames (order book snapshots and deltas, trades, lifecycle) whose <c>seq</c> jumps by one extra: a gap.</summary>
    public int? SkipSequence { get; init; }

    /// <summary>REST requests to answer 429 <c>{"error":"too many requests"}</c> whatever the token buckets hold.</summary>
    public int? RateLimitBurst { get; init; }

    /// <summary>Delay added before every REST answer, in milliseconds.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>Offset of the clock that checks request timestamps, in milliseconds (negative: the server's clock is behind).</summary>
    public long? ClockSkewMs { get; init; }

    /// <summary>Delay before each WebSocket frame is sent, in milliseconds: a slow link, which fills subscription buffers.</summary>
    public int? WebsocketSendDelayMs { get; init; }

    /// <summary>While true no WebSocket frame is sent (frames queue up; a subscription whose buffer overflows ends with error 25).</summary>
    public bool? WebsocketStall { get; init; }

    /// <summary>Drops every WebSocket connection this often, in seconds (0 = never); <c>POST /_control/websockets/drop</c> drops them once.</summary>
    public int? WebsocketDropEverySeconds { get; init; }

    /// <summary>Rules for chosen REST paths: answer an error status, or abort the connection, before or after the request is executed.</summary>
    public IReadOnlyList<RestFaultRule>? Rest { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (WebsocketUpgrade503 < -1) throw new ArgumentException("websocket_upgrade_503 must be -1 (always), 0 or a count");
        if (SkipSequence < -1) throw new ArgumentException("skip_sequence must be -1 (always), 0 or a count");
        if (RateLimitBurst < -1) throw new ArgumentException("rate_limit_burst must be -1 (always), 0 or a count");
        if (LatencyMs is < 0 or > 600_000) throw new ArgumentException("latency_ms must be between 0 and 600000");
        if (WebsocketSendDelayMs is < 0 or > 600_000) throw new ArgumentException("websocket_send_delay_ms must be between 0 and 600000");
        if (WebsocketDropEverySeconds < 0) throw new ArgumentException("websocket_drop_every_seconds cannot be negative");
        if (ClockSkewMs is { } skew && Math.Abs(skew) > TimeSpan.FromDays(365).TotalMilliseconds) throw new ArgumentException("clock_skew_ms is more than a year");
        foreach (var rule in Rest ?? []) rule.Validate();
    }

    /// <summary>Reads fault settings from JSON (a file or a control request); the message of a failure names the problem.</summary>
    public static FaultSettings Parse(ReadOnlySpan<byte> json)
    {
        FaultSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<FaultSettings>(json, ControlJson.Options);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"fault settings: {Explain(e)}", e);
        }
        if (settings is null) throw new ArgumentException("fault settings: the JSON is null");
        settings.Validate();
        return settings;
    }

    /// <summary>The names a fault settings object may have.</summary>
    public static IReadOnlyList<string> SettingNames { get; } =
        ControlJson.Options.GetTypeInfo(typeof(FaultSettings)).Properties.Select(p => p.Name).ToList();

    private static string Explain(JsonException e)
    {
        const string marker = "The JSON property '";
        int i = e.Message.IndexOf(marker, StringComparison.Ordinal);
        if (i >= 0 && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            int end = e.Message.IndexOf('\'', i + marker.Length);
            string name = e.Message[(i + marker.Length)..end];
            return e.Path is { Length: > 2 } path && path.Contains('[')
                ? $"unknown field '{name}' at {path} (a REST rule has path, status, method, times, after_execute)"
                : $"unknown setting '{name}' (known: {string.Join(", ", SettingNames)})";
        }
        return e.Message;
    }

    public static FaultSettings Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"the fault file '{path}' cannot be read: {e.Message}", e);
        }
        try
        {
            return Parse(bytes);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the fault file '{path}': {e.Message}", e);
        }
    }
}

/// <summary>
/// A fault on REST requests whose path matches <see cref="Path"/> (relative to <c>/trade-api/v2</c> or absolute; a
/// segment <c>*</c> or <c>{name}</c> matches any one segment) and, when given, whose <see cref="Method"/> matches.
/// <see cref="Status"/> is the HTTP status to answer (e.g. 500, 502, 503), or 0 to abort the connection without any
/// answer. With <see cref="AfterExecute"/> the request is executed first (an order is placed) and its answer is then
/// replaced: a 5xx or an aborted create is the ambiguous write a client must reconcile by client order id.
/// <see cref="Times"/> requests are hit (−1: every one).
/// </summary>
public sealed record RestFaultRule(string Path, int Status, string? Method = null, int Times = 1, bool AfterExecute = false)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("a REST fault rule needs a path");
        if (Status != 0 && Status is < 400 or > 599) throw new ArgumentException($"REST fault rule {Path}: status {Status} is neither 0 (abort) nor 400-599");
        if (Times is 0 or < -1) throw new ArgumentException($"REST fault rule {Path}: times must be -1 (always) or a positive count");
    }
}

/// <summary>The JSON settings of the control endpoint: snake_case, nulls left out, numbers strict.</summary>
public static class ControlJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
