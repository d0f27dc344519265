using System.Collections.Immutable;
using Trader.Core.Numbers;

namespace Trader.Core.Positions;

/// <summary>A difference between our position in a market and the exchange's.</summary>
public sealed record PositionDifference(string Ticker, Quantity LocalContracts, Quantity ExchangeContracts, Money LocalCost, Money ExchangeCost)
{
    public bool ContractsDiffer => LocalContracts != ExchangeContracts;
    public bool CostDiffers => LocalCost != ExchangeCost;

    /// <summary><c>MKT: contracts 5.00 → 10.00, cost $2.35 → $4.70</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>(2);
        if (ContractsDiffer) parts.Add($"contracts {LocalContracts} → {ExchangeContracts}");
        if (CostDiffers) parts.Add($"cost {LocalCost.ToDisplayString()} → {ExchangeCost.ToDisplayString()}");
        return $"{Ticker}: {string.Join(", ", parts)}";
    }
}

/// <summary>
/// The exchange's positions win (ARCHITECTURE §3): reconciliation adopts them and reports every difference in contracts
/// or cost basis so it can be written to the status log. Positions the exchange no longer has (closed or settled) are
/// dropped. Realized P&amp;L and fees are adopted from the exchange without being reported: they differ legitimately
/// whenever the two sides attribute costs differently, which would flood the log.
/// </summary>
public static class PositionReconciler
{
    public static (ImmutableDictionary<string, Position> Positions, IReadOnlyList<PositionDifference> Differences) Reconcile(
        IReadOnlyDictionary<string, Position> local, IEnumerable<Position> exchange)
    {
        var result = ImmutableDictionary.CreateBuilder<string, Position>(StringComparer.Ordinal);
        var differences = new List<PositionDifference>();
        foreach (var remote in exchange)
        {
            if (remote.IsFlat) continue;
            result[remote.Ticker] = remote;
            var mine = local.GetValueOrDefault(remote.Ticker);
            var myContracts = mine?.Contracts ?? Quantity.Zero;
            var myCost = mine?.CostBasis ?? Money.Zero;
            if (myContracts != remote.Contracts || myCost != remote.CostBasis)
                differences.Add(new PositionDifference(remote.Ticker, myContracts, remote.Contracts, myCost, remote.CostBasis));
        }
        foreach (var (ticker, mine) in local)
        {
            if (mine.IsFlat || result.ContainsKey(ticker)) continue;
            differences.Add(new PositionDifference(ticker, mine.Contracts, Quantity.Zero, mine.CostBasis, Money.Zero));
        }
        differences.Sort((a, b) => string.CompareOrdinal(a.Ticker, b.Ticker));
        return (result.ToImmutable(), differences);
    }
}
