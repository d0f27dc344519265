using Trader.Core.Observations;
using static Trader.Core.Tests.Observations.ObservationFixtures;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Tests.Observations;

/// <summary>Features 26–35 (§9.3) and the training inputs of §9.6, on explicit points.</summary>
public class TemporalFeaturesTests
{
    private const double Eps = 1e-12;
    private static readonly long T0 = At().ToUnixTimeMilliseconds(); // 14:00 UTC

    private static WindowPoint P(double seconds, double activity = 0, double mid = double.NaN) =>
        new(T0 + (long)(seconds * 1000), activity, mid);

    private static double[] Features(WindowPoint current, WindowPoint[] history, double momentum = 0)
    {
        var f = new double[L.TemporalCount];
        TemporalFeatures.Write(current, history, momentum, f);
        return f;
    }

    private static double F(double[] f, int index) => f[index - L.TemporalStart];

    [Fact]
    public void Without_history_every_history_feature_takes_its_default()
    {
        var f = Features(P(0, activity: 0.3, mid: 50), []);
        Assert.Equal(0.0, F(f, L.TimeSinceLastUpdate));
        Assert.Equal(5 / 7.0, F(f, L.TimeOfDay), Eps);
        Assert.Equal(0.3, F(f, L.CurrentActivityScore));
        Assert.Equal(0.0, F(f, L.ActivityChange));
        Assert.Equal(0.1, F(f, L.UpdateFrequency));
        Assert.Equal(0.0, F(f, L.ActivityBurst));
        Assert.Equal(0.0, F(f, L.ActivityTrend));
        Assert.Equal(0.0, F(f, L.PriceMomentum));
        Assert.Equal(0.1, F(f, L.VolatilityRegime));
        Assert.Equal(0.5, F(f, L.PriceStability));
    }

    [Theory]
    [InlineData(30, 0.1)]      // §15 D: gap 30 s → 0.1
    [InlineData(10, 10 / 300.0)]
    [InlineData(300, 1.0)]
    [InlineData(3600, 1.0)]
    [InlineData(-5, 0.0)]      // a clock that went backwards reads as no gap
    public void Time_since_last_update_is_the_gap_over_300_seconds(double gapSeconds, double expected)
    {
        var f = Features(P(gapSeconds), [P(0)]);
        Assert.Equal(expected, F(f, L.TimeSinceLastUpdate), Eps);
    }

