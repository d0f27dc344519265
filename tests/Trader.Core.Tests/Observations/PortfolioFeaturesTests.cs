using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Core.Orders;
using Trader.Core.Positions;
using static Trader.Core.Tests.Observations.ObservationFixtures;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>Features 36–46 (§9.4) in training units (cents). The §15 D numbers are in cents, so $100 = 10,000.</summary>
public class PortfolioFeaturesTests
{
    private const double Eps = 1e-12;

    private static Money Cents(long cents) => Money.FromCents(cents);

    private static PositionSnapshot Pos(string ticker, long contracts, long costCents, int? markCents = null) =>
        new(ticker, Quantity.FromContracts(contracts), Cents(costCents), markCents is { } m ? Price.FromCents(m) : null);

    private static double[] Features(long cashCents, long pvCents, PositionSnapshot[] positions, string observed = "OBS", double observedMark = 0.5)
    {
        var f = new double[L.PortfolioCount];
        PortfolioFeatures.Write(new PortfolioInput(Cents(cashCents), Cents(pvCents), positions), observed, observedMark, f);
        return f;
    }

    private static double F(double[] f, int index) => f[index - L.PortfolioStart];

    [Fact]
    public void Three_positions_of_the_reference_test()
    {
        // §15 D: {+100 cb 4500, −50 cb 2500, +25 cb 1250} at {0.45, 0.55, 0.40}, pv 10000, cash 2000.
        var f = Features(2000, 10000, [Pos("A", 100, 4500), Pos("B", -50, 2500, 55), Pos("C", 25, 1250, 40)], observed: "A", observedMark: 0.45);
        Assert.Equal(0.2, F(f, L.CashRatio), Eps);
        Assert.Equal(0.8, F(f, L.PositionRatio), Eps);
        Assert.Equal(0.3, F(f, L.PositionCount), Eps);
        Assert.Equal(175 / 3.0 / 1000, F(f, L.AveragePositionSize), Eps);
        Assert.Equal(2 / 3.0, F(f, L.LongPositionRatio), Eps);
        Assert.Equal(1 / 3.0, F(f, L.ShortPositionRatio), Eps);
        Assert.Equal(Math.Tanh(75 / 175.0), F(f, L.NetPositionBias), Eps);
        Assert.Equal(0.4041, F(f, L.NetPositionBias), 1e-4);
        // Values 100 × 45 = 4500, 50 × 55 = 2750, 25 × 40 = 1000 cents.
        Assert.Equal(0.45, F(f, L.PositionConcentration), Eps);
        Assert.Equal(0.1, F(f, L.LargestPosition), Eps);
        Assert.Equal(Math.Tanh((4500 - 4500 + 2750 - 2500 + 1000 - 1250) / 10000.0), F(f, L.UnrealizedPnlRatio), Eps);
        Assert.Equal(8250 / 10000.0 / 2, F(f, L.Leverage), Eps);
    }

    [Fact]
    public void Single_short_position_of_the_reference_test()
    {
        // §15 D: −100 @0.55, pv 10000, cash 4500 → short 1, long 0, bias −0.7616, concentration 0.55.
        var f = Features(4500, 10000, [Pos("OBS", -100, 4000)], observedMark: 0.55);
        Assert.Equal(1.0, F(f, L.ShortPositionRatio));
        Assert.Equal(0.0, F(f, L.LongPositionRatio));
        Assert.Equal(-0.7616, F(f, L.NetPositionBias), 1e-4);
        Assert.Equal(0.55, F(f, L.PositionConcentration), Eps);
        Assert.Equal(-0.1, F(f, L.LargestPosition), Eps); // signed
        // ⚠ kept from training: a NO position is valued at the YES mark.
        Assert.Equal(Math.Tanh((100 * 55.0 - 4000) / 10000), F(f, L.UnrealizedPnlRatio), Eps);
    }

    [Theory]
    [InlineData(2000, 40, 50000, 0.8)]  // §15 D: +2000 @0.40, pv 50000 → 0.8
    [InlineData(100, 50, 50000, 0.05)]  // §15 D: +100 @0.50, pv 50000 → 0.05
    [InlineData(10000, 50, 10000, 1.0)] // capped at 2 before halving
    public void Leverage_is_position_value_over_portfolio_value_capped_at_two_then_halved(long contracts, int markCents, long pv, double expected)
    {
        var f = Features(0, pv, [Pos("OBS", contracts, 0)], observedMark: markCents / 100.0);
        Assert.Equal(expected, F(f, L.Leverage), Eps);
    }

