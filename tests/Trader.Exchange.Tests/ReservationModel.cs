using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Accounts;
using Trader.Exchange.Matching;

namespace Trader.Exchange.Tests;

/// <summary>The collateral model written plainly (sort everything, allocate the free allowance), to check the incremental one.</summary>
internal static class ReservationModel
{
    public static Money Required(Quantity position, IReadOnlyList<OrderRecord> orders, FeeSchedule fees, Money precision) =>
        Side(BookSide.Bid, Quantity.Max(Quantity.Zero, -position), orders, fees, precision)
        + Side(BookSide.Ask, Quantity.Max(Quantity.Zero, position), orders, fees, precision);

    private static Money Side(BookSide side, Quantity closable, IReadOnlyList<OrderRecord> orders, FeeSchedule fees, Money precision)
    {
        var mine = orders.Where(o => o.Side == side && o.Remaining.IsPositive).ToList();
        var total = mine.Aggregate(Money.Zero, (s, o) => s + Collateral.FeeBound(fees, side, o.YesPrice, o.Remaining, precision));
        long free = closable.Units - mine.Where(o => o.ReduceOnly).Sum(o => o.Remaining.Units);
        foreach (var o in mine.Where(o => !o.ReduceOnly).OrderBy(o => o.LegPrice))
        {
            long covered = Math.Clamp(free, 0, o.Remaining.Units);
            free -= covered;
            total += o.LegPrice * Quantity.FromUnits(o.Remaining.Units - covered);
        }
        return total;
    }
}
