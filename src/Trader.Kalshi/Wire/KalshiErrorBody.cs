using System.Text;
using System.Text.Json;
using Trader.Kalshi.Api;

namespace Trader.Kalshi.Wire;

/// <summary>The four error body shapes of kalshi-api.md §3.12.</summary>
public enum ErrorBodyShape
{
    /// <summary><c>{"error":{"code","message","details","service"}}</c> — most 4xx.</summary>
    Nested,

    /// <summary><c>{"code","message","details"}</c> — JSON decode failures (OpenAPI <c>ErrorResponse</c>).</summary>
    Flat,

    /// <summary><c>{"msg":"…"}</c> — query parameter validation.</summary>
    Bare,

    /// <summary><c>{"error":"too many requests"}</c> — 429.</summary>
    StringError,
}

/// <summary>
/// Reads every error body Kalshi sends into one <see cref="KalshiError"/>, and writes them (for the simulated exchange).
/// A body that is not JSON (a gateway's HTML page, an empty body) still gives an error: code <c>http_&lt;status&gt;</c>
/// and the start of the text.
/// </summary>
public static class KalshiErrorBody
{
    public static KalshiError Parse(int httpStatus, ReadOnlySpan<byte> body)
    {
        string fallbackCode = $"http_{httpStatus}";
        if (body.IsEmpty) return new KalshiError(httpStatus, fallbackCode, $"HTTP {httpStatus} with an empty body");
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return NotJson(httpStatus, body);

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    string text = error.GetString() ?? "";
                    string code = httpStatus == 429 ? "too_many_requests" : Codify(text, fallbackCode);
                    return new KalshiError(httpStatus, code, text);
                }
                if (error.ValueKind == JsonValueKind.Object) return FromObject(httpStatus, error, fallbackCode);
            }
            if (root.TryGetProperty("code", out _) || root.TryGetProperty("message", out _)) return FromObject(httpStatus, root, fallbackCode);
            if (root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
                return new KalshiError(httpStatus, httpStatus == 400 ? "bad_request" : fallbackCode, msg.GetString() ?? "");
            return new KalshiError(httpStatus, fallbackCode, Snippet(body));
        }
        catch (JsonException)
        {
            return NotJson(httpStatus, body);
        }
    }

    private static KalshiError FromObject(int status, JsonElement e, string fallbackCode)
    {
        string? code = Str(e, "code");
        string? message = Str(e, "message");
        return new KalshiError(status, code ?? fallbackCode, message ?? code ?? $"HTTP {status}", Str(e, "details"), Str(e, "service"));
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        } : null;

    private static string Codify(string text, string fallback)
    {
        if (text.Length == 0) return fallback;
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.Trim().ToLowerInvariant()) sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }

    private static KalshiError NotJson(int status, ReadOnlySpan<byte> body) => new(status, $"http_{status}", Snippet(body));

    private static string Snippet(ReadOnlySpan<byte> body)
    {
        string text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 400)]).Trim();
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    /// <summary>The error body in one of Kalshi's shapes (UTF-8 JSON), as the exchange would send it.</summary>
    public static byte[] Write(KalshiError error, ErrorBodyShape shape = ErrorBodyShape.Nested) => shape switch
    {
        ErrorBodyShape.Nested => KalshiJson.SerializeToUtf8Bytes(new ErrorEnvelopeDto(KalshiWireMapper.ToWire(error))),
        ErrorBodyShape.Flat => KalshiJson.SerializeToUtf8Bytes(KalshiWireMapper.ToWire(error)),
        ErrorBodyShape.Bare => KalshiJson.SerializeToUtf8Bytes(new BareErrorDto(error.Details is null ? error.Message : $"{error.Message}: {error.Details}")),
        _ => KalshiJson.SerializeToUtf8Bytes(new RateLimitErrorDto(error.Message)),
    };
}
