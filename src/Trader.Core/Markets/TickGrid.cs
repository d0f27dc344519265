using Trader.Core.Numbers;

namespace Trader.Core.Markets;

/// <summary>One band of a market's price grid: prices from <see cref="Start"/> to <see cref="End"/> in steps of <see cref="Step"/>.</summary>
public readonly record struct PriceRange(Price Start, Price End, Price Step);

/// <summary>
/// The prices a market accepts, from Kalshi's <c>price_level_structure</c> / <c>price_ranges</c>
/// (<c>linear_cent</c>: 0.01 everywhere; <c>tapered_deci_cent</c>: 0.001 below 0.10 and above 0.90;
/// <c>deci_cent</c>: 0.001 everywhere). A price is valid when some range contains it on its step.
/// </summary>
public sealed class TickGrid
{
    private readonly PriceRange[] _ranges;

    public TickGrid(string name, IReadOnlyList<PriceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0) throw new ArgumentException("a tick grid needs at least one price range", nameof(ranges));
        foreach (var r in ranges)
        {
            if (r.Step.Ticks <= 0) throw new ArgumentException($"price range {r.Start}..{r.End} has a zero step", nameof(ranges));
            if (r.End < r.Start) throw new ArgumentException($"price range {r.Start}..{r.End} ends before it starts", nameof(ranges));
        }
        Name = name;
        _ranges = ranges.ToArray();
        int gcd = 0;
        foreach (var r in _ranges)
        {
            gcd = Gcd(gcd, r.Step.Ticks);
            gcd = Gcd(gcd, r.Start.Ticks);
        }
        FinestStepTicks = gcd == 0 ? 1 : gcd;
    }

    public string Name { get; }
    public IReadOnlyList<PriceRange> Ranges => _ranges;

    /// <summary>The largest tick size that divides every valid price of this grid.</summary>
    public int FinestStepTicks { get; }

    public static TickGrid LinearCent { get; } = new("linear_cent",
        [new PriceRange(Price.Zero, Price.One, Price.FromTicks(100))]);

    public static TickGrid DeciCent { get; } = new("deci_cent",
        [new PriceRange(Price.Zero, Price.One, Price.FromTicks(10))]);

    public static TickGrid TaperedDeciCent { get; } = new("tapered_deci_cent",
    [
        new PriceRange(Price.Zero, Price.FromTicks(1000), Price.FromTicks(10)),
        new PriceRange(Price.FromTicks(1000), Price.FromTicks(9000), Price.FromTicks(100)),
        new PriceRange(Price.FromTicks(9000), Price.One, Price.FromTicks(10)),
    ]);

    /// <summary>Every 1/10,000 dollar; the grid of last resort when a market's structure is unknown.</summary>
    public static TickGrid CentiCent { get; } = new("centi_cent",
        [new PriceRange(Price.Zero, Price.One, Price.FromTicks(1))]);

    /// <summary>The named structures Kalshi documents; null for a name this code does not know.</summary>
    public static TickGrid? FromName(string? name) => name switch
    {
        "linear_cent" => LinearCent,
        "deci_cent" => DeciCent,
        "tapered_deci_cent" => TaperedDeciCent,
        _ => null,
    };

    /// <summary>True when an order may carry this price: strictly between 0 and 1 and on some range's step.</summary>
    public bool IsValidOrderPrice(Price price)
    {
        if (!price.IsTradable) return false;
        foreach (var r in _ranges)
        {
            if (price >= r.Start && price <= r.End && (price.Ticks - r.Start.Ticks) % r.Step.Ticks == 0)
                return true;
        }
        return false;
    }

    /// <summary>The tick size in force at a price (the finest of the ranges that contain it).</summary>
    public Price StepAt(Price price)
    {
        int best = int.MaxValue;
        foreach (var r in _ranges)
        {
            if (price >= r.Start && price <= r.End) best = Math.Min(best, r.Step.Ticks);
        }
        return best == int.MaxValue ? Price.FromTicks(FinestStepTicks) : Price.FromTicks(best);
    }

    public override string ToString() => Name;

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
