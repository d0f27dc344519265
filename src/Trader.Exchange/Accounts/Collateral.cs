using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Matching;

namespace Trader.Exchange.Accounts;

/// <summary>
/// What a user's resting orders in one market hold back from the cash balance (the collateral model).
/// <list type="bullet">
/// <item>Buying a leg locks its price: a bid at p locks p per contract (YES), an ask at p locks 1 − p (NO).</item>
/// <item>Netting frees collateral: the part of the orders on a side that would close the position held on the other
/// leg (a bid against a NO position, an ask against a YES position) locks nothing — a YES and a NO together are
/// redeemed for $1, so such a fill pays cash out instead of taking it. Reduce-only orders always close (they are
/// capped at the position) and use that allowance first; what is left goes to the cheapest contracts of the side, so
/// that the most expensive ones are assumed to open — the worst case whatever order the fills come in.</item>
/// <item>Every order also holds back a bound on the fees it can still be charged: its remaining count times the
/// taker fee of one contract at the fill price with the largest fee the order can trade at (min(p, 0.50) for a
/// bid, max(p, 0.50) for an ask), plus one unit of balance precision for Kalshi's fee-rounding accumulator.</item>
/// </list>
/// The available balance is cash minus this reservation; an order that would make it negative is refused
/// (<c>insufficient_balance</c>). A fill whose fee rounding still outruns the bound (fractional fills only) is
/// stopped by the per-fill margin check of the <see cref="MatchingEngine"/>.
/// </summary>
internal static class Collateral
{
    private static readonly Quantity OneContract = Quantity.FromContracts(1);

    /// <summary>
    /// The reservation of <paramref name="orders"/> given the signed <paramref name="position"/>. When
    /// <paramref name="changed"/> is given, that order counts with <paramref name="changedRemaining"/> instead of its
    /// current remaining count and, when <paramref name="changedPrice"/> is given, at that YES price (to price a fill
    /// or an amend before it happens).
    /// </summary>
    public static Money Required(Quantity position, IReadOnlyList<OrderRecord> orders, FeeSchedule fees, Money precision,
        OrderRecord? changed = null, Quantity changedRemaining = default, Price? changedPrice = null)
    {
        if (orders.Count == 0) return Money.Zero;
        Span<(int LegTicks, long Units)> buffer = orders.Count <= 64 ? stackalloc (int, long)[orders.Count] : new (int, long)[orders.Count];
        Money total = Money.Zero;
        total += SideRequirement(BookSide.Bid, Quantity.Max(Quantity.Zero, -position), orders, fees, precision, changed, changedRemaining, changedPrice, buffer);
        total += SideRequirement(BookSide.Ask, Quantity.Max(Quantity.Zero, position), orders, fees, precision, changed, changedRemaining, changedPrice, buffer);
        return total;
    }

    /// <summary>The fee bound of one order with <paramref name="remaining"/> contracts left (see the class summary).</summary>
    public static Money FeeBound(FeeSchedule fees, BookSide side, Price yesPrice, Quantity remaining, Money precision)
    {
        if (!remaining.IsPositive) return Money.Zero;
        var half = Price.FromCents(50);
        var worst = side == BookSide.Bid ? Price.Min(yesPrice, half) : Price.Max(yesPrice, half);
        long perContract = fees.TakerFee(worst, OneContract).Micros;
        long micros = checked(perContract * remaining.Units + Quantity.UnitsPerContract - 1) / Quantity.UnitsPerContract;
        return Money.FromMicros(micros) + precision;
    }

    private static Money SideRequirement(BookSide side, Quantity closable, IReadOnlyList<OrderRecord> orders, FeeSchedule fees,
        Money precision, OrderRecord? changed, Quantity changedRemaining, Price? changedPrice, Span<(int LegTicks, long Units)> buffer)
    {
        long free = closable.Units;
        Money total = Money.Zero;
        int n = 0;
        foreach (var o in orders)
        {
            if (o.Side != side) continue;
            bool isChanged = ReferenceEquals(o, changed);
            var remaining = isChanged ? changedRemaining : o.Remaining;
            if (!remaining.IsPositive) continue;
            var yesPrice = isChanged && changedPrice is { } p ? p : o.YesPrice;
            total += FeeBound(fees, side, yesPrice, remaining, precision);
            if (o.ReduceOnly)
            {
                free -= Math.Min(free, remaining.Units);
                continue;
            }
            buffer[n++] = ((side == BookSide.Bid ? yesPrice : yesPrice.Complement).Ticks, remaining.Units);
        }
        var open = buffer[..n];
        open.Sort();
        foreach (var (legTicks, units) in open)
        {
            long covered = Math.Min(free, units);
            free -= covered;
            total += Price.FromTicks(legTicks) * Quantity.FromUnits(units - covered);
        }
        return total;
    }
}
