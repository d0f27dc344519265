using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Trader.Core.Numbers;

namespace Trader.Kalshi.Wire;

/// <summary>
/// A JSON value of the wrong kind for a field: Kalshi wants a string and got a number (or the reverse).
/// <see cref="JsonException.Path"/> is filled in by the serializer; <see cref="KalshiJson"/> turns it into Kalshi's own
/// wording (<c>json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string</c>).
/// </summary>
public sealed class WireTypeMismatchException(string found, string expected)
    : JsonException($"cannot unmarshal {found} into a field of type {expected}")
{
    /// <summary>The JSON kind that arrived: <c>number</c>, <c>string</c>, <c>bool</c>, <c>array</c>, <c>object</c>, <c>null</c>.</summary>
    public string Found { get; } = found;

    /// <summary>The Go type Kalshi declares for the field (<c>string</c> for every fixed-point value).</summary>
    public string Expected { get; } = expected;

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "number",
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "bool",
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

/// <summary>
/// Reads and writes one of Core's fixed-point types as Kalshi's exact decimal strings. Writing always produces the
/// string form with the wire's number of decimals. Reading accepts a string; a JSON number is accepted too when the
/// options are lenient (<see cref="JsonNumberHandling.AllowReadingFromString"/> set, as in <see cref="KalshiJson.Lenient"/>)
/// and refused with a <see cref="WireTypeMismatchException"/> when they are strict (<see cref="KalshiJson.Strict"/>).
/// A value that is not a valid fixed-point number fails with a message that names the value and the reason.
/// </summary>
public abstract class FixedPointJsonConverter<T> : JsonConverter<T> where T : struct
{
    private protected abstract string Kind { get; }

    private protected abstract bool TryParse(ReadOnlySpan<byte> utf8, out T value);

    private protected abstract int Format(T value, Span<char> destination);

    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return ParseToken(ref reader);
            case JsonTokenType.Number when KalshiJson.IsLenient(options):
                return ParseToken(ref reader);
            default:
                throw new WireTypeMismatchException(WireTypeMismatchException.Describe(reader.TokenType), "string");
        }
    }

    private T ParseToken(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            if (TryParse(reader.ValueSpan, out var v)) return v;
            throw Invalid(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
        }
        // Rare: an escaped or split value. Copy it out and parse the unescaped bytes.
        string text = reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (TryParse(bytes, out var parsed)) return parsed;
        throw Invalid(text);
    }

    private JsonException Invalid(string text)
    {
        // Reuse Core's wording ("'0.52001' is not a valid price: it has more than 4 decimals").
        try
        {
            ParseWithReason(text);
        }
        catch (WireFormatException e)
        {
            return new JsonException(e.Message, e);
        }
        return new JsonException($"'{text}' is not a valid {Kind}");
    }

    private protected abstract void ParseWithReason(string text);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[32];
        int n = Format(value, buffer);
        writer.WriteStringValue(buffer[..n]);
    }
}

/// <summary><see cref="Price"/> as <c>"0.5200"</c> (four decimals).</summary>
public sealed class PriceJsonConverter : FixedPointJsonConverter<Price>
{
    private protected override string Kind => "price";
    private protected override bool TryParse(ReadOnlySpan<byte> utf8, out Price value) => Price.TryParse(utf8, out value);
    private protected override void ParseWithReason(string text) => Price.Parse(text);
    private protected override int Format(Price value, Span<char> destination) =>
        FixedPoint.Format(value.Ticks, Price.Decimals, Price.Decimals, destination);
}

/// <summary><see cref="Quantity"/> as <c>"3.00"</c> (two decimals).</summary>
public sealed class QuantityJsonConverter : FixedPointJsonConverter<Quantity>
{
    private protected override string Kind => "count";
    private protected override bool TryParse(ReadOnlySpan<byte> utf8, out Quantity value) => Quantity.TryParse(utf8, out value);
    private protected override void ParseWithReason(string text) => Quantity.Parse(text);
    private protected override int Format(Quantity value, Span<char> destination) =>
        FixedPoint.Format(value.Units, Quantity.Decimals, Quantity.Decimals, destination);
}

