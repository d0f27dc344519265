using Trader.Core.Numbers;

namespace Trader.Core.Fees;

/// <summary>A series' fee type, from <c>fee_type</c> on Kalshi's series.</summary>
public enum FeeType
{
    /// <summary>Takers pay the quadratic fee; makers pay nothing.</summary>
    Quadratic,

    /// <summary>Takers pay the quadratic fee and makers a quarter of its coefficient.</summary>
    QuadraticWithMakerFees,
}

/// <summary>How the trade fee is rounded up.</summary>
public enum FeeRounding
{
    /// <summary>Up to $0.0001, what Kalshi's fills show since the fixed-point change.</summary>
    CentiCent,

    /// <summary>Up to $0.01, the fee-schedule PDF's tables.</summary>
    Cent,
}

/// <summary>
/// Kalshi's trade fees (kalshi-api.md §5.4): taker <c>roundup(m × 0.07 × C × P × (1 − P))</c>, maker
/// <c>roundup(m × 0.0175 × C × P × (1 − P))</c> on <see cref="FeeType.QuadraticWithMakerFees"/> series only,
/// rounded up over the whole fill, P the execution price in dollars, C the contracts, m the series multiplier.
/// Computed exactly in 128-bit integers.
/// </summary>
public sealed record FeeSchedule
{
    /// <summary>Multipliers are held in 1/10,000 (0.5 = 5,000).</summary>
    public const int MultiplierScale = 10_000;

    private const int TakerCoefficient = 700;  // 0.07 in 1/10,000
    private const int MakerCoefficient = 175;  // 0.0175 in 1/10,000

    public FeeSchedule(FeeType type = FeeType.Quadratic, int multiplierTenThousandths = MultiplierScale)
    {
        if (multiplierTenThousandths < 0) throw new ArgumentOutOfRangeException(nameof(multiplierTenThousandths), "a fee multiplier cannot be negative");
        Type = type;
        MultiplierTenThousandths = multiplierTenThousandths;
    }

    public static FeeSchedule Standard { get; } = new();

    public FeeType Type { get; }
    public int MultiplierTenThousandths { get; }
    public decimal Multiplier => MultiplierTenThousandths / (decimal)MultiplierScale;

    /// <summary>Builds a schedule from a decimal multiplier (1, 0.5, 0); throws when it has more than 4 decimals.</summary>
    public static FeeSchedule FromMultiplier(FeeType type, decimal multiplier)
    {
        decimal scaled = multiplier * MultiplierScale;
        if (scaled != decimal.Truncate(scaled) || scaled < 0)
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "a fee multiplier must be a non-negative multiple of 0.0001");
        return new FeeSchedule(type, (int)scaled);
    }

    public Money TakerFee(Price price, Quantity count, FeeRounding rounding = FeeRounding.CentiCent) =>
        Compute(TakerCoefficient, price, count, rounding);

    public Money MakerFee(Price price, Quantity count, FeeRounding rounding = FeeRounding.CentiCent) =>
        Type == FeeType.QuadraticWithMakerFees ? Compute(MakerCoefficient, price, count, rounding) : Money.Zero;

    public Money Fee(bool isTaker, Price price, Quantity count, FeeRounding rounding = FeeRounding.CentiCent) =>
        isTaker ? TakerFee(price, count, rounding) : MakerFee(price, count, rounding);

    private Money Compute(int coefficient, Price price, Quantity count, FeeRounding rounding)
    {
        if (count.IsNegative) throw new ArgumentOutOfRangeException(nameof(count), "a fee is computed on a positive count");
        // fee$ = (m/1e4)(coef/1e4)(units/1e2)(p/1e4)((1e4−p)/1e4) = m·coef·units·p·(1e4−p) / 1e18
        Int128 numerator = (Int128)MultiplierTenThousandths * coefficient * count.Units * price.Ticks * (Price.TicksPerDollar - price.Ticks);
        if (numerator == 0) return Money.Zero;
        // In centi-cents ($0.0001) divide by 1e14; in cents ($0.01) by 1e16.
        Int128 divisor = rounding == FeeRounding.CentiCent ? (Int128)100_000_000_000_000L : (Int128)10_000_000_000_000_000L;
        Int128 units = (numerator + divisor - 1) / divisor;
        long microsPerUnit = rounding == FeeRounding.CentiCent ? 100 : Money.MicrosPerCent;
        return Money.FromMicros(checked((long)units * microsPerUnit));
    }
}
