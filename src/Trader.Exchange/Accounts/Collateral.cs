using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Matching;

namespace Trader.Exchange.Accounts;

/// <summary>What one order adds to its owner's reservation: its leg price and count (or, reduce-only, just its count) and its fee bound.</summary>
internal readonly record struct Exposure(int LegTicks, long Units, bool ReduceOnly, Money FeeBound);

/// <summary>
/// What a user's open orders in one market hold back from the cash balance (the collateral model).
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
/// <para>
/// Kept incrementally (totals per side plus the non-reduce-only contracts per leg price, sorted), so that the
/// reservation costs O(1) unless the user holds a position the side's orders could close, and then a walk over the
/// cheapest price levels. Each tracked order remembers its <see cref="Exposure"/>; after changing an order's
/// remaining count or price call <see cref="Refresh"/>.
/// </para>
/// </summary>
internal sealed class Collateral(FeeSchedule fees, Money precision)
{
    private static readonly Quantity OneContract = Quantity.FromContracts(1);
    private readonly SideExposure _bids = new();
    private readonly SideExposure _asks = new();

    public void Track(OrderRecord order)
    {
        if (order.Tracked is not null) throw new InvalidOperationException($"order {order.OrderId} is already tracked");
        var e = Of(order, order.Remaining, order.YesPrice);
        Side(order.Side).Apply(e, +1);
        order.Tracked = e;
    }

    public void Untrack(OrderRecord order)
    {
        if (order.Tracked is not { } e) return;
        Side(order.Side).Apply(e, -1);
        order.Tracked = null;
    }

    /// <summary>Re-reads a tracked order's remaining count and price.</summary>
    public void Refresh(OrderRecord order)
    {
        Untrack(order);
        Track(order);
    }

    /// <summary>Contracts of reduce-only orders on a side.</summary>
    public Quantity ReduceOnly(BookSide side) => Quantity.FromUnits(Side(side).ReduceOnlyUnits);

    /// <summary>The reservation of the tracked orders given the signed <paramref name="position"/>.</summary>
    public Money Required(Quantity position) => Required(position, null, default, null);

    /// <summary>
    /// The reservation if the position were <paramref name="position"/> and the tracked order <paramref name="changed"/>
    /// had <paramref name="remaining"/> contracts left, at <paramref name="yesPrice"/> when given (to price a fill or an
    /// amend before it happens).
    /// </summary>
    public Money Required(Quantity position, OrderRecord? changed, Quantity remaining, Price? yesPrice)
    {
        Exposure? before = changed?.Tracked;
        Exposure? after = changed is null ? null : Of(changed, remaining, yesPrice ?? changed.YesPrice);
        var bid = changed?.Side == BookSide.Bid;
        return _bids.Required(Quantity.Max(Quantity.Zero, -position).Units, bid ? before : null, bid ? after : null)
            + _asks.Required(Quantity.Max(Quantity.Zero, position).Units, bid || changed is null ? null : before, bid || changed is null ? null : after);
    }

    /// <summary>The fee bound of one order with <paramref name="remaining"/> contracts left (see the class summary).</summary>
    public static Money FeeBound(FeeSchedule fees, BookSide side, Price yesPrice, Quantity remaining, Money precision)
    {
        if (!remaining.IsPositive) return Money.Zero;
        var half = Price.FromCents(50);
        var worst = side == BookSide.Bid ? Price.Min(yesPrice, half) : Price.Max(yesPrice, half);
        long perContract = PerContractFees.For(fees).TakerFee(worst);
        long micros = checked(perContract * remaining.Units + Quantity.UnitsPerContract - 1) / Quantity.UnitsPerContract;
        return Money.FromMicros(micros) + precision;
    }

    private Exposure Of(OrderRecord order, Quantity remaining, Price yesPrice) => new(
        (order.Side == BookSide.Bid ? yesPrice : yesPrice.Complement).Ticks,
        Math.Max(0, remaining.Units), order.ReduceOnly, FeeBound(fees, order.Side, yesPrice, remaining, precision));

    private SideExposure Side(BookSide side) => side == BookSide.Bid ? _bids : _asks;

    /// <summary>The orders of one side: totals and the non-reduce-only contracts per leg price, ascending.</summary>
    private sealed class SideExposure
    {
        private readonly List<(int Ticks, long Units)> _levels = [];
        private long _units;
        private Money _cost;
        private Money _feeBound;

        public long ReduceOnlyUnits { get; private set; }