/// <summary>
/// <see cref="Money"/> as a dollar string. By default six decimals (<c>"0.017500"</c>, how Kalshi writes fees and
/// costs); <see cref="MoneyFourDecimalsAttribute"/> selects four (<c>"98.0186"</c>, how Kalshi writes balances and
/// position costs). An amount that needs more decimals than asked for is written with six, never rounded.
/// </summary>
public sealed class MoneyJsonConverter : FixedPointJsonConverter<Money>
{
    private readonly int _decimals;

    public MoneyJsonConverter() : this(Money.Decimals)
    {
    }

    public MoneyJsonConverter(int decimals)
    {
        if (decimals is < 0 or > Money.Decimals) throw new ArgumentOutOfRangeException(nameof(decimals));
        _decimals = decimals;
    }

    private protected override string Kind => "amount";
    private protected override bool TryParse(ReadOnlySpan<byte> utf8, out Money value) => Money.TryParse(utf8, out value);
    private protected override void ParseWithReason(string text) => Money.Parse(text);

    private protected override int Format(Money value, Span<char> destination)
    {
        long drop = FixedPoint.Pow10(Money.Decimals - _decimals);
        int decimals = value.Micros % drop == 0 ? _decimals : Money.Decimals;
        return FixedPoint.Format(value.Micros, Money.Decimals, decimals, destination);
    }
}

/// <summary>Writes a <see cref="Money"/> (or <c>Money?</c>) property with four decimals, as Kalshi writes that field.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MoneyFourDecimalsAttribute : JsonConverterAttribute
{
    private static readonly MoneyJsonConverter Four = new(4);
    private static readonly NullableFixedPointJsonConverter<Money> NullableFour = new(Four);

    public override JsonConverter? CreateConverter(Type typeToConvert) =>
        typeToConvert == typeof(Money) ? Four
        : typeToConvert == typeof(Money?) ? NullableFour
        : throw new InvalidOperationException($"[MoneyFourDecimals] applies to Money properties, not {typeToConvert}");
}

/// <summary><c>T?</c> for a fixed-point <c>T</c>: JSON <c>null</c> is <c>null</c>, anything else goes to the inner converter.</summary>
public sealed class NullableFixedPointJsonConverter<T>(JsonConverter<T> inner) : JsonConverter<T?> where T : struct
{
    public override bool HandleNull => true;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : inner.Read(ref reader, typeof(T), options);

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else inner.Write(writer, value.Value, options);
    }
}

/// <summary>Supplies the converters for <see cref="Price"/>, <see cref="Quantity"/>, <see cref="Money"/> and their nullable forms.</summary>
public sealed class FixedPointJsonConverterFactory : JsonConverterFactory
{
    private static readonly PriceJsonConverter PriceConverter = new();
    private static readonly QuantityJsonConverter QuantityConverter = new();
    private static readonly MoneyJsonConverter MoneyConverter = new();

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(Price) || typeToConvert == typeof(Price?)
        || typeToConvert == typeof(Quantity) || typeToConvert == typeof(Quantity?)
        || typeToConvert == typeof(Money) || typeToConvert == typeof(Money?);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        if (typeToConvert == typeof(Price)) return PriceConverter;
        if (typeToConvert == typeof(Price?)) return new NullableFixedPointJsonConverter<Price>(PriceConverter);
        if (typeToConvert == typeof(Quantity)) return QuantityConverter;
        if (typeToConvert == typeof(Quantity?)) return new NullableFixedPointJsonConverter<Quantity>(QuantityConverter);
        if (typeToConvert == typeof(Money)) return MoneyConverter;
        if (typeToConvert == typeof(Money?)) return new NullableFixedPointJsonConverter<Money>(MoneyConverter);
        throw new InvalidOperationException($"no fixed-point converter for {typeToConvert}");
    }
}
