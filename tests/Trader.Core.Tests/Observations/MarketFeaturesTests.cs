using Trader.Core.Books;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using static Trader.Core.Tests.Observations.ObservationFixtures;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>Features 0–25 (§9.2), one formula or default branch at a time.</summary>
public class MarketFeaturesTests
{
    private const double Eps = 1e-12;

    private static double[] Features(OrderBook book)
    {
        var f = new double[L.MarketCount];
        MarketFeatures.Write(book, f);
        return f;
    }

    /// <summary>An asymmetric book: YES bids {40:10, 38:30}, NO bids {55:20, 50:5, 45:15} → YES asks {45:20, 50:5, 55:15}.</summary>
    private static OrderBook Asymmetric() => Book("ASYM", [(40, 10), (38, 30)], [(55, 20), (50, 5), (45, 15)]);

    [Fact]
    public void Best_prices_are_cents_over_100()
    {
        // §15 D: 45/46/54/55¢ → 0.45/0.46/0.54/0.55, mids 0.455/0.545.
        var f = Features(Book("D", [(45, 10)], [(54, 10)]));
        Assert.Equal(0.45, f[L.BestYesBid], Eps);
        Assert.Equal(0.46, f[L.BestYesAsk], Eps);
        Assert.Equal(0.54, f[L.BestNoBid], Eps);
        Assert.Equal(0.55, f[L.BestNoAsk], Eps);
        Assert.Equal(0.455, f[L.YesMidPrice], Eps);
        Assert.Equal(0.545, f[L.NoMidPrice], Eps);
    }