    [Theory]
    [InlineData(14, 30, 5 / 7.0)]   // §15 D: 14:30 → (14 − 9) / 7
    [InlineData(9, 0, 0.0)]
    [InlineData(16, 59, 1.0)]
    [InlineData(8, 59, 0.0)]
    [InlineData(17, 0, 0.0)]
    [InlineData(0, 0, 0.0)]
    public void Time_of_day_uses_the_integer_utc_hour(int hour, int minute, double expected)
    {
        long ms = new DateTimeOffset(2025, 3, 4, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(expected, TemporalFeatures.TimeOfDay(ms), Eps);
    }

    [Fact]
    public void Time_of_day_of_a_local_time_is_its_utc_hour()
    {
        // 10:30 at UTC−4 is 14:30 UTC.
        long ms = new DateTimeOffset(2025, 3, 4, 10, 30, 0, TimeSpan.FromHours(-4)).ToUnixTimeMilliseconds();
        Assert.Equal(5 / 7.0, TemporalFeatures.TimeOfDay(ms), Eps);
    }

    [Fact]
    public void Activity_change_is_tanh_of_the_difference_with_the_previous_point()
    {
        var f = Features(P(2, activity: 0.9), [P(0, 0.1), P(1, 0.4)]);
        Assert.Equal(0.9, F(f, L.CurrentActivityScore));
        Assert.Equal(Math.Tanh(0.9 - 0.4), F(f, L.ActivityChange), Eps);
    }

    [Fact]
    public void Update_frequency_needs_two_history_points()
    {
        Assert.Equal(0.1, F(Features(P(1), [P(0)]), L.UpdateFrequency));
        // R = 2 points, span 4 s from R[0] to now: 2 / 4 / 2.
        Assert.Equal(2 / 4.0 / 2, F(Features(P(4), [P(0), P(2)]), L.UpdateFrequency), Eps);
    }

    [Fact]
    public void Update_frequency_uses_the_last_five_history_points_and_a_one_second_floor()
    {
        var history = Enumerable.Range(0, 9).Select(i => P(i * 10)).ToArray(); // 0, 10, …, 80 s
        // R = points at 40..80 s, span from 40 s to 90 s = 50 s: 5 / 50 / 2 = 0.05.
        Assert.Equal(5 / 50.0 / 2, F(Features(P(90), history), L.UpdateFrequency), Eps);
        // Bursts inside a second: span floored at 1 s → 5 / 1 / 2 capped at 1.
        var fast = Enumerable.Range(0, 5).Select(i => P(i * 0.01)).ToArray();
        Assert.Equal(1.0, F(Features(P(0.05), fast), L.UpdateFrequency));
    }

    [Fact]
    public void Activity_burst_of_the_reference_test()
    {
        // §15 D: history [0.1,0.2,0.1,0.2,0.1,0.2,0.1,0.8,0.9,0.8,0.2,0.1,0.1] + current 1.0 → 1.0 (last ten + current).
        double[] scores = [0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.8, 0.9, 0.8, 0.2, 0.1, 0.1];
        var history = scores.Select((s, i) => P(i, s)).ToArray();
        Assert.Equal(1.0, F(Features(P(13, 1.0), history), L.ActivityBurst));
        // Current 0.5 sits inside mean + 1.5 std.
        Assert.Equal(0.0, F(Features(P(13, 0.5), history), L.ActivityBurst));
    }

    [Fact]
    public void Activity_burst_matches_mean_plus_one_and_a_half_population_std()
    {
        double[] recent = [0.2, 0.1, 0.2, 0.1, 0.8, 0.9, 0.8, 0.2, 0.1, 0.1];
        foreach (double current in new[] { 0.6, 0.8, 0.85, 0.95, 1.0 })
        {
            var all = recent.Append(current).ToArray();
            double mean = all.Average();
            double std = Math.Sqrt(all.Sum(x => (x - mean) * (x - mean)) / all.Length);
            double expected = current > mean + 1.5 * std ? 1.0 : 0.0;
            var history = recent.Select((s, i) => P(i, s)).ToArray();
            Assert.Equal(expected, TemporalFeatures.ActivityBurst(current, history));
        }
    }

    [Fact]
    public void Activity_burst_needs_three_values_and_is_never_set_by_a_constant_series()
    {
        Assert.Equal(0.0, TemporalFeatures.ActivityBurst(1.0, [P(0, 0.0)]));
        // 0, 0, 1: mean 1/3 + 1.5 × 0.471 > 1, no burst; 0, 0, 0, 0, 1: mean 0.2 + 1.5 × 0.4 = 0.8 < 1, burst.
        Assert.Equal(0.0, TemporalFeatures.ActivityBurst(1.0, [P(0, 0.0), P(1, 0.0)]));
        Assert.Equal(1.0, TemporalFeatures.ActivityBurst(1.0, [P(0, 0.0), P(1, 0.0), P(2, 0.0), P(3, 0.0)]));
        var constant = Enumerable.Range(0, 9).Select(i => P(i, 0.1 + 0.2)).ToArray();
        Assert.Equal(0.0, TemporalFeatures.ActivityBurst(0.1 + 0.2, constant));
    }

    [Fact]
    public void Activity_trend_is_tanh_of_ten_times_the_least_squares_slope()
    {
        // Scores 0.01 i: slope 0.01.
        var history = Enumerable.Range(0, 4).Select(i => P(i, 0.01 * i)).ToArray();
        Assert.Equal(Math.Tanh(0.1), F(Features(P(4, 0.04), history), L.ActivityTrend), 1e-12);
        // Noisy series against a closed-form slope.
        double[] ys = [0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2];
        double xm = (ys.Length - 1) / 2.0, ym = ys.Average();
        double slope = ys.Select((y, i) => (i - xm) * (y - ym)).Sum() / ys.Select((_, i) => (i - xm) * (i - xm)).Sum();
        var h = ys[..^1].Select((y, i) => P(i, y)).ToArray();
        Assert.Equal(Math.Tanh(10 * slope), TemporalFeatures.ActivityTrend(ys[^1], h), 1e-12);
    }

    [Fact]
    public void Activity_trend_needs_five_values_and_is_zero_when_flat()
    {
        var three = Enumerable.Range(0, 3).Select(i => P(i, 0.1 * i)).ToArray();
        Assert.Equal(0.0, TemporalFeatures.ActivityTrend(0.3, three));
        Assert.NotEqual(0.0, TemporalFeatures.ActivityTrend(0.4, [.. three, P(3, 0.3)]));
        var flat = Enumerable.Range(0, 9).Select(i => P(i, 0.7)).ToArray();
        Assert.Equal(0.0, TemporalFeatures.ActivityTrend(0.7, flat));
    }

    [Fact]
    public void Trend_and_burst_use_only_the_last_ten_history_points()
    {
        // An old spike beyond the last ten points must not matter.
        var history = new[] { P(0, 1.0) }.Concat(Enumerable.Range(1, 10).Select(i => P(i, 0.1))).ToArray();
        Assert.Equal(1.0, F(Features(P(11, 0.2), history), L.ActivityBurst));
        Assert.Equal(TemporalFeatures.ActivityTrend(0.2, history[1..]), F(Features(P(11, 0.2), history), L.ActivityTrend));
    }

    [Fact]
    public void Momentum_is_passed_through()
    {
        Assert.Equal(-0.25, F(Features(P(0), [], momentum: -0.25), L.PriceMomentum));
    }

    [Fact]
    public void Volatility_is_the_std_of_absolute_mid_changes_over_the_last_five_history_points_and_the_current()
    {
        // Mids (cents): history 40, 50, 51, 53, 52, 55, current 60 → last 5 + current: 50, 51, 53, 52, 55, 60 → |Δ| 1, 2, 1, 3, 5.
        double[] mids = [40, 50, 51, 53, 52, 55];
        var history = mids.Select((m, i) => P(i, mid: m)).ToArray();
        double[] changes = [1, 2, 1, 3, 5];
        double mean = changes.Average();
        double std = Math.Sqrt(changes.Sum(c => (c - mean) * (c - mean)) / changes.Length);
        Assert.Equal(Math.Min(std / 5, 1), F(Features(P(6, mid: 60), history), L.VolatilityRegime), Eps);
    }

    [Fact]
    public void Volatility_defaults_without_five_history_points_or_without_mids_and_saturates()
    {
        var four = Enumerable.Range(0, 4).Select(i => P(i, mid: 50 + i)).ToArray();
        Assert.Equal(0.1, TemporalFeatures.VolatilityRegime(P(4, mid: 70), four));
        var noMids = Enumerable.Range(0, 6).Select(i => P(i)).ToArray();
        Assert.Equal(0.1, TemporalFeatures.VolatilityRegime(P(6), noMids));
        // Changes 0, 0, 0, 0, 40: std 16 → capped at 1.
        var wild = Enumerable.Range(0, 5).Select(i => P(i, mid: 30)).ToArray();
        Assert.Equal(1.0, TemporalFeatures.VolatilityRegime(P(5, mid: 70), wild));
        // Only pairs where both points have a mid count: 30 → 30 → (none) → (none) → 31 → 33 gives |Δ| 0 and 2: std 1.
        WindowPoint[] gappy = [P(0, mid: 30), P(1, mid: 30), P(2), P(3), P(4, mid: 31)];
        Assert.Equal(0.2, TemporalFeatures.VolatilityRegime(P(5, mid: 33), gappy), Eps);
    }

    [Fact]
    public void Stability_uses_the_last_three_changes_between_history_points_not_the_current()
    {
        // History mids 40, 50, 51, 53, 54: last three changes 1, 2, 1 → mean 4/3.
        double[] mids = [40, 50, 51, 53, 54];
        var history = mids.Select((m, i) => P(i, mid: m)).ToArray();
        double expected = 1 - (4 / 3.0) / 5;
        Assert.Equal(expected, TemporalFeatures.PriceStability(history), Eps);
        // The current point's mid does not enter.
        Assert.Equal(expected, F(Features(P(5, mid: 90), history), L.PriceStability), Eps);
    }

    [Fact]
    public void Stability_with_exactly_three_history_points_has_two_changes()
    {
        WindowPoint[] history = [P(0, mid: 50), P(1, mid: 52), P(2, mid: 51)]; // changes 2, 1
        Assert.Equal(1 - 1.5 / 5, TemporalFeatures.PriceStability(history), Eps);
        Assert.Equal(0.5, TemporalFeatures.PriceStability(history[..2]));
    }

    [Fact]
    public void Stability_defaults_without_mids_and_floors_at_zero()
    {
        Assert.Equal(0.5, TemporalFeatures.PriceStability([P(0), P(1), P(2), P(3)]));
        Assert.Equal(0.0, TemporalFeatures.PriceStability([P(0, mid: 10), P(1, mid: 30), P(2, mid: 60), P(3, mid: 20)]));
    }

    [Fact]
    public void Activity_score_is_log_volume_over_1000_per_market()
    {
        Assert.Equal(Math.Log(1001) / 1000, TemporalFeatures.ActivityScore(1000), Eps);
        Assert.Equal(0.0, TemporalFeatures.ActivityScore(0));
        Assert.Equal(3 * Math.Log(1001) / 1000, TemporalFeatures.ActivityScore(3, 1000), Eps);
        Assert.Equal(1.0, TemporalFeatures.ActivityScore(1000, 1e6));
    }

    [Fact]
    public void Destination_must_hold_10_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => TemporalFeatures.Write(P(0), [], 0, new double[9]));
        Assert.Contains("need 10 slots, got 9", ex.Message);
    }
}
