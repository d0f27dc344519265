using Trader.Core.Numbers;
using Trader.Core.Positions;

namespace Trader.Core.Observations;

/// <summary>
/// One non-flat position as the portfolio features see it.
/// </summary>
/// <param name="Ticker">The market.</param>
/// <param name="Contracts">Signed contracts (+YES / −NO); fractional contracts count as fractions. Flat entries are ignored.</param>
/// <param name="CostBasis">What the contracts held cost (converted to cents for the features).</param>
/// <param name="Mark">
/// The YES price to value the position at when it is <b>not</b> the observed market; null values it at 50¢, as the
/// original (and training, whose sessions held one market) did. The observed market's position is always valued at
/// that book's mark (<see cref="PortfolioFeatures.MarkOf"/>), whatever this says. Clamped to [0.01, 0.99].
/// </param>
public readonly record struct PositionSnapshot(string Ticker, Quantity Contracts, Money CostBasis, Price? Mark = null)
{
    /// <summary>The snapshot of a Core position (cost basis on its held leg, as <see cref="Position"/> keeps it).</summary>
    public static PositionSnapshot From(Position position, Price? mark = null)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new PositionSnapshot(position.Ticker, position.Contracts, position.CostBasis, mark);
    }
}

/// <summary>
/// The portfolio inputs of the observation (§9.4). Money is <see cref="Money"/>; the features see it in <b>cents</b>
/// (training semantics, the §9.4 DECISION), so a $1,000 portfolio is 100,000 here.
/// </summary>
/// <param name="Cash">Cash balance.</param>
/// <param name="PortfolioValue">Total portfolio value (cash plus positions, however the caller values them).</param>
/// <param name="Positions">All non-flat positions, in every market (flat entries are skipped). Order matters only for
/// ties in the largest position (the first one wins, as Python's <c>max</c>).</param>
public readonly ref struct PortfolioInput(Money Cash, Money PortfolioValue, ReadOnlySpan<PositionSnapshot> Positions)
{
    public Money Cash { get; } = Cash;
    public Money PortfolioValue { get; } = PortfolioValue;
    public ReadOnlySpan<PositionSnapshot> Positions { get; } = Positions;

    /// <summary>All cash, no positions.</summary>
    public static PortfolioInput CashOnly(Money cash) => new(cash, cash, []);

    /// <summary>
    /// The inputs with the portfolio value the observation expects: cash plus the positions, valued as the features
    /// value them (<see cref="PortfolioFeatures.PositionsValue"/>, the observed market at its book's mark). Use this, not
    /// Kalshi's <c>portfolio_value</c>, which is the positions alone. Allocates nothing.
    /// </summary>
    public static PortfolioInput CashPlusPositions(Money cash, ReadOnlySpan<PositionSnapshot> positions, Books.OrderBook observedBook)
    {
        ArgumentNullException.ThrowIfNull(observedBook);
        var value = PortfolioFeatures.PositionsValue(positions, observedBook.Ticker, PortfolioFeatures.MarkOf(observedBook));
        return new PortfolioInput(cash, cash + value, positions);
    }
}
