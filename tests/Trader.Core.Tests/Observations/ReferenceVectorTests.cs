using Trader.Core.Numbers;
using Trader.Core.Observations;
using static Trader.Core.Tests.Observations.ObservationFixtures;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>The golden vectors of original-system.md §9.7.</summary>
public class ReferenceVectorTests
{
    private const double Tolerance = 1e-6;

    // §9.7, first observation: reference book, no history, UTC hour 14, cash 1000, pv 1000, no positions, no orders.
    private static readonly float[] FirstReference =
    [
        0.45f, 0.47f, 0.53f, 0.55f, 0.46f, 0.54f, 0.02f, 0.02f, 0.0434783f, 0.0370370f, 0.25f, 0.25f, 0.02f, 0.02f, 0.7501004f, 0.0f, 0.2f, -0.2f, 0.0f, 0.0f,
        0.462f, 0.538f, 0.2f, 0.2f, 0.9f, 0.9f, 0.0f, 0.7142857f, 0.0f, 0.0f, 0.1f, 0.0f, 0.0f, 0.0f, 0.1f, 0.5f, 1.0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    // §9.7, second observation, features 36–51.
    private static readonly float[] SecondReferencePortfolioAndOrders =
    [
        0.809354f, 0.190646f, 0.1f, 0.005f, 1f, 0f, 0.761594f, 0.186590f, 0.005f, -1.0f, 0.093295f, 0f, 1f, 0.1f, 0f, 0f,
    ];

    [Fact]
    public void First_reference_observation_is_reproduced_exactly_with_the_original_live_temporal_inputs()
    {
        var builder = new ObservationBuilder(new ObservationOptions { TemporalInputs = TemporalInputs.OriginalLive });
        var obs = new float[L.Length];
        builder.Build(ReferenceBook(), At(), PortfolioInput.CashOnly(Dollars(1000)), OpenOrderState.None, obs);
        AssertClose(FirstReference, obs, 0);
    }

    [Fact]
    public void First_reference_observation_with_training_inputs_differs_only_in_the_computed_activity_score()
    {
        var builder = new ObservationBuilder();
        var obs = new float[L.Length];
        builder.Build(ReferenceBook(), At(), PortfolioInput.CashOnly(Dollars(1000)), OpenOrderState.None, obs);

        // The book holds 1,000 contracts over its four maps; one market: min(1, 1 × ln(1001) / 1000).
        var expected = (float[])FirstReference.Clone();
        expected[L.CurrentActivityScore] = (float)(Math.Log(1001) / 1000);
        AssertClose(expected, obs, 0);
        Assert.Equal(0.0069088f, obs[L.CurrentActivityScore], 1e-6f);
        // No history yet: momentum needs three mids, volatility five and stability three history points.
        Assert.Equal(0f, obs[L.PriceMomentum]);
        Assert.Equal(0.1f, obs[L.VolatilityRegime]);
        Assert.Equal(0.5f, obs[L.PriceStability]);
    }

    /// <summary>
    /// The second §9.7 observation is what the Python trader computed with its unit confusion (§9.4 ⚠): it passed cash
    /// 997.65 and portfolio value 1232.65 (dollars) and a cost basis of 23500 (cents × 100) to formulas that expect
    /// cents. The builder takes cents (via <see cref="Money"/>), so feeding it those very numbers as cents — $9.9765,
    /// $12.3265 and $235.00 — must reproduce the Python's features 36–51 exactly, including the saturated −1 of the
    /// unrealized P&amp;L ratio. (Fed the true amounts, $997.65 / $1,232.65 / $2.35, the builder gives the training-unit
    /// values instead, checked below.)
    /// </summary>
    [Fact]
    public void Second_reference_observation_portfolio_and_order_features_are_reproduced_from_the_pythons_numbers()
    {
        var builder = new ObservationBuilder(new ObservationOptions { TemporalInputs = TemporalInputs.OriginalLive });
        var now = At();
        var positions = new[] { new PositionSnapshot("REF", Quantity.FromContracts(5), Dollars(235.00m)) };
        var portfolio = new PortfolioInput(Dollars(9.9765m), Dollars(12.3265m), positions);
        var orders = new OpenOrderState(HasOpenBuy: false, HasOpenSell: true, NewestPlacedAt: now.AddSeconds(-30));
        var obs = new float[L.Length];
        builder.Build(ReferenceBook(), now, portfolio, orders, obs);

        AssertClose(SecondReferencePortfolioAndOrders, obs.AsSpan(L.PortfolioStart).ToArray(), L.PortfolioStart);
        AssertClose(FirstReference[..L.PortfolioStart], obs[..L.PortfolioStart], 0);
    }

    [Fact]
    public void Second_reference_observation_in_true_units_gives_the_training_values()
    {
        var builder = new ObservationBuilder();
        var positions = new[] { new PositionSnapshot("REF", Quantity.FromContracts(5), Dollars(2.35m)) };
        var portfolio = new PortfolioInput(Dollars(997.65m), Dollars(1232.65m), positions);
        var obs = new float[L.Length];
        builder.Build(ReferenceBook(), At(), portfolio, OpenOrderState.None, obs);

        // Position value 5 × 46¢ = 230¢ against a 123,265¢ portfolio; unrealized 230 − 235 = −5¢.
        Assert.Equal((float)(230 / 123265.0), obs[L.PositionConcentration], Tolerance);
        Assert.Equal((float)Math.Tanh(-5 / 123265.0), obs[L.UnrealizedPnlRatio], Tolerance);
        Assert.Equal((float)(230 / 123265.0 / 2), obs[L.Leverage], Tolerance);
        Assert.Equal(0.809354f, obs[L.CashRatio], Tolerance);
    }

    private static void AssertClose(float[] expected, float[] actual, int offset)
    {
        Assert.Equal(expected.Length, Math.Min(expected.Length, actual.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance,
                $"feature {offset + i} ({L.NameOf(offset + i)}): expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