    [Fact]
    public void Positions_value_is_what_the_features_value_them_at()
    {
        // §15 D positions: 100 × 45¢ (observed) + 50 × 55¢ (a NO position, at the YES mark as the features do) + 25 × 40¢
        // = 4500 + 2750 + 1000 cents; a market without a mark is valued at 50¢; flat entries count for nothing.
        PositionSnapshot[] positions = [Pos("A", 100, 4500), Pos("B", -50, 2500, 55), Pos("C", 25, 1250, 40), Pos("D", 0, 0), Pos("E", 2, 80)];
        Assert.Equal(Cents(4500 + 2750 + 1000 + 100), PortfolioFeatures.PositionsValue(positions, "A", 0.45));
        Assert.Equal(Money.Zero, PortfolioFeatures.PositionsValue([], "A", 0.45));

        // Cash plus that value is the portfolio value whose position ratio is the positions' share and whose leverage
        // is that share halved, as in training.
        var value = PortfolioFeatures.PositionsValue(positions, "A", 0.45);
        var f = Features(2000, 2000 + value.Micros / Money.MicrosPerCent, positions, observed: "A", observedMark: 0.45);
        Assert.Equal(8350 / 10350.0, F(f, L.PositionRatio), Eps);
        Assert.Equal(8350 / 10350.0 / 2, F(f, L.Leverage), Eps);

        // A mark between ticks is rounded to the price grid (0.46595 → 0.4660) and fractional contracts count exactly.
        Assert.Equal(Money.Parse("0.15378"), PortfolioFeatures.PositionsValue([new PositionSnapshot("A", Quantity.Parse("0.33"), Money.Zero)], "A", 0.46595));
    }

    [Fact]
    public void Cash_plus_positions_values_the_observed_market_at_its_books_mark()
    {
        // §9.7 book: YES mid 0.46. 5 YES there and 10 NO elsewhere (no mark: 50¢) on $1,000 cash.
        PositionSnapshot[] positions = [new("REF", Quantity.FromContracts(5), Money.Parse("2.35")), Pos("OTHER", -10, 500)];
        var input = PortfolioInput.CashPlusPositions(Money.FromDollars(1000), positions, ReferenceBook());
        Assert.Equal(Money.FromDollars(1000), input.Cash);
        Assert.Equal(Money.Parse("1007.30"), input.PortfolioValue); // 1000 + 5 × 0.46 + 10 × 0.50
        Assert.Equal(2, input.Positions.Length);
    }

    [Fact]
    public void Concentration_values_other_markets_at_their_mark_or_fifty_cents()
    {
        // §15 D: 100 contracts, pv 10000 → 0.3 / 0.5 / 0.7 at 0.30 / fallback / 0.70.
        Assert.Equal(0.3, F(Features(0, 10000, [Pos("X", 100, 0, 30)]), L.PositionConcentration), Eps);
        Assert.Equal(0.5, F(Features(0, 10000, [Pos("X", 100, 0)]), L.PositionConcentration), Eps);
        Assert.Equal(0.7, F(Features(0, 10000, [Pos("X", 100, 0, 70)]), L.PositionConcentration), Eps);
        // The observed market always uses the book's mark, whatever the snapshot says.
        Assert.Equal(0.3, F(Features(0, 10000, [Pos("OBS", 100, 0, 70)], observedMark: 0.30), L.PositionConcentration), Eps);
        // Supplied marks are clamped like the training prices.
        var edge = new PositionSnapshot("X", Quantity.FromContracts(100), Money.Zero, Price.FromTicks(50));
        Assert.Equal(100 * 1.0 / 10000, F(Features(0, 10000, [edge]), L.PositionConcentration), Eps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-500)]
    public void Portfolio_value_at_or_below_a_hundredth_of_a_cent_gives_the_all_cash_defaults(long pvCents)
    {
        var f = Features(1000, pvCents, [Pos("OBS", 10, 500)]);
        Assert.Equal([1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], f);
    }

