using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Trader.Kalshi.Api;

namespace Trader.Kalshi.Wire;

/// <summary>A wire message that could not be read. The message names the DTO, the field and the reason, never a secret.</summary>
public sealed class KalshiWireException(string message, Exception? inner = null) : Exception(message, inner)
{
}

/// <summary>
/// The JSON settings of Kalshi's wire format, shared by the client (reading responses, writing requests) and the
/// simulated exchange (reading requests, writing responses):
/// <list type="bullet">
/// <item>snake_case names; <c>null</c> members are not written; unknown members are ignored when reading;</item>
/// <item><c>Price</c>/<c>Quantity</c>/<c>Money</c> are written as exact decimal strings;</item>
/// <item>required members (constructor parameters without a default) must be present, and a non-nullable member
/// may not be <c>null</c>: a missing field is an error naming it, never a silent zero (kalshi-api.md §7 gotcha 2);</item>
/// <item>enums are snake_case strings (<c>bid</c>, <c>good_till_canceled</c>, <c>taker_at_cross</c>);</item>
/// <item>times are written as Kalshi writes them: UTC, <c>Z</c>, at most microseconds (<see cref="KalshiTimeJsonConverter"/>).</item>
/// </list>
/// <see cref="Lenient"/> (for responses) also accepts JSON numbers where Kalshi sends strings;
/// <see cref="Strict"/> (for requests, as Kalshi parses them) refuses them.
/// </summary>
public static class KalshiJson
{
    public static JsonSerializerOptions Lenient { get; } = Create(lenient: true);

    public static JsonSerializerOptions Strict { get; } = Create(lenient: false);

    internal static bool IsLenient(JsonSerializerOptions options) =>
        (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0;

    private static JsonSerializerOptions Create(bool lenient)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = lenient ? JsonNumberHandling.AllowReadingFromString : JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new FixedPointJsonConverterFactory());
        options.Converters.Add(new KalshiTimeJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Lenient);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Lenient);

    /// <summary>Reads a response leniently; throws <see cref="KalshiWireException"/> naming the DTO, field and reason.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) => Deserialize<T>(utf8, strict: false);

    public static T Deserialize<T>(string json) => Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(json), strict: false);

    /// <summary>Reads a message; <paramref name="strict"/> refuses JSON numbers where Kalshi wants strings.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, bool strict)
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(utf8, strict ? Strict : Lenient);
            return value ?? throw new KalshiWireException($"{WireName(typeof(T))}: the message is JSON null");
        }
        catch (JsonException e)
        {
            throw new KalshiWireException(Describe(e, typeof(T)), e);
        }
    }

    /// <summary>
    /// Parses a request body strictly, as Kalshi does. On failure <paramref name="error"/> is the 400 Kalshi answers:
    /// flat shape, code <c>bad_request</c>, details in Go's words, e.g.
    /// <c>json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string</c>.
    /// </summary>
    public static bool TryDeserializeRequest<T>(ReadOnlySpan<byte> utf8, out T? value, out KalshiError? error)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(utf8, Strict);
            if (value is null)
            {
                error = new KalshiError(400, "bad_request", "bad request", "request body is null");
                return false;
            }
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            value = default;
            error = new KalshiError(400, "bad_request", "bad request", GoStyleDetails(e, typeof(T)));
            return false;
        }
    }

    /// <summary>Kalshi's schema name for a DTO type (<c>CreateOrderV2RequestDto</c> → <c>CreateOrderV2Request</c>).</summary>
    public static string WireName(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name.EndsWith("Dto", StringComparison.Ordinal) ? name[..^3] : name;
    }

    /// <summary><c>$.orders[0].count</c> → <c>orders.count</c>; <c>$</c> → empty.</summary>
    internal static string FieldPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "";
        var sb = new System.Text.StringBuilder(jsonPath.Length);
        int i = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? 2 : jsonPath.StartsWith('$') ? 1 : 0;
        for (; i < jsonPath.Length; i++)
        {
            char c = jsonPath[i];
            if (c == '[')
            {
                int close = jsonPath.IndexOf(']', i);
                if (close < 0) break;
                string inner = jsonPath[(i + 1)..close];
                if (inner.StartsWith('\'')) sb.Append('.').Append(inner.Trim('\''));
                i = close;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString().TrimStart('.');
    }

    private static string Describe(JsonException e, Type type)
    {
        string wire = WireName(type);
        string field = FieldPath(e.Path);
        var missing = MissingFields(e);
        if (missing is not null)
        {
            string? inner = MissingFieldOwner(e);
            string where = ReadablePath(e.Path);
            return inner is null || inner == wire
                ? $"{wire}: missing required field {missing}"
                : $"{wire}: {inner} at '{where}' is missing required field {missing}";
        }
        if (e is WireTypeMismatchException m)
            return $"{wire}: field '{ReadablePath(e.Path)}' must be a {m.Expected}, got a {m.Found}";
        field = ReadablePath(e.Path);
        string reason = e.InnerException is Trader.Core.Numbers.WireFormatException wf ? wf.Message : e.Message;
        return field.Length == 0 ? $"{wire}: {reason}" : $"{wire}: field '{field}': {reason}";
    }

    private static string GoStyleDetails(JsonException e, Type type)
    {
        string wire = WireName(type);
        string field = FieldPath(e.Path);
        var missing = MissingFields(e);
        if (missing is not null) return $"missing required field {missing} in {wire}";
        if (e is WireTypeMismatchException m)
            return $"json: cannot unmarshal {m.Found} into Go struct field {wire}.{field} of type {m.Expected}";
        string reason = e.InnerException is Trader.Core.Numbers.WireFormatException wf ? wf.Message : e.Message;
        return field.Length == 0 ? $"invalid {wire}: {reason}" : $"invalid {wire}.{field}: {reason}";
    }

    /// <summary><c>$.orders[0].count</c> → <c>orders[0].count</c>.</summary>
    private static string ReadablePath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    /// <summary>"JSON deserialization for type 'Trader.Kalshi.Wire.MarketPositionDto' was missing …" → <c>MarketPosition</c>.</summary>
    private static string? MissingFieldOwner(JsonException e)
    {
        const string marker = "for type '";
        int i = e.Message.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return null;
        int end = e.Message.IndexOf('\'', i + marker.Length);
        if (end < 0) return null;
        string full = e.Message[(i + marker.Length)..end];
        string name = full[(full.LastIndexOf('.') + 1)..];
        return name.EndsWith("Dto", StringComparison.Ordinal) ? name[..^3] : name;
    }

    /// <summary>The serializer reports missing constructor parameters as "… missing required properties including: 'a', 'b'."</summary>
    private static string? MissingFields(JsonException e)
    {
        const string marker = "missing required properties including: ";
        int i = e.Message.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return null;
        string rest = e.Message[(i + marker.Length)..];
        int end = rest.IndexOf('.');
        if (end > 0 && rest[..end].Contains('\'')) rest = rest[..end];
        int path = rest.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0) rest = rest[..path];
        return rest.Trim().TrimEnd('.');
    }
}
