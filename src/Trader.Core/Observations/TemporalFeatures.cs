using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Observations;

/// <summary>
/// Features 26–35 of the observation (original-system.md §9.3) from the current point and the market's earlier points,
/// with the training semantics of their inputs (§9.6):
/// <list type="bullet">
/// <item><b>activity score</b> = min(1, n_markets × ln(1 + total_volume) / 1000). Live there is one market per
/// observation, so <c>n_markets</c> = 1 and <c>total_volume</c> is that market's Σ of the sizes of its four price maps
/// (YES bids, YES asks, NO bids, NO asks) in contracts — with Kalshi's one book, twice the resting volume. Training
/// grouped the markets that updated at the same millisecond into one point; a single-market session gave 1 too.</item>
/// <item><b>momentum</b> from the last three defined YES mids of the market (<see cref="MarketWindow.Momentum"/>).</item>
/// <item><b>mid-price history</b>: every point carries its YES mid in cents (NaN when one side is missing), which
/// feeds volatility (34) and stability (35).</item>
/// </list>
/// The original live adapter left all three at zero / empty (28, 29, 31, 32, 33 = 0, 34 = 0.1, 35 = 0.5 always); that
/// behaviour is available as <see cref="TemporalInputs.OriginalLive"/> for parity checks against the Python trader.
/// <para>
/// Details kept from the training code: update frequency uses the last five history points; the burst and trend
/// features use the last ten history points plus the current one (population standard deviation, least-squares slope
/// over the index); volatility uses the last five history points plus the current one and needs five history points;
/// stability uses the three most recent changes between consecutive <i>history</i> points (the current point is not
/// part of it) and needs three history points. Mid changes are only taken between two points that both have a mid.
/// </para>
/// <para>
/// Numerical detail (a deliberate, sub-ulp deviation): the burst test and the trend slope are computed on values
/// shifted by the current (resp. first) score, which is mathematically the same but makes a constant series give
/// exactly "no burst" and a zero slope instead of depending on rounding in the mean.
/// </para>
/// </summary>
public static class TemporalFeatures
{
    /// <summary>Gap at which <see cref="L.TimeSinceLastUpdate"/> saturates: 300 s.</summary>
    public const double MaxGapSeconds = 300.0;

    /// <summary>Update rate at which <see cref="L.UpdateFrequency"/> saturates: 2 per second.</summary>
    public const double MaxUpdatesPerSecond = 2.0;

    /// <summary>Mid-price change (cents) at which volatility saturates and stability reaches 0: 5¢.</summary>
    public const double MaxPriceChangeCents = 5.0;

    /// <summary>Writes features 26–35 into <paramref name="features"/>[0..10).</summary>
    /// <param name="current">This observation's point.</param>
    /// <param name="history">Earlier points of the same market, oldest first (the window without the current point).</param>
    /// <param name="momentum">The current momentum input (§9.6), in [−1, 1].</param>
    /// <param name="features">Destination, at least 10 slots.</param>
    public static void Write(in WindowPoint current, ReadOnlySpan<WindowPoint> history, double momentum, Span<double> features)
    {
        if (features.Length < L.TemporalCount)
            throw new ArgumentException($"temporal features need {L.TemporalCount} slots, got {features.Length}", nameof(features));
        const int o = L.TemporalStart;

        double gap = history.Length > 0 ? (current.TimestampMs - history[^1].TimestampMs) / 1000.0 : 0.0;
        if (!(gap > 0)) gap = 0.0;
        features[L.TimeSinceLastUpdate - o] = Math.Min(gap / MaxGapSeconds, 1.0);
        features[L.TimeOfDay - o] = TimeOfDay(current.TimestampMs);

        double activity = current.ActivityScore;
        features[L.CurrentActivityScore - o] = activity;
        features[L.ActivityChange - o] = history.Length >= 1 ? Math.Tanh(activity - history[^1].ActivityScore) : 0.0;
        features[L.UpdateFrequency - o] = UpdateFrequency(current, history);

        // W = history[-10:] + [current]
        var recent = history.Length > 10 ? history[^10..] : history;
        features[L.ActivityBurst - o] = ActivityBurst(activity, recent);
        features[L.ActivityTrend - o] = ActivityTrend(activity, recent);

        features[L.PriceMomentum - o] = momentum;
        features[L.VolatilityRegime - o] = VolatilityRegime(current, history);
        features[L.PriceStability - o] = PriceStability(history);
    }

    /// <summary>The activity score of §9.6 for one market: min(1, ln(1 + total volume in contracts) / 1000).</summary>
    public static double ActivityScore(double totalVolumeContracts) => ActivityScore(1, totalVolumeContracts);

    /// <summary>The activity score of §9.6: min(1, n_markets × ln(1 + total_volume) / 1000).</summary>
    public static double ActivityScore(int markets, double totalVolumeContracts) =>
        Math.Min(1.0, markets * Math.Log(1 + totalVolumeContracts) / 1000.0);

