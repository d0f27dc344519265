using CsCheck;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Policy.Heuristics;

namespace Trader.Policy.Tests.Heuristics;

public class SpreadImbalancePolicyTests
{
    private static readonly SpreadImbalancePolicy Policy = new();

    /// <summary>
    /// An observation of a two-sided book with YES mid 0.46, the given YES spread (dollars) and YES side imbalance; the
    /// microprice follows §9.2 (mid + spread/2 × imbalance) unless given.
    /// </summary>
    private static float[] Book(float spread, float imbalance, float? microprice = null)
    {
        var obs = (float[])TestData.ReferenceObservation1.Clone();
        const float mid = 0.46f;
        obs[ObservationLayout.BestYesBid] = mid - spread / 2;
        obs[ObservationLayout.BestYesAsk] = mid + spread / 2;
        obs[ObservationLayout.YesMidPrice] = mid;
        obs[ObservationLayout.YesSpread] = spread;
        obs[ObservationLayout.NoSpread] = spread;
        obs[ObservationLayout.YesSideImbalance] = imbalance;
        obs[ObservationLayout.NoSideImbalance] = -imbalance;
        obs[ObservationLayout.YesMicroprice] = microprice ?? mid + spread / 2 * imbalance;
        return obs;
    }

    private static int Decide(float[] obs, long position = 0, SpreadImbalancePolicy? policy = null) =>
        (policy ?? Policy).Decide(obs, new DecisionContext("KXTEST", Quantity.FromContracts(position))).Action;

    [Fact]
    public void Reference_observation_holds_by_default_and_buys_yes_with_a_lower_threshold()
    {
        // §9.7: spread 2¢, YES imbalance +0.2 (300 bid vs 200 ask contracts), microprice 0.462 > mid 0.46.
        Assert.Equal(PolicyActions.Hold, Decide(TestData.ReferenceObservation1));
        var eager = new SpreadImbalancePolicy(new SpreadImbalanceOptions { MinImbalance = 0.15f });
        Assert.Equal(PolicyActions.BuyYes, Decide(TestData.ReferenceObservation1, policy: eager));
    }

    [Fact]
    public void Buying_pressure_on_a_tight_book_buys_yes()
    {
        Assert.Equal(PolicyActions.BuyYes, Decide(Book(0.01f, 0.6f)));
        Assert.Equal(PolicyActions.BuyYes, Decide(Book(0.03f, 0.25f)));
    }

    [Fact]
    public void Selling_pressure_on_a_tight_book_buys_no()
    {
        Assert.Equal(PolicyActions.BuyNo, Decide(Book(0.01f, -0.6f)));
        Assert.Equal(PolicyActions.BuyNo, Decide(Book(0.02f, -0.25f)));
    }

    [Theory]
    [InlineData(0.04f)]
    [InlineData(0.10f)] // what a one-sided or empty book reads as (§9.2)
    [InlineData(0.50f)]
    public void Wide_spread_holds_whatever_the_pressure(float spread)
    {
        Assert.Equal(PolicyActions.Hold, Decide(Book(spread, 0.9f)));
        Assert.Equal(PolicyActions.Hold, Decide(Book(spread, -0.9f)));
    }