        public void Apply(Exposure e, int sign)
        {
            _feeBound += sign > 0 ? e.FeeBound : -e.FeeBound;
            if (e.Units == 0) return;
            if (e.ReduceOnly)
            {
                ReduceOnlyUnits += sign * e.Units;
                return;
            }
            _units += sign * e.Units;
            var cost = Price.FromTicks(e.LegTicks) * Quantity.FromUnits(e.Units);
            _cost += sign > 0 ? cost : -cost;
            int i = _levels.BinarySearch((e.LegTicks, 0), LevelOrder.Instance);
            if (i < 0)
            {
                if (sign < 0) throw new InvalidOperationException("untracking an order whose price level is not tracked");
                _levels.Insert(~i, (e.LegTicks, e.Units));
                return;
            }
            long units = _levels[i].Units + sign * e.Units;
            if (units == 0) _levels.RemoveAt(i);
            else _levels[i] = (e.LegTicks, units);
        }

        /// <summary>The side's reservation with <paramref name="closable"/> contracts of the other leg held, one order's exposure swapped.</summary>
        public Money Required(long closable, Exposure? remove, Exposure? add)
        {
            long units = _units, ro = ReduceOnlyUnits;
            Money cost = _cost, feeBound = _feeBound;
            Adjust(remove, -1, ref units, ref ro, ref cost, ref feeBound);
            Adjust(add, +1, ref units, ref ro, ref cost, ref feeBound);
            long free = Math.Max(0, closable - ro);
            if (free == 0 || units == 0) return feeBound + cost;
            if (free >= units) return feeBound;

            // The free allowance covers the cheapest contracts: walk the levels from the cheapest, with the swap applied.
            Money covered = Money.Zero;
            int addTicks = add is { ReduceOnly: false, Units: > 0 } a ? a.LegTicks : -1;
            long addUnits = add is { ReduceOnly: false } a2 ? a2.Units : 0;
            int removeTicks = remove is { ReduceOnly: false } r ? r.LegTicks : -1;
            long removeUnits = remove is { ReduceOnly: false } r2 ? r2.Units : 0;
            int i = 0;
            while (free > 0)
            {
                int ticks;
                long level;
                if (addTicks >= 0 && (i >= _levels.Count || addTicks < _levels[i].Ticks))
                {
                    (ticks, level) = (addTicks, addUnits);
                    addTicks = -1;
                }
                else if (i < _levels.Count)
                {
                    (ticks, level) = _levels[i++];
                    if (ticks == addTicks)
                    {
                        level += addUnits;
                        addTicks = -1;
                    }
                }
                else break;
                if (ticks == removeTicks) level -= removeUnits;
                long take = Math.Min(free, level);
                if (take <= 0) continue;
                covered += Price.FromTicks(ticks) * Quantity.FromUnits(take);
                free -= take;
            }
            return feeBound + cost - covered;
        }

        private static void Adjust(Exposure? e, int sign, ref long units, ref long ro, ref Money cost, ref Money feeBound)
        {
            if (e is not { } x) return;
            feeBound += sign > 0 ? x.FeeBound : -x.FeeBound;
            if (x.ReduceOnly)
            {
                ro += sign * x.Units;
                return;
            }
            units += sign * x.Units;
            var c = Price.FromTicks(x.LegTicks) * Quantity.FromUnits(x.Units);
            cost += sign > 0 ? c : -c;
        }
    }

    /// <summary>The taker fee of one contract at each price, computed once per fee schedule (it is asked for on every order change).</summary>
    private sealed class PerContractFees
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<FeeSchedule, PerContractFees> Tables = new();
        private readonly FeeSchedule _fees;
        private readonly long[] _micros = new long[Price.TicksPerDollar + 1];

        private PerContractFees(FeeSchedule fees)
        {
            _fees = fees;
            Array.Fill(_micros, -1);
        }

        public static PerContractFees For(FeeSchedule fees) => Tables.GetOrAdd(fees, f => new PerContractFees(f));

        public long TakerFee(Price price)
        {
            long micros = _micros[price.Ticks];
            if (micros < 0) _micros[price.Ticks] = micros = _fees.TakerFee(price, OneContract).Micros;
            return micros;
        }
    }

    private sealed class LevelOrder : IComparer<(int Ticks, long Units)>
    {
        public static readonly LevelOrder Instance = new();

        public int Compare((int Ticks, long Units) x, (int Ticks, long Units) y) => x.Ticks.CompareTo(y.Ticks);
    }
}