    /// <summary>UTC hour h of the time: (h − 9) / 7 for 9 ≤ h ≤ 16, else 0 (the original used UTC hours despite the "market hours" comment).</summary>
    public static double TimeOfDay(long timestampMs)
    {
        int hour = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime.Hour;
        return hour is >= 9 and <= 16 ? (hour - 9) / 7.0 : 0.0;
    }

    /// <summary>
    /// Updates per second over the last (up to) five history points, R: min(|R| / max(span s, 1) / 2, 1) with span from
    /// R's first point to the current one; 0.1 with fewer than two history points.
    /// </summary>
    public static double UpdateFrequency(in WindowPoint current, ReadOnlySpan<WindowPoint> history)
    {
        if (history.Length < 2) return 0.1;
        var r = history.Length >= 5 ? history[^5..] : history;
        double span = (current.TimestampMs - r[0].TimestampMs) / 1000.0;
        double frequency = r.Length / Math.Max(span, 1.0);
        return Math.Min(frequency / MaxUpdatesPerSecond, 1.0);
    }

    /// <summary>1 when the current score exceeds mean + 1.5 × (population) std of recent + current, with at least 3 values; else 0.</summary>
    public static double ActivityBurst(double current, ReadOnlySpan<WindowPoint> recent)
    {
        int n = recent.Length + 1;
        if (n < 3) return 0.0;
        // Shift by the current value: d_i = x_i − current (the current one contributes 0).
        double sum = 0;
        foreach (var p in recent) sum += p.ActivityScore - current;
        double mean = sum / n;
        double squares = mean * mean; // the current value's (0 − mean)²
        foreach (var p in recent)
        {
            double d = p.ActivityScore - current - mean;
            squares += d * d;
        }
        double std = Math.Sqrt(squares / n);
        // current > mean_x + 1.5 std  ⇔  0 > mean_d + 1.5 std
        return 0 > mean + 1.5 * std ? 1.0 : 0.0;
    }

    /// <summary>tanh(10 × least-squares slope of the scores over their index), recent + current, with at least 5 values; else 0.</summary>
    public static double ActivityTrend(double current, ReadOnlySpan<WindowPoint> recent)
    {
        int n = recent.Length + 1;
        if (n < 5) return 0.0;
        double origin = recent[0].ActivityScore;
        double xMean = (n - 1) / 2.0;
        double yMean = 0;
        for (int i = 0; i < n; i++) yMean += Score(recent, current, i) - origin;
        yMean /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = i - xMean;
            sxy += dx * (Score(recent, current, i) - origin - yMean);
            sxx += dx * dx;
        }
        return Math.Tanh(sxy / sxx * 10.0);
    }

    /// <summary>
    /// min(std(|Δ YES mid|) / 5¢, 1) over the consecutive pairs of history[-5:] + current that both have a mid, with
    /// at least five history points; 0.1 without five history points or without any such pair.
    /// </summary>
    public static double VolatilityRegime(in WindowPoint current, ReadOnlySpan<WindowPoint> history)
    {
        if (history.Length < 5) return 0.1;
        var r = history[^5..];
        // Six points, at most five changes.
        Span<double> changes = stackalloc double[5];
        int n = 0;
        for (int i = 1; i <= r.Length; i++)
        {
            var previous = r[i - 1];
            var next = i < r.Length ? r[i] : current;
            if (previous.HasYesMid && next.HasYesMid) changes[n++] = Math.Abs(next.YesMidCents - previous.YesMidCents);
        }
        if (n == 0) return 0.1;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += changes[i];
        mean /= n;
        double squares = 0;
        for (int i = 0; i < n; i++) squares += (changes[i] - mean) * (changes[i] - mean);
        double std = Math.Sqrt(squares / n);
        return Math.Min(std / MaxPriceChangeCents, 1.0);
    }

    /// <summary>
    /// max(0, 1 − mean(|Δ YES mid|) / 5¢) over the (up to) three most recent consecutive pairs of history points that
    /// both have a mid, with at least three history points; 0.5 otherwise or without any such pair.
    /// </summary>
    public static double PriceStability(ReadOnlySpan<WindowPoint> history)
    {
        if (history.Length < 3) return 0.5;
        double sum = 0;
        int n = 0;
        for (int i = Math.Max(1, history.Length - 3); i < history.Length; i++)
        {
            if (history[i - 1].HasYesMid && history[i].HasYesMid)
            {
                sum += Math.Abs(history[i].YesMidCents - history[i - 1].YesMidCents);
                n++;
            }
        }
        if (n == 0) return 0.5;
        return Math.Max(0.0, 1.0 - sum / n / MaxPriceChangeCents);
    }

    private static double Score(ReadOnlySpan<WindowPoint> recent, double current, int i) =>
        i < recent.Length ? recent[i].ActivityScore : current;
}
