using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using static Trader.Core.Tests.Observations.ObservationFixtures;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>The builder end to end: windows per market, the training temporal inputs, sanitising, allocation.</summary>
public class ObservationBuilderTests
{
    private static float[] Build(ObservationBuilder builder, OrderBook book, DateTimeOffset now, Money? cash = null)
    {
        var obs = new float[L.Length];
        builder.Build(book, now, PortfolioInput.CashOnly(cash ?? Dollars(1000)), OpenOrderState.None, obs);
        return obs;
    }

    /// <summary>A book whose YES bid is at <paramref name="bidCents"/> with a 2¢ spread and <paramref name="contracts"/> a side.</summary>
    private static OrderBook Quote(string ticker, int bidCents, long contracts = 100) =>
        Book(ticker, [(bidCents, contracts)], [(98 - bidCents, contracts)]);

    [Fact]
    public void Window_of_five_keeps_the_last_five_of_eight()
    {
        // §15 I: window 5 keeps the last 5 of 8 (volumes 1300…1700), gap ≈ 10 s.
        var builder = new ObservationBuilder(new ObservationOptions { WindowSize = 5 });
        for (int i = 0; i < 8; i++)
        {
            // Total volume of the four maps = 2 × (YES + NO bids) = 1000 + 100 i.
            Build(builder, Book("I", [(45, 250 + 25 * i)], [(53, 250 + 25 * i)]), At(10 * i));
        }
        Assert.True(builder.TryGetWindow("I", out var window));
        var points = window.Points.ToArray();
        Assert.Equal(5, points.Length);
        Assert.Equal(Enumerable.Range(3, 5).Select(i => At(10 * i).ToUnixTimeMilliseconds()), points.Select(p => p.TimestampMs));
        Assert.Equal(new[] { 1300, 1400, 1500, 1600, 1700 }.Select(v => TemporalFeatures.ActivityScore(v)), points.Select(p => p.ActivityScore));
        var next = Build(builder, Book("I", [(45, 250)], [(53, 250)]), At(80));
        Assert.Equal(10 / 300.0, next[L.TimeSinceLastUpdate], 1e-6);
    }

    [Fact]
    public void Gap_of_thirty_seconds_is_a_tenth()
    {
        var builder = new ObservationBuilder();
        Build(builder, ReferenceBook(), At());
        var obs = Build(builder, ReferenceBook(), At(30));
        Assert.Equal(0.1f, obs[L.TimeSinceLastUpdate], 1e-6f);
    }

    [Fact]
    public void Temporal_inputs_are_computed_from_the_window_once_it_has_history()
    {
        var builder = new ObservationBuilder();
        int[] bids = [40, 40, 41, 43, 42, 45, 50];
        float[] obs = [];
        for (int i = 0; i < bids.Length; i++) obs = Build(builder, Quote("H", bids[i], 100 + 50 * i), At(i));

        // Mids in cents: bid + 1. Momentum from 43, 46, 51: Δ₁ = 5, Δ₂ = 3.
        Assert.Equal((float)Math.Tanh((5.0 - 3.0) / 3.0), obs[L.PriceMomentum], 1e-6f);
        // Activity rises with volume: 4 × (100 + 50 i) contracts.
        double current = TemporalFeatures.ActivityScore(4 * 400);
        double previous = TemporalFeatures.ActivityScore(4 * 350);
        Assert.Equal((float)current, obs[L.CurrentActivityScore], 1e-9f);
        Assert.Equal((float)Math.Tanh(current - previous), obs[L.ActivityChange], 1e-9f);
        Assert.True(obs[L.ActivityTrend] > 0);
        // Volatility over the last five history mids + current: 41, 42, 44, 43, 46, 51 → |Δ| 1, 2, 1, 3, 5.
        double[] changes = [1, 2, 1, 3, 5];
        double mean = changes.Average();
        double std = Math.Sqrt(changes.Sum(c => (c - mean) * (c - mean)) / changes.Length);
        Assert.Equal((float)(std / 5), obs[L.VolatilityRegime], 1e-6f);
        // Stability over the last three history changes: 44→43→46, 42→44: |Δ| 2, 1, 3.
        Assert.Equal((float)(1 - 2.0 / 5), obs[L.PriceStability], 1e-6f);
        // One observation a second over the last five history points: 5 / 5 s / 2.
        Assert.Equal(0.5f, obs[L.UpdateFrequency], 1e-6f);
    }

    [Fact]
    public void Original_live_inputs_keep_the_temporal_defaults_whatever_the_history()
    {
        var builder = new ObservationBuilder(new ObservationOptions { TemporalInputs = TemporalInputs.OriginalLive });
        float[] obs = [];
        for (int i = 0; i < 9; i++) obs = Build(builder, Quote("O", 30 + 3 * i, 100 * (i + 1)), At(i));
        Assert.Equal(0f, obs[L.CurrentActivityScore]);
        Assert.Equal(0f, obs[L.ActivityChange]);
        Assert.Equal(0f, obs[L.ActivityBurst]);
        Assert.Equal(0f, obs[L.ActivityTrend]);
        Assert.Equal(0f, obs[L.PriceMomentum]);
        Assert.Equal(0.1f, obs[L.VolatilityRegime]);
        Assert.Equal(0.5f, obs[L.PriceStability]);
        // Only 26, 27 and 30 vary live.
        Assert.Equal(1 / 300f, obs[L.TimeSinceLastUpdate], 1e-6f);
        Assert.Equal(5 / 7f, obs[L.TimeOfDay], 1e-6f);
        Assert.Equal(0.5f, obs[L.UpdateFrequency], 1e-6f);
    }

