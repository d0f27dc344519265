using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trader.Kalshi.Wire;

/// <summary>
/// RFC 3339 times as Kalshi writes them (kalshi-api.md §3.1): UTC with <c>Z</c>, microseconds at most, trailing zeros
/// of the fraction dropped (Go's RFC3339Nano), e.g. <c>2026-06-11T06:29:20.866753Z</c>, <c>2026-06-25T16:00:00Z</c>.
/// Reading accepts any ISO 8601 date-time with an offset, as before.
/// </summary>
public sealed class KalshiTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new WireTypeMismatchException(WireTypeMismatchException.Describe(reader.TokenType), "string");
        if (reader.TryGetDateTimeOffset(out var value)) return value;
        throw new JsonException($"'{reader.GetString()}' is not an RFC 3339 date-time");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));

    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        long micros = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        string seconds = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micros == 0 ? seconds + "Z" : seconds + "." + micros.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }
}