    [Fact]
    public void The_default_threshold_is_in_cents()
    {
        double[] defaults = [1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var at = new double[L.PortfolioCount];
        PortfolioFeatures.Write(new PortfolioInput(Money.Zero, Money.FromMicros(100), []), "OBS", 0.5, at); // 0.01¢
        Assert.Equal(defaults, at);
        var above = new double[L.PortfolioCount];
        PortfolioFeatures.Write(new PortfolioInput(Money.Zero, Money.FromMicros(101), []), "OBS", 0.5, above);
        Assert.Equal(0.0, F(above, L.CashRatio));
        Assert.Equal(1.0, F(above, L.PositionRatio));
    }

    [Fact]
    public void No_positions_leaves_38_to_46_at_zero_but_computes_cash_and_position_ratios()
    {
        var f = Features(3000, 10000, []);
        Assert.Equal(0.3, F(f, L.CashRatio), Eps);
        Assert.Equal(0.7, F(f, L.PositionRatio), Eps);
        for (int i = L.PositionCount; i <= L.Leverage; i++) Assert.Equal(0.0, F(f, i));
        // Flat entries are the same as none.
        Assert.Equal(f, Features(3000, 10000, [Pos("OBS", 0, 0), Pos("X", 0, 999)]));
    }

    [Fact]
    public void Cash_and_position_ratios_are_clamped_to_zero_and_one()
    {
        var rich = Features(15000, 10000, []);
        Assert.Equal(1.0, F(rich, L.CashRatio));
        Assert.Equal(0.0, F(rich, L.PositionRatio));
        var overdrawn = Features(-100, 10000, []);
        Assert.Equal(0.0, F(overdrawn, L.CashRatio));
        Assert.Equal(1.0, F(overdrawn, L.PositionRatio));
    }

    [Fact]
    public void Count_average_and_largest_position_saturate()
    {
        var many = Enumerable.Range(0, 12).Select(i => Pos($"M{i}", 2000, 0)).ToArray();
        var f = Features(0, 10_000_000, many);
        Assert.Equal(1.0, F(f, L.PositionCount));
        Assert.Equal(1.0, F(f, L.AveragePositionSize));
        Assert.Equal(1.0, F(f, L.LargestPosition));
        // A large NO position is only capped above (clipped at −2 by the builder).
        Assert.Equal(-5.0, F(Features(0, 10_000_000, [Pos("OBS", -5000, 0)]), L.LargestPosition), Eps);
    }

    [Fact]
    public void Largest_position_is_the_first_of_equal_size()
    {
        Assert.Equal(-0.05, F(Features(0, 10000, [Pos("A", -50, 0), Pos("B", 50, 0)]), L.LargestPosition), Eps);
        Assert.Equal(0.05, F(Features(0, 10000, [Pos("B", 50, 0), Pos("A", -50, 0)]), L.LargestPosition), Eps);
    }

    [Fact]
    public void Unrealized_pnl_is_value_minus_cost_basis_over_pv_through_tanh()
    {
        // 10 YES at a 62.5¢ mark cost 500¢: value 625, +125 over pv 1000.
        var f = Features(500, 1000, [Pos("OBS", 10, 500)], observedMark: 0.625);
        Assert.Equal(Math.Tanh(125 / 1000.0), F(f, L.UnrealizedPnlRatio), Eps);
    }

    [Fact]
    public void Fractional_contracts_and_sub_cent_money_convert_exactly()
    {
        var position = new PositionSnapshot("OBS", Quantity.FromUnits(250), Money.FromMicros(1_234_567)); // 2.5 contracts, 123.4567¢
        var f = new double[L.PortfolioCount];
        PortfolioFeatures.Write(new PortfolioInput(Money.FromMicros(50_000), Money.FromMicros(2_000_000), [position]), "OBS", 0.4, f);
        Assert.Equal(5 / 200.0, F(f, L.CashRatio), Eps);
        Assert.Equal(2.5 / 1000, F(f, L.AveragePositionSize), Eps);
        Assert.Equal(Math.Tanh((2.5 * 40 - 123.4567) / 200), F(f, L.UnrealizedPnlRatio), Eps);
        Assert.Equal(997.65, PortfolioFeatures.ToCents(Dollars(9.9765m)));
    }

    [Fact]
    public void Snapshot_of_a_core_position_keeps_contracts_and_cost_basis()
    {
        var position = new Position("OBS").ApplyFill(BookSide.Bid, Price.FromCents(40), Quantity.FromContracts(10), Money.Zero);
        var snapshot = PositionSnapshot.From(position, Price.FromCents(45));
        Assert.Equal(("OBS", Quantity.FromContracts(10), Money.FromCents(400), (Price?)Price.FromCents(45)),
            (snapshot.Ticker, snapshot.Contracts, snapshot.CostBasis, snapshot.Mark));
    }

    [Fact]
    public void Mark_of_a_book_is_the_clamped_yes_mid_or_fifty_cents()
    {
        Assert.Equal(0.46, PortfolioFeatures.MarkOf(ReferenceBook()), Eps);
        Assert.Equal(0.5, PortfolioFeatures.MarkOf(Book("Y", [(30, 1)], [])));
        Assert.Equal(0.5, PortfolioFeatures.MarkOf(Book("E", [], [])));
    }

    [Fact]
    public void Destination_must_hold_11_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => PortfolioFeatures.Write(PortfolioInput.CashOnly(Money.OneDollar), "OBS", 0.5, new double[10]));
        Assert.Contains("need 11 slots, got 10", ex.Message);
    }
}
