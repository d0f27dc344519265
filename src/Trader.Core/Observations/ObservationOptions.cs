namespace Trader.Core.Observations;

/// <summary>Where the temporal inputs of §9.6 (activity score, momentum, mid-price history) come from.</summary>
public enum TemporalInputs
{
    /// <summary>Computed live exactly as training computed them (the default; the "training semantics").</summary>
    Computed,

    /// <summary>
    /// As the original live adapter: activity score and momentum 0 and no mid-price history, so features 28, 29, 31,
    /// 32, 33 are 0, 34 is 0.1 and 35 is 0.5 (§9.3 "live values"). For bit-parity checks against the Python trader
    /// (the §9.7 reference vectors and their logits); not for trading.
    /// </summary>
    OriginalLive,
}

/// <summary>Settings of an <see cref="ObservationBuilder"/>.</summary>
public sealed record ObservationOptions
{
    /// <summary>Points kept per market, the current one included (the original's <c>window_size</c>, 10).</summary>
    public int WindowSize { get; init; } = 10;

    /// <summary>See <see cref="Observations.TemporalInputs"/>; <see cref="TemporalInputs.Computed"/> by default.</summary>
    public TemporalInputs TemporalInputs { get; init; } = TemporalInputs.Computed;

    /// <summary>Markets to make room for up front (more are added as they come).</summary>
    public int ExpectedMarkets { get; init; } = 16;

    public static ObservationOptions Default { get; } = new();

    internal void Validate()
    {
        if (WindowSize < 1) throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "the observation window must hold at least one point");
        if (ExpectedMarkets < 0) throw new ArgumentOutOfRangeException(nameof(ExpectedMarkets), ExpectedMarkets, "expected markets cannot be negative");
        if (!Enum.IsDefined(TemporalInputs)) throw new ArgumentOutOfRangeException(nameof(TemporalInputs), TemporalInputs, "unknown temporal input source");
    }
}