    [Fact]
    public void Weak_pressure_holds()
    {
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, 0.24f)));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, -0.24f)));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, 0f)));
    }

    [Fact]
    public void Microprice_must_agree_with_the_imbalance()
    {
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.02f, 0.6f, microprice: 0.455f)));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.02f, -0.6f, microprice: 0.465f)));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.02f, 0.6f, microprice: 0.46f)));

        var strict = new SpreadImbalancePolicy(new SpreadImbalanceOptions { MinMicropriceEdge = 0.005f });
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.02f, 0.3f), policy: strict));   // edge 0.003
        Assert.Equal(PolicyActions.BuyYes, Decide(Book(0.02f, 0.8f), policy: strict)); // edge 0.008
    }

    [Fact]
    public void Reversal_closes_the_position_first()
    {
        Assert.Equal(PolicyActions.SellNo, Decide(Book(0.01f, 0.6f), position: -5));
        Assert.Equal(PolicyActions.SellYes, Decide(Book(0.01f, -0.6f), position: 5));
    }

    [Fact]
    public void Position_cap_stops_adding()
    {
        Assert.Equal(PolicyActions.BuyYes, Decide(Book(0.01f, 0.6f), position: 15));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, 0.6f), position: 20));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, 0.6f), position: 25));
        Assert.Equal(PolicyActions.BuyNo, Decide(Book(0.01f, -0.6f), position: -15));
        Assert.Equal(PolicyActions.Hold, Decide(Book(0.01f, -0.6f), position: -20));
    }

    [Fact]
    public void Missing_values_hold()
    {
        var obs = Book(0.01f, 0.6f);
        obs[ObservationLayout.YesSpread] = float.NaN;
        Assert.Equal(PolicyActions.Hold, Decide(obs));
        obs = Book(0.01f, 0.6f);
        obs[ObservationLayout.YesSideImbalance] = float.NaN;
        Assert.Equal(PolicyActions.Hold, Decide(obs));
        obs = Book(0.01f, 0.6f);
        obs[ObservationLayout.YesMicroprice] = float.NaN;
        Assert.Equal(PolicyActions.Hold, Decide(obs));
    }

    [Fact]
    public void The_stale_indices_the_original_read_do_not_matter()
    {
        // QuantHardCoded read 14, 15, 17, 32, 34 as microprice/imbalance/burst/momentum (§10.2).
        int[] stale = [ObservationLayout.TotalVolume, ObservationLayout.VolumeImbalance, ObservationLayout.NoSideImbalance,
            ObservationLayout.ActivityTrend, ObservationLayout.VolatilityRegime];
        foreach (var extreme in new[] { -2f, 2f })
        {
            var buy = Book(0.01f, 0.6f);
            var sell = Book(0.01f, -0.6f);
            foreach (var i in stale) buy[i] = sell[i] = extreme;
            Assert.Equal(PolicyActions.BuyYes, Decide(buy));
            Assert.Equal(PolicyActions.BuyNo, Decide(sell));
        }
    }

    [Fact]
    public void Sized_action_space_uses_the_configured_size()
    {
        var sized = new SpreadImbalancePolicy(new SpreadImbalanceOptions { ActionCount = 21, SizeIndex = 2 });
        Assert.Equal(21, sized.ActionCount);
        Assert.Equal(3, Decide(Book(0.01f, 0.6f), policy: sized));            // BUY_YES#2
        Assert.Equal(13, Decide(Book(0.01f, -0.6f), policy: sized));          // BUY_NO#2
        Assert.Equal(8, Decide(Book(0.01f, -0.6f), position: 5, policy: sized)); // SELL_YES#2
        Assert.Equal(18, Decide(Book(0.01f, 0.6f), position: -5, policy: sized)); // SELL_NO#2
    }

    [Fact]
    public void Invalid_settings_are_refused_by_name()
    {
        Assert.Contains("MaxSpread", Assert.Throws<ArgumentException>(() => new SpreadImbalancePolicy(new SpreadImbalanceOptions { MaxSpread = 0.10f })).Message);
        Assert.Contains("MinImbalance", Assert.Throws<ArgumentException>(() => new SpreadImbalancePolicy(new SpreadImbalanceOptions { MinImbalance = 0f })).Message);
        Assert.Contains("MaxPosition", Assert.Throws<ArgumentException>(() => new SpreadImbalancePolicy(new SpreadImbalanceOptions { MaxPosition = Quantity.Zero })).Message);
        Assert.Contains("SizeIndex", Assert.Throws<ArgumentException>(() => new SpreadImbalancePolicy(new SpreadImbalanceOptions { ActionCount = 21, SizeIndex = 5 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpreadImbalancePolicy(new SpreadImbalanceOptions { ActionCount = 9 }));
    }

    [Fact]
    public void Observation_of_the_wrong_length_is_refused() =>
        Assert.Throws<ArgumentException>(() => Policy.Decide(new float[10], DecisionContext.Flat("X")));

    [Fact]
    public void Never_sells_what_it_does_not_hold_nor_adds_past_the_cap()
    {
        Gen.Select(Gen.Float[0f, 0.2f], Gen.Float[-1f, 1f], Gen.Float[-0.05f, 0.05f], Gen.Long[-40, 40])
            .Sample((spread, imbalance, edge, position) =>
            {
                var obs = Book(spread, imbalance, 0.46f + edge);
                var action = Decide(obs, position);
                return action switch
                {
                    PolicyActions.SellYes => position > 0,
                    PolicyActions.SellNo => position < 0,
                    PolicyActions.BuyYes => position >= 0 && position < 20 && spread <= 0.03f,
                    PolicyActions.BuyNo => position <= 0 && position > -20 && spread <= 0.03f,
                    _ => action == PolicyActions.Hold,
                };
            });
    }

    [Fact]
    public void A_market_that_swings_gets_several_actions_and_a_bounded_position()
    {
        // Pressure that swings between buying and selling every 12 steps; each trade fills 5 contracts.
        long position = 0;
        var counts = new int[5];
        for (int step = 0; step < 240; step++)
        {
            float imbalance = MathF.Sin(step * MathF.PI / 12f) * 0.8f;
            int action = Decide(Book(0.02f, imbalance), position);
            counts[action]++;
            position += action switch { PolicyActions.BuyYes or PolicyActions.SellNo => 5, PolicyActions.SellYes or PolicyActions.BuyNo => -5, _ => 0 };
            Assert.InRange(position, -20, 20);
        }
        Assert.All(counts, c => Assert.True(c > 0, $"every action should occur: {string.Join(",", counts)}"));
    }
}