    [Fact]
    public void Spreads_and_their_derivatives_follow_the_formulas()
    {
        var f = Features(Asymmetric()); // YES 40 / 45, NO 55 / 60: spread 5¢ on both legs
        Assert.Equal(0.05, f[L.YesSpread], Eps);
        Assert.Equal(0.05, f[L.NoSpread], Eps);
        Assert.Equal(5 / (0.425 * 100), f[L.YesSpreadPct], Eps);
        Assert.Equal(5 / (0.575 * 100), f[L.NoSpreadPct], Eps);
        Assert.Equal(0.5, f[L.YesSpreadRegime]);
        Assert.Equal(0.5, f[L.NoSpreadRegime]);
        Assert.Equal(0.05, f[L.YesBreakevenMove], Eps);
        Assert.Equal(0.05, f[L.NoBreakevenMove], Eps);
        Assert.Equal(0.425, f[L.YesMidPrice], Eps);
        Assert.Equal(0.575, f[L.NoMidPrice], Eps);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.25)]
    [InlineData(4, 0.25)]
    [InlineData(5, 0.5)]
    [InlineData(9, 0.5)]
    [InlineData(10, 0.75)]
    [InlineData(19, 0.75)]
    [InlineData(20, 1.0)]
    [InlineData(60, 1.0)]
    public void Spread_regime_from_a_book(int spreadCents, double regime)
    {
        // YES bid 20, YES ask 20 + spread (NO bid 80 − spread).
        var f = Features(Book("S", [(20, 10)], [(80 - spreadCents, 10)]));
        Assert.Equal(spreadCents / 100.0, f[L.YesSpread], Eps);
        Assert.Equal(regime, f[L.YesSpreadRegime]);
        Assert.Equal(regime, f[L.NoSpreadRegime]);
    }

    [Theory]
    [InlineData(1.999, 0.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(-1, 0.0)]
    [InlineData(4.999, 0.25)]
    [InlineData(9.999, 0.5)]
    [InlineData(19.999, 0.75)]
    public void Spread_regime_boundaries(double spreadCents, double regime) =>
        Assert.Equal(regime, MarketFeatures.SpreadRegime(spreadCents));

    [Fact]
    public void Empty_book_gives_every_default()
    {
        var f = Features(Book("E", [], []));
        for (int i = L.BestYesBid; i <= L.BestNoAsk; i++) Assert.Equal(0.5, f[i]);
        Assert.Equal(0.5, f[L.YesMidPrice]);
        Assert.Equal(0.5, f[L.NoMidPrice]);
        Assert.Equal(0.1, f[L.YesSpread], Eps);   // missing spread = 10¢
        Assert.Equal(0.1, f[L.NoSpread], Eps);
        Assert.Equal(0.2, f[L.YesSpreadPct], Eps); // 10 / (0.5 × 100)
        Assert.Equal(0.2, f[L.NoSpreadPct], Eps);
        Assert.Equal(0.75, f[L.YesSpreadRegime]);
        Assert.Equal(0.75, f[L.NoSpreadRegime]);
        Assert.Equal(0.1, f[L.YesBreakevenMove], Eps);
        Assert.Equal(0.1, f[L.NoBreakevenMove], Eps);
        Assert.Equal(0.0, f[L.TotalVolume]);
        Assert.Equal(0.0, f[L.VolumeImbalance]);
        Assert.Equal(0.0, f[L.YesSideImbalance]);
        Assert.Equal(0.0, f[L.NoSideImbalance]);
        Assert.Equal(0.0, f[L.BidAskDepthRatio]);
        Assert.Equal(0.5, f[L.YesNoConsistency]);
        Assert.Equal(0.5, f[L.YesMicroprice]);
        Assert.Equal(0.5, f[L.NoMicroprice]);
        Assert.Equal(0.0, f[L.YesBookDepth]);
        Assert.Equal(0.0, f[L.NoBookDepth]);
        Assert.Equal(0.5, f[L.YesLiquidityConcentration]);
        Assert.Equal(0.5, f[L.NoLiquidityConcentration]);
    }

    [Fact]
    public void Book_with_only_yes_bids_has_a_yes_bid_and_a_no_ask_only()
    {
        var f = Features(Book("Y", [(30, 40), (29, 60)], []));
        Assert.Equal(0.30, f[L.BestYesBid], Eps);
        Assert.Equal(0.5, f[L.BestYesAsk]);
        Assert.Equal(0.5, f[L.BestNoBid]);
        Assert.Equal(0.70, f[L.BestNoAsk], Eps);
        Assert.Equal(0.5, f[L.YesMidPrice]);
        Assert.Equal(0.1, f[L.YesSpread], Eps);
        Assert.Equal(0.75, f[L.YesSpreadRegime]);
        // YES: bids 100, asks 0 → +1; NO: bids 0, asks 100 → −1.
        Assert.Equal(1.0, f[L.YesSideImbalance]);
        Assert.Equal(-1.0, f[L.NoSideImbalance]);
        Assert.Equal(0.0, f[L.VolumeImbalance]);
        Assert.Equal(0.0, f[L.YesNoConsistency], Eps); // bb + na = 30 + 70 = 100
        Assert.Equal(0.5, f[L.YesMicroprice]);          // ask missing → unclamped mid fallback 0.5
        Assert.Equal(0.5, f[L.NoMicroprice]);
        Assert.Equal(2 / 20.0, f[L.YesBookDepth], Eps);
        Assert.Equal(1.0, f[L.YesLiquidityConcentration]);
        Assert.Equal(Math.Log(1 + 200) / Math.Log(10001), f[L.TotalVolume], Eps);
    }

    [Fact]
    public void Book_with_only_no_bids_mirrors_it()
    {
        var f = Features(Book("N", [], [(60, 10)]));
        Assert.Equal(0.5, f[L.BestYesBid]);
        Assert.Equal(0.40, f[L.BestYesAsk], Eps);
        Assert.Equal(0.60, f[L.BestNoBid], Eps);
        Assert.Equal(0.5, f[L.BestNoAsk]);
        Assert.Equal(0.5, f[L.YesNoConsistency]); // no YES bid
        Assert.Equal(-1.0, f[L.YesSideImbalance]);
        Assert.Equal(1.0, f[L.NoSideImbalance]);
    }

    [Fact]
    public void Volume_features_use_contracts_of_all_four_maps()
    {
        var f = Features(Asymmetric()); // YES bids 40, NO bids 40 → T = 160
        Assert.Equal(Math.Log(161) / Math.Log(10001), f[L.TotalVolume], Eps);
        Assert.Equal(0.0, f[L.VolumeImbalance]);
        Assert.Equal(0.0, f[L.YesSideImbalance]); // 40 vs 40
        var g = Features(Book("V", [(40, 30)], [(50, 10)])); // YB 30, YA 10
        Assert.Equal((30 - 10) / 40.0, g[L.YesSideImbalance], Eps);
        Assert.Equal((10 - 30) / 40.0, g[L.NoSideImbalance], Eps);
        Assert.Equal(Math.Tanh(0.5 * (Math.Log(1 + 40) - Math.Log(1 + 40))), g[L.BidAskDepthRatio], Eps);
    }

    [Fact]
    public void Total_volume_saturates_at_ten_thousand_contracts()
    {
        Assert.Equal(1.0, Features(Book("BIG", [(40, 6000)], [(50, 6000)]))[L.TotalVolume]);
        Assert.Equal(Math.Log(1 + 9998) / Math.Log(10001), Features(Book("NEAR", [(40, 2500)], [(50, 2499)]))[L.TotalVolume], Eps);
    }

    [Fact]
    public void Fractional_contracts_count_as_fractions()
    {
        var book = new OrderBook("FR");
        book.ApplySnapshot(1, [new BookLevel(Price.FromCents(40), Quantity.FromUnits(150))], [new BookLevel(Price.FromCents(50), Quantity.FromUnits(50))]);
        var f = Features(book); // YB 1.5, YA 0.5
        Assert.Equal(Math.Log(1 + 4.0) / Math.Log(10001), f[L.TotalVolume], Eps);
        Assert.Equal((1.5 - 0.5) / 2.0, f[L.YesSideImbalance], Eps);
        Assert.Equal((40 * 0.5 + 50 * 1.5) / 2.0 / 100.0, f[L.YesMicroprice], Eps);
    }

    [Fact]
    public void Microprice_weights_each_side_by_the_other_sides_total_volume()
    {
        var f = Features(Asymmetric()); // bb 40, ba 45; YB = 40, YA = 40; nb 55, na 60; NB = 40, NA = 40
        Assert.Equal((40 * 40.0 + 45 * 40.0) / 80.0 / 100.0, f[L.YesMicroprice], Eps);
        var g = Features(Book("M", [(40, 30)], [(50, 10)])); // bb 40 (YB 30), ba 50 (YA 10); nb 50 (NB 10), na 60 (NA 30)
        Assert.Equal((40 * 10.0 + 50 * 30.0) / 40.0 / 100.0, g[L.YesMicroprice], Eps);
        Assert.Equal((50 * 30.0 + 60 * 10.0) / 40.0 / 100.0, g[L.NoMicroprice], Eps);
    }

    [Fact]
    public void Yes_no_consistency_is_zero_for_a_single_book_with_a_yes_bid()
    {
        Assert.Equal(0.0, Features(Asymmetric())[L.YesNoConsistency], Eps);
    }

    [Fact]
    public void Depth_counts_levels_of_both_sides_and_saturates_at_20()
    {
        Assert.Equal(5 / 20.0, Features(Asymmetric())[L.YesBookDepth], Eps);
        Assert.Equal(5 / 20.0, Features(Asymmetric())[L.NoBookDepth], Eps);
        var deep = Book("DEEP", Enumerable.Range(1, 15).Select(c => (c, 1L)).ToArray(), Enumerable.Range(1, 15).Select(c => (c, 1L)).ToArray());
        Assert.Equal(1.0, Features(deep)[L.YesBookDepth]);
    }

    [Fact]
    public void Liquidity_concentration_takes_the_three_largest_levels_of_bids_and_asks()
    {
        // Levels: YES bids 10, 30; YES asks 20, 5, 15 → top 3 = 30 + 20 + 15 = 65 of 80.
        var f = Features(Asymmetric());
        Assert.Equal(65 / 80.0, f[L.YesLiquidityConcentration], Eps);
        Assert.Equal(65 / 80.0, f[L.NoLiquidityConcentration], Eps);
        // Three levels or fewer → 1.
        Assert.Equal(1.0, Features(Book("C3", [(40, 7)], [(50, 3), (49, 9)]))[L.YesLiquidityConcentration]);
    }

    [Fact]
    public void Sub_penny_prices_are_fractional_cents()
    {
        var book = new OrderBook("SUB", TickGrid.DeciCent);
        book.ApplySnapshot(1, [new BookLevel(Price.FromTicks(4550), Quantity.FromContracts(10))], [new BookLevel(Price.FromTicks(5420), Quantity.FromContracts(10))]);
        var f = Features(book); // YES 45.5 / 45.8: spread 0.3¢
        Assert.Equal(0.455, f[L.BestYesBid], Eps);
        Assert.Equal(0.458, f[L.BestYesAsk], Eps);
        Assert.Equal(0.003, f[L.YesSpread], 1e-12);
        Assert.Equal(0.0, f[L.YesSpreadRegime]);
        Assert.Equal(0.4565, f[L.YesMidPrice], Eps);
    }

    [Fact]
    public void Mid_prices_are_clamped_to_one_and_ninety_nine_cents()
    {
        // Sub-penny book at the edge: YES bid 0.001, ask 0.002 → mid 0.0015 → 0.01.
        var book = new OrderBook("EDGE", TickGrid.DeciCent);
        book.ApplySnapshot(1, [new BookLevel(Price.FromTicks(10), Quantity.FromContracts(1))], [new BookLevel(Price.FromTicks(9980), Quantity.FromContracts(1))]);
        var f = Features(book);
        Assert.Equal(0.01, f[L.YesMidPrice]);
        Assert.Equal(0.99, f[L.NoMidPrice]);
        // The spread percentage uses the unclamped mid.
        Assert.Equal(0.1 / (0.0015 * 100), f[L.YesSpreadPct], 1e-9);
    }

    [Fact]
    public void Destination_must_hold_26_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => MarketFeatures.Write(Asymmetric(), new double[25]));
        Assert.Contains("need 26 slots, got 25", ex.Message);
    }
}
