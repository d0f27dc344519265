using Trader.Core.Numbers;
using Trader.Core.Positions;

namespace Trader.Core.Tests.Positions;

public class PositionReconcilerTests
{
    private static Position P(string t, long contracts, string cost) =>
        new(t) { Contracts = Quantity.FromContracts(contracts), CostBasis = Money.Parse(cost) };

    [Fact]
    public void Exchange_positions_win_and_every_difference_is_reported()
    {
        var local = new Dictionary<string, Position>
        {
            ["SAME"] = P("SAME", 3, "1.50"),
            ["DIFF"] = P("DIFF", 5, "2.35"),
            ["GONE"] = P("GONE", -2, "1.00"),
            ["FLAT"] = new Position("FLAT"),
        };
        var exchange = new[] { P("SAME", 3, "1.50"), P("DIFF", 10, "4.70"), P("NEW", 1, "0.40"), new Position("ZERO") };

        var (positions, diffs) = PositionReconciler.Reconcile(local, exchange);

        Assert.Equal(["DIFF", "NEW", "SAME"], positions.Keys.OrderBy(k => k));
        Assert.Equal(Quantity.FromContracts(10), positions["DIFF"].Contracts);
        Assert.Equal(["DIFF", "GONE", "NEW"], diffs.Select(d => d.Ticker));
        Assert.Equal("DIFF: contracts 5.00 → 10.00, cost $2.35 → $4.70", diffs[0].Describe());
        Assert.Equal("GONE: contracts -2.00 → 0.00, cost $1.00 → $0.00", diffs[1].Describe());
        Assert.Equal("NEW: contracts 0.00 → 1.00, cost $0.00 → $0.40", diffs[2].Describe());
    }

    [Fact]
    public void No_differences_when_in_agreement() =>
        Assert.Empty(PositionReconciler.Reconcile(new Dictionary<string, Position> { ["A"] = P("A", 1, "0.5") }, [P("A", 1, "0.5")]).Differences);
}
