using System.Globalization;
using System.Text;

namespace Trader.Core.Numbers;

/// <summary>
/// An amount of money in micro-dollars (1/1,000,000 $). Kalshi's portfolio money strings carry up to six
/// decimals (<c>"0.017500"</c>), and the exact product of a <see cref="Price"/> (1/10,000 $) and a
/// <see cref="Quantity"/> (1/100 contract) is a whole number of micro-dollars, so every amount the trader
/// handles is exact. One unit for all money in the system: never cents in one place and dollars in another.
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    public const int Decimals = 6;
    public const long MicrosPerDollar = 1_000_000;
    public const long MicrosPerCent = 10_000;

    /// <summary>Largest magnitude accepted from text: one trillion dollars.</summary>
    public const long MaxMicros = 1_000_000_000_000L * MicrosPerDollar;

    public static readonly Money Zero = default;
    public static readonly Money OneCent = new(MicrosPerCent);
    public static readonly Money OneCentiCent = new(100);
    public static readonly Money OneDollar = new(MicrosPerDollar);

    private readonly long _micros;

    private Money(long micros) => _micros = micros;

    public long Micros => _micros;
    public bool IsZero => _micros == 0;
    public bool IsNegative => _micros < 0;
    public bool IsPositive => _micros > 0;
    public int Sign => Math.Sign(_micros);

    public static Money FromMicros(long micros) => new(micros);
    public static Money FromCents(long cents) => new(checked(cents * MicrosPerCent));
    public static Money FromDollars(long dollars) => new(checked(dollars * MicrosPerDollar));

    /// <summary>Exact conversion from decimal dollars; throws when the amount has more than 6 decimals.</summary>
    public static Money FromDollars(decimal dollars)
    {
        decimal micros = dollars * MicrosPerDollar;
        if (micros != decimal.Truncate(micros) || Math.Abs(micros) > MaxMicros)
            throw new WireFormatException("amount", dollars.ToString(CultureInfo.InvariantCulture), "it must be a multiple of $0.000001");
        return new Money((long)micros);
    }

    public decimal ToDollars() => _micros / (decimal)MicrosPerDollar;

    /// <summary>Cents as an exact decimal (−52.15 for −$0.5215).</summary>
    public decimal ToCentsDecimal() => _micros / (decimal)MicrosPerCent;

    /// <summary>Whole cents, truncated toward zero (how Kalshi's integer <c>balance</c> drops sub-cent amounts).</summary>
    public long ToCentsTruncated() => _micros / MicrosPerCent;

    /// <summary>Whole cents, rounded half away from zero.</summary>
    public long ToCentsRounded() => (long)Math.Round(_micros / (decimal)MicrosPerCent, MidpointRounding.AwayFromZero);

    /// <summary>Rounds up (toward +∞) to a multiple of <paramref name="increment"/>.</summary>
    public Money CeilingTo(Money increment)
    {
        long inc = increment._micros;
        if (inc <= 0) throw new ArgumentOutOfRangeException(nameof(increment));
        long q = Math.DivRem(_micros, inc, out long r);
        if (r > 0) q++;
        return new Money(checked(q * inc));
    }

    /// <summary>Rounds down (toward −∞) to a multiple of <paramref name="increment"/>.</summary>
    public Money FloorTo(Money increment)
    {
        long inc = increment._micros;
        if (inc <= 0) throw new ArgumentOutOfRangeException(nameof(increment));
        long q = Math.DivRem(_micros, inc, out long r);
        if (r < 0) q--;
        return new Money(checked(q * inc));
    }

    public static Money Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = FixedPoint.TryParse(text.AsSpan(), Decimals, allowNegative: true, MaxMicros, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("amount", text, FixedPoint.Describe(error, Decimals));
        return new Money(v);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out Money money)
    {
        var error = FixedPoint.TryParse(text, Decimals, true, MaxMicros, out long v);
        money = new Money(v);
        return error == FixedPointError.None;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out Money money)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, true, MaxMicros, out long v);
        money = new Money(v);
        return error == FixedPointError.None;
    }

    public static Money ParseUtf8(ReadOnlySpan<byte> utf8)
    {
        var error = FixedPoint.TryParse(utf8, Decimals, true, MaxMicros, out long v);
        if (error != FixedPointError.None)
            throw new WireFormatException("amount", Encoding.UTF8.GetString(utf8), FixedPoint.Describe(error, Decimals));
        return new Money(v);
    }

    /// <summary>Six-decimal wire string, as Kalshi writes fees and costs: <c>"0.017500"</c>.</summary>
    public string ToWireString() => FixedPoint.Format(_micros, Decimals, Decimals);

    /// <summary>Dollar string with the given number of decimals; throws if that would drop precision.</summary>
    public string ToDollarString(int decimals) => FixedPoint.Format(_micros, Decimals, decimals);

    /// <summary>Human display, <c>$987.40</c> / <c>-$1.05</c>, rounded half away from zero to the cent.</summary>
    public string ToDisplayString()
    {
        decimal dollars = Math.Round(ToDollars(), 2, MidpointRounding.AwayFromZero);
        return dollars < 0
            ? "-$" + (-dollars).ToString("0.00", CultureInfo.InvariantCulture)
            : "$" + dollars.ToString("0.00", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ToWireString();

    public bool Equals(Money other) => _micros == other._micros;
    public override bool Equals(object? obj) => obj is Money m && Equals(m);
    public override int GetHashCode() => _micros.GetHashCode();
    public int CompareTo(Money other) => _micros.CompareTo(other._micros);

    public static bool operator ==(Money a, Money b) => a._micros == b._micros;
    public static bool operator !=(Money a, Money b) => a._micros != b._micros;
    public static bool operator <(Money a, Money b) => a._micros < b._micros;
    public static bool operator >(Money a, Money b) => a._micros > b._micros;
    public static bool operator <=(Money a, Money b) => a._micros <= b._micros;
    public static bool operator >=(Money a, Money b) => a._micros >= b._micros;
    public static Money operator +(Money a, Money b) => new(checked(a._micros + b._micros));
    public static Money operator -(Money a, Money b) => new(checked(a._micros - b._micros));
    public static Money operator -(Money a) => new(checked(-a._micros));
    public static Money operator *(Money a, long k) => new(checked(a._micros * k));

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;
    public static Money Abs(Money a) => a._micros < 0 ? -a : a;

    /// <summary>
    /// <paramref name="amount"/> × <paramref name="part"/> / <paramref name="whole"/>, rounded half away from zero
    /// to the micro-dollar; used to pro-rate a cost basis when part of a position is closed.
    /// </summary>
    public static Money Prorate(Money amount, Quantity part, Quantity whole)
    {
        if (whole.IsZero) throw new DivideByZeroException("cannot pro-rate over a zero quantity");
        Int128 num = (Int128)amount._micros * part.Units;
        Int128 den = whole.Units;
        Int128 q = Int128.DivRem(num, den).Quotient;
        Int128 r = num - q * den;
        if (r != 0 && Int128.Abs(r) * 2 >= Int128.Abs(den))
            q += (num < 0) ^ (den < 0) ? -1 : 1;
        return new Money((long)q);
    }
}
