using Trader.Core.Books;
using Trader.Core.Numbers;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Observations;

/// <summary>
/// Features 36–46 of the observation (original-system.md §9.4) with training semantics: cash, portfolio value and
/// cost basis in <b>cents</b>, prices as probabilities, position value = |contracts| × (price × 100) cents.
/// <para>
/// This is the §9.4 DECISION: the original live trader passed dollars for cash and portfolio value and cents ×100
/// for cost basis, which made features 43, 45 and 46 about 100× off and pinned 45 at −1; the model was trained on
/// cents, so cents it gets. To reproduce the Python trader's numbers, feed the same numbers it used in this unit (the
/// second §9.7 reference is tested that way).
/// </para>
/// <para>
/// Kept from training as the model learned it (⚠): every position, NO positions included, is valued at the
/// <b>YES</b> mark, and the unrealized P&amp;L is that value minus the cost basis. Core's <c>Position.CostBasis</c> is on
/// the held leg, so for a NO position feature 45 compares a YES-priced value with a NO-priced cost, as training's
/// simulator did with its own numbers. Other markets' positions are valued at 50¢ unless a mark is supplied
/// (<see cref="PositionSnapshot.Mark"/>).
/// </para>
/// </summary>
public static class PortfolioFeatures
{
    /// <summary>A portfolio value at or below this (in cents, the feature unit) gives the all-cash defaults.</summary>
    public const double MinPortfolioValueCents = 0.01;

    /// <summary>Reference number of positions (10) and position size (1,000 contracts).</summary>
    public const double MaxPositionsReference = 10.0, MaxPositionSizeReference = 1000.0;

    /// <summary>
    /// The YES mark of a market as the features value it: the YES mid (best bid + best ask) / 2, clamped to
    /// [0.01, 0.99], or 0.5 when a YES side is missing.
    /// </summary>
    public static double MarkOf(OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        double? bb = MarketFeatures.Cents(book.BestYesBid);
        double? ba = MarketFeatures.Cents(book.BestYesAsk);
        if (bb is null || ba is null) return 0.5;
        return Math.Clamp(MarketFeatures.Mid(bb, ba), 0.01, 0.99);
    }

    /// <summary>
    /// The positions' value as the features value them — |contracts| × the YES mark, the observed market at
    /// <paramref name="observedMark"/>, the others at their <see cref="PositionSnapshot.Mark"/> (clamped to [0.01, 0.99])
    /// or 50¢ — rounded to the 1/10,000-dollar grid of a price. Cash plus this is the observation's portfolio value
    /// (training's "cash plus positions"): Kalshi's own <c>portfolio_value</c> is the positions alone, so it cannot be
    /// passed as <see cref="PortfolioInput.PortfolioValue"/> by itself. Allocates nothing.
    /// </summary>
    public static Money PositionsValue(ReadOnlySpan<PositionSnapshot> positions, string observedTicker, double observedMark)
    {
        var total = Money.Zero;
        foreach (ref readonly var p in positions)
        {
            if (p.Contracts.IsZero) continue;
            double mark = string.Equals(p.Ticker, observedTicker, StringComparison.Ordinal)
                ? observedMark
                : p.Mark is { } m ? Math.Clamp(m.Ticks / (double)Price.TicksPerDollar, 0.01, 0.99) : 0.5;
            var price = Price.FromTicks((int)Math.Round(Math.Clamp(mark, 0.0, 1.0) * Price.TicksPerDollar, MidpointRounding.AwayFromZero));
            total += price * p.Contracts.Abs();
        }
        return total;
    }

    /// <summary>Money in cents as a number (<c>$9.9765</c> → 997.65).</summary>
    public static double ToCents(Money money) => money.Micros / (double)Money.MicrosPerCent;

    /// <summary>Writes features 36–46 into <paramref name="features"/>[0..11).</summary>
    /// <param name="portfolio">Cash, portfolio value, positions.</param>
    /// <param name="observedTicker">The market this observation is for.</param>
    /// <param name="observedMark">That market's mark (<see cref="MarkOf"/>), a probability.</param>
    /// <param name="features">Destination, at least 11 slots.</param>
    public static void Write(in PortfolioInput portfolio, string observedTicker, double observedMark, Span<double> features)
    {
        if (features.Length < L.PortfolioCount)
            throw new ArgumentException($"portfolio features need {L.PortfolioCount} slots, got {features.Length}", nameof(features));
        const int o = L.PortfolioStart;
        features[..L.PortfolioCount].Clear();

        double pv = ToCents(portfolio.PortfolioValue);
        double cash = ToCents(portfolio.Cash);
        if (pv <= MinPortfolioValueCents)
        {
            features[L.CashRatio - o] = 1.0;
            return;
        }

        features[L.CashRatio - o] = Math.Clamp(cash / pv, 0.0, 1.0);
        features[L.PositionRatio - o] = Math.Clamp((pv - cash) / pv, 0.0, 1.0);

        int count = 0, longs = 0, shorts = 0;
        double totalAbs = 0, net = 0, largestValue = 0, totalValue = 0, unrealized = 0;
        double largest = 0, largestAbs = -1;
        foreach (ref readonly var p in portfolio.Positions)
        {
            if (p.Contracts.IsZero) continue;
            double position = MarketFeatures.Contracts(p.Contracts);
            double abs = Math.Abs(position);
            count++;
            totalAbs += abs;
            net += position;
            if (position > 0) longs++;
            else shorts++;
            if (abs > largestAbs)
            {
                largestAbs = abs;
                largest = position;
            }

            double mark = string.Equals(p.Ticker, observedTicker, StringComparison.Ordinal)
                ? observedMark
                : p.Mark is { } m ? Math.Clamp(m.Ticks / (double)Price.TicksPerDollar, 0.01, 0.99) : 0.5;
            double value = abs * (mark * 100.0);
            if (count == 1 || value > largestValue) largestValue = value;
            totalValue += value;
            unrealized += value - ToCents(p.CostBasis);
        }

        if (count == 0) return; // no positions: 38–46 stay 0

        features[L.PositionCount - o] = Math.Min(count / MaxPositionsReference, 1.0);
        features[L.AveragePositionSize - o] = Math.Min(totalAbs / count / MaxPositionSizeReference, 1.0);
        features[L.LongPositionRatio - o] = longs / (double)count;
        features[L.ShortPositionRatio - o] = shorts / (double)count;
        features[L.NetPositionBias - o] = Math.Tanh(net / totalAbs);
        features[L.PositionConcentration - o] = Math.Min(largestValue / pv, 1.0);
        // Signed and only capped above, as in the original (a large NO position goes below −1 and is clipped at −2).
        features[L.LargestPosition - o] = Math.Min(largest / MaxPositionSizeReference, 1.0);
        features[L.UnrealizedPnlRatio - o] = Math.Tanh(unrealized / pv);
        features[L.Leverage - o] = Math.Min(totalValue / pv, 2.0) / 2.0;
    }
}
