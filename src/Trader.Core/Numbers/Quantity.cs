using System.Text;

namespace Trader.Core.Numbers;

/// <summary>
/// A signed number of contracts in units of 1/100 contract, Kalshi's wire precision (<c>"3.00"</c> = 300 units).
/// Signed because positions (+YES / −NO) and book deltas are signed; order counts are positive.
/// </summary>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    public const int Decimals = 2;
    public const int UnitsPerContract = 100;

    /// <summary>Largest magnitude: 10^12 contracts, so that price × quantity always fits in a long.</summary>
    public const long MaxUnits = 100_000_000_000_000;

    public static readonly Quantity Zero = default;

    private readonly long _units;

    private Quantity(long units) => _units = units;

    /// <summary>Contracts × 100.</summary>
    public long Units => _units;

    public bool IsZero => _units == 0;
    public bool IsPositive => _units > 0;
    public bool IsNegative => _units < 0;
    public int Sign => Math.Sign(_units);
    public Quantity Abs() => new(Math.Abs(_units));

    /// <summary>True when this is a whole number of contracts.</summary>
    public bool IsWhole => _units % UnitsPerContract == 0;

    public static Quantity FromUnits(long units)
    {
        if (units > MaxUnits || units < -MaxUnits)
            throw new ArgumentOutOfRangeException(nameof(units), units, "quantity is out of range");
        return new Quantity(units);
    }

    public static Quantity FromContracts(long contracts) => FromUnits(checked(contracts * UnitsPerContract));

    /// <summary>Exact conversion from a decimal contract count; throws when it is off the 0.01 grid.</summary>
    public static Quantity FromDecimal(decimal contracts)
    {
        decimal units = contracts * UnitsPerContract;
        if (units != decimal.Truncate(units) || Math.Abs(units) > MaxUnits)
            throw new WireFormatException("count", contracts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "it must be a multiple of 0.01 contract");
        return new Quantity((long)units);
    }

    public decimal ToDecimal() => _units / (decimal)UnitsPerContract;

    /// <summary>Whole contracts, rounded toward zero.</summary>
    public long ToWholeContracts() => _units / UnitsPerContract;

    public static Quantity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = FixedPoint.TryParse(text.AsSpan(), Decimals, allowNegative: true, MaxUnits, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("count", text, FixedPoint.Describe(error, Decimals));
        return new Quantity(v);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out Quantity quantity)
    {
        var error = FixedPoint.TryParse(text, Decimals, true, MaxUnits, out long v);
        quantity = new Quantity(v);
        return error == FixedPointError.None;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out Quantity quantity)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, true, MaxUnits, out long v);
        quantity = new Quantity(v);
        return error == FixedPointError.None;
    }

    public static Quantity ParseUtf8(ReadOnlySpan<byte> utf8)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, true, MaxUnits, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("count", Encoding.UTF8.GetString(utf8), FixedPoint.Describe(error, Decimals));
        return new Quantity(v);
    }

    /// <summary>The exact wire string, 2 decimals: <c>"3.00"</c>, <c>"-1.50"</c>.</summary>
    public string ToWireString() => FixedPoint.Format(_units, Decimals, Decimals);

    public override string ToString() => ToWireString();

    public bool Equals(Quantity other) => _units == other._units;
    public override bool Equals(object? obj) => obj is Quantity q && Equals(q);
    public override int GetHashCode() => _units.GetHashCode();
    public int CompareTo(Quantity other) => _units.CompareTo(other._units);

    public static bool operator ==(Quantity a, Quantity b) => a._units == b._units;
    public static bool operator !=(Quantity a, Quantity b) => a._units != b._units;
    public static bool operator <(Quantity a, Quantity b) => a._units < b._units;
    public static bool operator >(Quantity a, Quantity b) => a._units > b._units;
    public static bool operator <=(Quantity a, Quantity b) => a._units <= b._units;
    public static bool operator >=(Quantity a, Quantity b) => a._units >= b._units;
    public static Quantity operator +(Quantity a, Quantity b) => FromUnits(checked(a._units + b._units));
    public static Quantity operator -(Quantity a, Quantity b) => FromUnits(checked(a._units - b._units));
    public static Quantity operator -(Quantity a) => new(-a._units);

    public static Quantity Min(Quantity a, Quantity b) => a <= b ? a : b;
    public static Quantity Max(Quantity a, Quantity b) => a >= b ? a : b;
}
