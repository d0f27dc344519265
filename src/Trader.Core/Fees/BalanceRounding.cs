using Trader.Core.Numbers;

namespace Trader.Core.Fees;

/// <summary>The effect of one fill on the balance under Kalshi's fee rounding.</summary>
/// <param name="BalanceChange">What the balance moves by: the floored change plus any rebate.</param>
/// <param name="RoundingFee">The part of the change lost to flooring (≥ 0).</param>
/// <param name="Rebate">Whole-precision units given back because the accumulated rounding exceeded one unit.</param>
/// <param name="NetFee">Trade fee + rounding fee − rebate: what the fill really cost in fees.</param>
public readonly record struct BalanceEffect(Money BalanceChange, Money RoundingFee, Money Rebate, Money NetFee);

/// <summary>
/// Kalshi's balance rounding (<c>getting_started/fee_rounding</c>, kalshi-api.md §9.9): the change
/// <c>revenue − trade fee</c> is floored to the member's precision ($0.01, or $0.0001 for direct members); the
/// amount lost is a rounding fee that accumulates per order, and each time the accumulator exceeds one unit of
/// precision that unit is rebated. One instance per order.
/// </summary>
public sealed class BalanceRounding
{
    public BalanceRounding(Money precision)
    {
        if (!precision.IsPositive) throw new ArgumentOutOfRangeException(nameof(precision), "precision must be positive");
        Precision = precision;
    }

    public Money Precision { get; }

    /// <summary>Rounding fees accumulated and not yet rebated.</summary>
    public Money Accumulated { get; private set; }

    /// <param name="revenue">Cash the fill brings in before fees: negative for a buy (−price × count).</param>
    /// <param name="tradeFee">The fill's trade fee (already rounded up to $0.0001).</param>
    public BalanceEffect Apply(Money revenue, Money tradeFee)
    {
        var change = revenue - tradeFee;
        var floored = change.FloorTo(Precision);
        var rounding = change - floored;
        var accumulated = Accumulated + rounding;
        var rebate = Money.Zero;
        while (accumulated > Precision)
        {
            rebate += Precision;
            accumulated -= Precision;
        }
        Accumulated = accumulated;
        return new BalanceEffect(floored + rebate, rounding, rebate, tradeFee + rounding - rebate);
    }
}
