using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Observations;

/// <summary>What the observation needs to know about the trader's open orders in the observed market (§1.5).</summary>
/// <param name="HasOpenBuy">Any open buy order, YES or NO.</param>
/// <param name="HasOpenSell">Any open sell order, YES or NO.</param>
/// <param name="NewestPlacedAt">When the most recently placed open order was placed; null when there is none.</param>
public readonly record struct OpenOrderState(bool HasOpenBuy, bool HasOpenSell, DateTimeOffset? NewestPlacedAt)
{
    public static OpenOrderState None => default;
}

/// <summary>
/// Features 47–51 (§9.5): has open buy, has open sell, time since the newest open order, and two reserved zeros — the
/// live trader's values (training fed zeros; the live vector is what the deployed model sees).
/// </summary>
public static class OrderFeatures
{
    /// <summary>Age at which <see cref="L.TimeSinceOrder"/> saturates: 300 s.</summary>
    public const double MaxOrderAgeSeconds = 300.0;

    /// <summary>Writes features 47–51 into <paramref name="features"/>[0..5).</summary>
    /// <remarks>
    /// The age is min((now − newest placed) / 300 s, 1), and 0 without open orders. Unlike the original it is also
    /// floored at 0, so an order stamped slightly in the future (clock skew between the order's and the caller's
    /// clock) reads as brand new rather than as a negative age.
    /// </remarks>
    public static void Write(in OpenOrderState orders, DateTimeOffset now, Span<double> features)
    {
        if (features.Length < L.OrderCount)
            throw new ArgumentException($"order features need {L.OrderCount} slots, got {features.Length}", nameof(features));
        const int o = L.OrderStart;
        features[L.HasOpenBuy - o] = orders.HasOpenBuy ? 1.0 : 0.0;
        features[L.HasOpenSell - o] = orders.HasOpenSell ? 1.0 : 0.0;
        features[L.TimeSinceOrder - o] = orders.NewestPlacedAt is { } placed
            ? Math.Clamp((now - placed).TotalSeconds / MaxOrderAgeSeconds, 0.0, 1.0)
            : 0.0;
        features[L.OrderReserved1 - o] = 0.0;
        features[L.OrderReserved2 - o] = 0.0;
    }
}
