using System.Text;

namespace Trader.Core.Numbers;

/// <summary>
/// A contract price in units of 1/10,000 dollar, Kalshi's wire precision (<c>"0.5200"</c> = 5,200 ticks).
/// Valid range is [0, 1] dollar inclusive; only (0, 1) exclusive is tradable. Always a YES-leg or NO-leg
/// price of one contract; the two legs of a market sum to one dollar (<see cref="Complement"/>).
/// </summary>
public readonly struct Price : IEquatable<Price>, IComparable<Price>
{
    public const int Decimals = 4;
    public const int TicksPerDollar = 10_000;
    public const int TicksPerCent = 100;

    public static readonly Price Zero = default;
    public static readonly Price One = new(TicksPerDollar);

    private readonly int _ticks;

    private Price(int ticks) => _ticks = ticks;

    /// <summary>Price in 1/10,000 dollar.</summary>
    public int Ticks => _ticks;

    /// <summary>The other leg's price: a NO bid at q is a YES ask at 1 − q.</summary>
    public Price Complement => new(TicksPerDollar - _ticks);

    /// <summary>Strictly between 0 and 1 dollar: a price an order may carry.</summary>
    public bool IsTradable => _ticks > 0 && _ticks < TicksPerDollar;

    public bool IsWholeCent => _ticks % TicksPerCent == 0;

    public static Price FromTicks(int ticks)
    {
        if ((uint)ticks > TicksPerDollar)
            throw new ArgumentOutOfRangeException(nameof(ticks), ticks, "a price must be between 0 and 10,000 ticks (0 to 1 dollar)");
        return new Price(ticks);
    }

    public static bool TryFromTicks(int ticks, out Price price)
    {
        price = new Price(ticks);
        return (uint)ticks <= TicksPerDollar;
    }

    public static Price FromCents(int cents)
    {
        if ((uint)cents > 100)
            throw new ArgumentOutOfRangeException(nameof(cents), cents, "a price must be between 0 and 100 cents");
        return new Price(cents * TicksPerCent);
    }

    /// <summary>Exact conversion from a decimal dollar amount; throws when it is off the 1/10,000 grid or out of range.</summary>
    public static Price FromDollars(decimal dollars)
    {
        decimal ticks = dollars * TicksPerDollar;
        if (ticks != decimal.Truncate(ticks) || ticks < 0 || ticks > TicksPerDollar)
            throw new WireFormatException("price", dollars.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "it must be a multiple of 0.0001 between 0 and 1");
        return new Price((int)ticks);
    }

    /// <summary>Cents, rounded down (toward zero).</summary>
    public int ToCentsFloor() => _ticks / TicksPerCent;

    /// <summary>Cents, rounded up.</summary>
    public int ToCentsCeiling() => (_ticks + TicksPerCent - 1) / TicksPerCent;

    /// <summary>Exact cents; throws for a sub-penny price.</summary>
    public int ToCentsExact() => IsWholeCent
        ? _ticks / TicksPerCent
        : throw new InvalidOperationException($"price {this} is not a whole number of cents");

    /// <summary>Price in cents as a decimal (exact, 52.15 for "0.5215").</summary>
    public decimal ToCentsDecimal() => _ticks / (decimal)TicksPerCent;

    public decimal ToDollars() => _ticks / (decimal)TicksPerDollar;

    public static Price Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = FixedPoint.TryParse(text.AsSpan(), Decimals, allowNegative: false, TicksPerDollar, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("price", text, error == FixedPointError.OutOfRange
                ? "it must be between 0 and 1 dollar"
                : FixedPoint.Describe(error, Decimals));
        return new Price((int)v);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out Price price)
    {
        var error = FixedPoint.TryParse(text, Decimals, false, TicksPerDollar, out long v);
        price = new Price((int)v);
        return error == FixedPointError.None;
    }

    /// <summary>Parses UTF-8 bytes (as handed out by <c>Utf8JsonReader</c>) without allocating.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Price price)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, false, TicksPerDollar, out long v);
        price = new Price((int)v);
        return error == FixedPointError.None;
    }

    public static Price ParseUtf8(ReadOnlySpan<byte> utf8)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, false, TicksPerDollar, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("price", Encoding.UTF8.GetString(utf8), error == FixedPointError.OutOfRange
                ? "it must be between 0 and 1 dollar"
                : FixedPoint.Describe(error, Decimals));
        return new Price((int)v);
    }

    /// <summary>The exact wire string, 4 decimals: <c>"0.5200"</c>.</summary>
    public string ToWireString() => FixedPoint.Format(_ticks, Decimals, Decimals);

    public override string ToString() => ToWireString();

    public bool Equals(Price other) => _ticks == other._ticks;
    public override bool Equals(object? obj) => obj is Price p && Equals(p);
    public override int GetHashCode() => _ticks;
    public int CompareTo(Price other) => _ticks.CompareTo(other._ticks);

    public static bool operator ==(Price a, Price b) => a._ticks == b._ticks;
    public static bool operator !=(Price a, Price b) => a._ticks != b._ticks;
    public static bool operator <(Price a, Price b) => a._ticks < b._ticks;
    public static bool operator >(Price a, Price b) => a._ticks > b._ticks;
    public static bool operator <=(Price a, Price b) => a._ticks <= b._ticks;
    public static bool operator >=(Price a, Price b) => a._ticks >= b._ticks;

    public static Price Min(Price a, Price b) => a <= b ? a : b;
    public static Price Max(Price a, Price b) => a >= b ? a : b;

    /// <summary>Exact cost of <paramref name="count"/> contracts at this price.</summary>
    public static Money operator *(Price price, Quantity count) => Money.FromMicros(checked((long)price._ticks * count.Units));
}
