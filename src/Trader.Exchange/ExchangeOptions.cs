using Trader.Core.Numbers;

namespace Trader.Exchange;

/// <summary>Settings of a simulated exchange session.</summary>
public sealed record ExchangeOptions
{
    /// <summary>Seeds every random choice (ids, drawn results): the same seed and the same calls give the same session.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The member's balance precision for Kalshi's fee rounding (kalshi-api.md §5.4): $0.0001 for direct members (the
    /// default, what the demo's fills show), $0.01 otherwise.
    /// </summary>
    public Money BalancePrecision { get; init; } = Money.OneCentiCent;

    /// <summary>Finished orders and fills remembered per account, and trades per market (Kalshi moves older ones to /historical).</summary>
    public int HistoryLimit { get; init; } = 10_000;

    public void Validate()
    {
        if (!BalancePrecision.IsPositive) throw new ArgumentOutOfRangeException(nameof(BalancePrecision), "the balance precision must be positive");
        if (HistoryLimit < 1) throw new ArgumentOutOfRangeException(nameof(HistoryLimit), "the history limit must be at least 1");
    }
}
