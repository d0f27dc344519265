namespace Trader.Exchange.Markets;

/// <summary>A market's lifecycle, in Kalshi's response vocabulary (kalshi-api.md §3.9, §5.5).</summary>
public enum MarketStatus
{
    /// <summary><c>initialized</c>: listed, not open yet.</summary>
    Initialized,

    /// <summary><c>active</c>: open for trading.</summary>
    Active,

    /// <summary><c>inactive</c>: paused; cancels only.</summary>
    Inactive,

    /// <summary><c>closed</c>: past close, result not known; no order operation at all.</summary>
    Closed,

    /// <summary><c>determined</c>: result known, payout pending.</summary>
    Determined,

    /// <summary><c>finalized</c>: settled and paid out.</summary>
    Finalized,
}

public static class MarketStatusExtensions
{
    public static string ToWire(this MarketStatus status) => status switch
    {
        MarketStatus.Initialized => "initialized",
        MarketStatus.Active => "active",
        MarketStatus.Inactive => "inactive",
        MarketStatus.Closed => "closed",
        MarketStatus.Determined => "determined",
        _ => "finalized",
    };

    /// <summary>True when <c>GET /markets?status=…</c> (filter vocabulary: unopened, open, paused, closed, settled) selects this status.</summary>
    public static bool MatchesFilter(this MarketStatus status, string filter) => filter switch
    {
        "unopened" => status == MarketStatus.Initialized,
        "open" => status == MarketStatus.Active,
        "paused" => status == MarketStatus.Inactive,
        "closed" => status is MarketStatus.Closed or MarketStatus.Determined,
        "settled" => status == MarketStatus.Finalized,
        _ => throw new ArgumentException($"unknown market status filter \"{filter}\" (expected unopened, open, paused, closed or settled)", nameof(filter)),
    };
}
