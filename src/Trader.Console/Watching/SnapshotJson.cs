using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Trader.Kalshi.Wire;

namespace Trader.Console.Watching;

/// <summary>
/// The JSON of <c>GET /status</c>: snake_case names; prices, counts and money as Kalshi's exact decimal strings
/// (<c>"0.4700"</c>, <c>"5.00"</c>, <c>"987.400000"</c>: Core's wire formatting, never a float); durations as seconds
/// (a number: they are not money); times as ISO 8601; enums in snake_case; absent values as <c>null</c>, so the shape
/// does not change with the trader's state.
/// </summary>
public static class SnapshotJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize(TraderSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = true,
            // Status results carry "->", "✓" and "$": readable as they are (the endpoint's content type says UTF-8).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new FixedPointJsonConverterFactory());
        options.Converters.Add(new SecondsConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>A duration as seconds with at most three decimals (<c>12.345</c>).</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds((double)reader.GetDecimal());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteRawValue(Math.Round(value.Ticks / (decimal)TimeSpan.TicksPerSecond, 3, MidpointRounding.AwayFromZero).ToString("0.###", CultureInfo.InvariantCulture));
    }
}
