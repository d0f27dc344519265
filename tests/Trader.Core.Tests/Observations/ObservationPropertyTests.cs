using CsCheck;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>Invariants of the observation on random books, portfolios, orders and timings.</summary>
public class ObservationPropertyTests
{
    // A level: leg, price in ticks (any 1/10,000 — sub-penny included), size in units (fractional contracts included).
    private static readonly Gen<(bool Yes, int Ticks, long Units)> GenLevel =
        Gen.Select(Gen.Bool, Gen.Int[1, Price.TicksPerDollar - 1], Gen.Long[1, 1_000_000_000]);

    private static readonly Gen<PositionSnapshot> GenPosition =
        Gen.Select(Gen.Int[0, 3].Select(i => i == 0 ? "OBS" : $"P{i}"), Gen.Long[-100_000_000, 100_000_000], Gen.Long[0, 1_000_000_000_000],
                Gen.Int[-1, Price.TicksPerDollar])
            .Select((ticker, units, costMicros, mark) => new PositionSnapshot(ticker, Quantity.FromUnits(units), Money.FromMicros(costMicros),
                mark < 0 ? null : Price.FromTicks(mark)));

    private static readonly Gen<(long Cash, long Pv)> GenMoney =
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.OneOf(Gen.Long[-1_000, 1_000], Gen.Long[-1_000_000_000_000, 1_000_000_000_000]));

    private static readonly Gen<OpenOrderState> GenOrders =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[-1, 100_000])
            .Select((buy, sell, age) => new OpenOrderState(buy, sell, age < 0 ? null : DateTimeOffset.UnixEpoch.AddSeconds(age)));

    // One step: a book, a time step in ms (negative = a clock that went back), a portfolio and orders.
    private static readonly Gen<((bool Yes, int Ticks, long Units)[] Levels, int StepMs, (long Cash, long Pv) Money, PositionSnapshot[] Positions, OpenOrderState Orders)> GenStep =
        Gen.Select(GenLevel.Array[0, 40], Gen.Int[-2_000, 400_000], GenMoney, GenPosition.Array[0, 6], GenOrders);

    private static OrderBook ToBook((bool Yes, int Ticks, long Units)[] levels)
    {
        var book = new OrderBook("OBS");
        var yes = levels.Where(l => l.Yes).Select(l => new BookLevel(Price.FromTicks(l.Ticks), Quantity.FromUnits(l.Units))).ToArray();
        var no = levels.Where(l => !l.Yes).Select(l => new BookLevel(Price.FromTicks(l.Ticks), Quantity.FromUnits(l.Units))).ToArray();
        Assert.Equal(BookUpdate.Applied, book.ApplySnapshot(1, yes, no));
        return book;
    }

    [Fact]
    public void Every_feature_is_finite_and_within_plus_minus_two() =>
        Gen.Select(GenStep.Array[1, 15], Gen.Long[0, 4_000_000_000_000], Gen.Int[1, 12], Gen.Bool).Sample((steps, startMs, window, live) =>
        {
            var builder = new ObservationBuilder(new ObservationOptions
            {
                WindowSize = window,
                TemporalInputs = live ? TemporalInputs.OriginalLive : TemporalInputs.Computed,
            });
            var obs = new float[L.Length];
            long ms = startMs;
            foreach (var step in steps)
            {
                ms += step.StepMs;
                var now = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                var orders = step.Orders.NewestPlacedAt is { } placed
                    ? step.Orders with { NewestPlacedAt = now - (placed - DateTimeOffset.UnixEpoch) }
                    : step.Orders;
                var portfolio = new PortfolioInput(Money.FromMicros(step.Money.Cash), Money.FromMicros(step.Money.Pv), step.Positions);
                builder.Build(ToBook(step.Levels), now, portfolio, orders, obs);
                for (int i = 0; i < L.Length; i++)
                {
                    Assert.True(float.IsFinite(obs[i]) && obs[i] is >= -2f and <= 2f, $"feature {i} ({L.NameOf(i)}) = {obs[i]}");
                }
                Assert.InRange(obs[L.CurrentActivityScore], 0f, 1f);
                Assert.InRange(obs[L.PriceMomentum], -1f, 1f);
                Assert.InRange(obs[L.TimeSinceLastUpdate], 0f, 1f);
                Assert.InRange(obs[L.UpdateFrequency], 0f, 1f);
                Assert.InRange(obs[L.VolatilityRegime], 0f, 1f);
                Assert.InRange(obs[L.PriceStability], 0f, 1f);
                Assert.InRange(obs[L.TimeSinceOrder], 0f, 1f);
            }
            Assert.True(builder.TryGetWindow("OBS", out var w));
            Assert.Equal(Math.Min(window, steps.Length), w.Count);
        }, iter: 300);

    [Fact]
    public void Features_of_the_one_book_coincide_by_construction() =>
        GenLevel.Array[0, 40].Sample(levels =>
        {
            var f = new double[L.MarketCount];
            MarketFeatures.Write(ToBook(levels), f);
            Assert.Equal(f[L.YesSpread], f[L.NoSpread], 1e-12);
            Assert.Equal(f[L.YesSpreadRegime], f[L.NoSpreadRegime]);
            Assert.Equal(f[L.YesBookDepth], f[L.NoBookDepth]);
            Assert.Equal(f[L.YesLiquidityConcentration], f[L.NoLiquidityConcentration], 1e-12);
            Assert.Equal(0.0, f[L.VolumeImbalance]);
            Assert.Equal(0.0, f[L.BidAskDepthRatio], 1e-12);
            // The builder values the observed market's position at feature 4.
            Assert.Equal(PortfolioFeatures.MarkOf(ToBook(levels)), f[L.YesMidPrice]);
        }, iter: 300);

    [Fact]
    public void Liquidity_concentration_matches_sorting_every_level() =>
        GenLevel.Array[0, 40].Sample(levels =>
        {
            var book = ToBook(levels);
            var sizes = new List<long>();
            foreach (var leg in new[] { BookLeg.Yes, BookLeg.No })
            {
                var all = new BookLevel[200];
                int n = book.TopBids(leg, all);
                sizes.AddRange(all[..n].Select(l => l.Size.Units));
            }
            double expected = sizes.Count == 0 ? 0.5 : sizes.OrderDescending().Take(3).Sum() / (double)sizes.Sum();
            var f = new double[L.MarketCount];
            MarketFeatures.Write(book, f);
            Assert.Equal(expected, f[L.YesLiquidityConcentration], 1e-12);
        }, iter: 300);

    [Fact]
    public void Largest_bid_sizes_are_the_sorted_sizes_of_the_leg() =>
        Gen.Select(GenLevel.Array[0, 40], Gen.Int[0, 6]).Sample((levels, k) =>
        {
            var book = ToBook(levels);
            foreach (var leg in new[] { BookLeg.Yes, BookLeg.No })
            {
                var all = new BookLevel[200];
                int n = book.TopBids(leg, all);
                var expected = all[..n].Select(l => l.Size).OrderByDescending(q => q.Units).Take(k).ToArray();
                var largest = new Quantity[k];
                int got = book.LargestBidSizes(leg, largest);
                Assert.Equal(expected, largest[..got]);
            }
        }, iter: 300);
}