    [Fact]
    public void Each_market_has_its_own_window_and_removing_one_forgets_it()
    {
        var builder = new ObservationBuilder();
        Build(builder, Quote("A", 40), At(0));
        Build(builder, Quote("B", 60), At(5));
        var a = Build(builder, Quote("A", 40), At(60));
        Assert.Equal(0.2f, a[L.TimeSinceLastUpdate], 1e-6f); // 60 s since A's last, not 55 s since B's
        Assert.Equal(2, builder.MarketCount);

        Assert.True(builder.RemoveMarket("A"));
        Assert.False(builder.RemoveMarket("A"));
        Assert.False(builder.TryGetWindow("A", out _));
        var fresh = Build(builder, Quote("A", 40), At(70));
        Assert.Equal(0f, fresh[L.TimeSinceLastUpdate]);
        Assert.Equal(0.1f, fresh[L.UpdateFrequency]);

        builder.Clear();
        Assert.Equal(0, builder.MarketCount);
    }

    [Fact]
    public void Every_build_records_a_point_there_is_no_cache()
    {
        var builder = new ObservationBuilder();
        var book = ReferenceBook();
        Build(builder, book, At());
        var orders = new OpenOrderState(true, false, At());
        var obs = new float[L.Length];
        builder.Build(book, At(0.05), PortfolioInput.CashOnly(Dollars(1000)), orders, obs);
        Assert.True(builder.TryGetWindow("REF", out var window));
        Assert.Equal(2, window.Count);
        // Within the original's 0.1 s cache the open-order flag would have been stale.
        Assert.Equal(1f, obs[L.HasOpenBuy]);
    }

    [Fact]
    public void Values_are_clipped_to_plus_minus_two_after_the_float_cast()
    {
        var builder = new ObservationBuilder();
        var obs = new float[L.Length];
        var hugeNo = new[] { new PositionSnapshot("REF", Quantity.FromContracts(-5000), Money.Zero) };
        builder.Build(ReferenceBook(), At(), new PortfolioInput(Dollars(10), Dollars(1_000_000), hugeNo), OpenOrderState.None, obs);
        Assert.Equal(-2f, obs[L.LargestPosition]); // −5 before clipping
    }

    [Theory]
    [InlineData(double.NaN, 0f)]
    [InlineData(double.PositiveInfinity, 1f)]
    [InlineData(double.NegativeInfinity, -1f)]
    [InlineData(1e300, 1f)]      // overflows float32 to +∞ first, as numpy's cast does
    [InlineData(-1e300, -1f)]
    [InlineData(3.5, 2f)]
    [InlineData(-2.5, -2f)]
    [InlineData(0.25, 0.25f)]
    [InlineData(-1.75, -1.75f)]
    public void Non_finite_values_are_replaced_and_the_rest_clipped(double value, float expected) =>
        Assert.Equal(expected, ObservationBuilder.ToFeature(value));

    [Fact]
    public void Destination_must_be_exactly_52_floats()
    {
        var builder = new ObservationBuilder();
        var ex = Assert.Throws<ArgumentException>(() => builder.Build(ReferenceBook(), At(), PortfolioInput.CashOnly(Money.OneDollar), OpenOrderState.None, new float[51]));
        Assert.Contains("an observation is 52 floats; the destination holds 51", ex.Message);
        Assert.Throws<ArgumentException>(() => builder.Build(ReferenceBook(), At(), PortfolioInput.CashOnly(Money.OneDollar), OpenOrderState.None, new float[53]));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObservationBuilder(new ObservationOptions { WindowSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObservationBuilder(new ObservationOptions { ExpectedMarkets = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObservationBuilder(new ObservationOptions { TemporalInputs = (TemporalInputs)7 }));
        Assert.Equal(10, new ObservationBuilder().Options.WindowSize);
        Assert.Equal(TemporalInputs.Computed, new ObservationBuilder().Options.TemporalInputs);
    }

    [Fact]
    public void Building_allocates_nothing_after_warm_up()
    {
        var builder = new ObservationBuilder();
        var books = new[] { Quote("A", 40, 120), Quote("B", 55, 80), ReferenceBook() };
        var positions = new[]
        {
            new PositionSnapshot("A", Quantity.FromContracts(10), Dollars(4.10m)),
            new PositionSnapshot("X", Quantity.FromContracts(-3), Dollars(1.20m), Price.FromCents(35)),
        };
        var orders = new OpenOrderState(true, true, At());
        var obs = new float[L.Length];
        void Run(int from, int count)
        {
            for (int i = from; i < from + count; i++)
            {
                var portfolio = new PortfolioInput(Dollars(500), Dollars(520), positions);
                builder.Build(books[i % books.Length], At(i), portfolio, orders, obs);
            }
        }
        Run(0, 60); // creates the three windows and fills them

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(60, 1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
