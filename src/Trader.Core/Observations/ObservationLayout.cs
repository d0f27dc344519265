namespace Trader.Core.Observations;

/// <summary>
/// The 52 float32 inputs the policy was trained on (original-system.md §9): 26 market features (0–25), 10 temporal
/// (26–35), 11 portfolio (36–46) and 5 order features (47–51), in this order. Use these names instead of bare indices;
/// the original's QuantHardCoded policy read stale indices (§10.2).
/// </summary>
public static class ObservationLayout
{
    public const int Length = 52;
    public const int MarketStart = 0, MarketCount = 26;
    public const int TemporalStart = 26, TemporalCount = 10;
    public const int PortfolioStart = 36, PortfolioCount = 11;
    public const int OrderStart = 47, OrderCount = 5;

    // Market (§9.2)
    public const int BestYesBid = 0;
    public const int BestYesAsk = 1;
    public const int BestNoBid = 2;
    public const int BestNoAsk = 3;
    public const int YesMidPrice = 4;
    public const int NoMidPrice = 5;
    public const int YesSpread = 6;
    public const int NoSpread = 7;
    public const int YesSpreadPct = 8;
    public const int NoSpreadPct = 9;
    public const int YesSpreadRegime = 10;
    public const int NoSpreadRegime = 11;
    public const int YesBreakevenMove = 12;
    public const int NoBreakevenMove = 13;
    public const int TotalVolume = 14;
    public const int VolumeImbalance = 15;
    public const int YesSideImbalance = 16;
    public const int NoSideImbalance = 17;
    public const int BidAskDepthRatio = 18;
    public const int YesNoConsistency = 19;
    public const int YesMicroprice = 20;
    public const int NoMicroprice = 21;
    public const int YesBookDepth = 22;
    public const int NoBookDepth = 23;
    public const int YesLiquidityConcentration = 24;
    public const int NoLiquidityConcentration = 25;

    // Temporal (§9.3)
    public const int TimeSinceLastUpdate = 26;
    public const int TimeOfDay = 27;
    public const int CurrentActivityScore = 28;
    public const int ActivityChange = 29;
    public const int UpdateFrequency = 30;
    public const int ActivityBurst = 31;
    public const int ActivityTrend = 32;
    public const int PriceMomentum = 33;
    public const int VolatilityRegime = 34;
    public const int PriceStability = 35;

    // Portfolio (§9.4)
    public const int CashRatio = 36;
    public const int PositionRatio = 37;
    public const int PositionCount = 38;
    public const int AveragePositionSize = 39;
    public const int LongPositionRatio = 40;
    public const int ShortPositionRatio = 41;
    public const int NetPositionBias = 42;
    public const int PositionConcentration = 43;
    public const int LargestPosition = 44;
    public const int UnrealizedPnlRatio = 45;
    public const int Leverage = 46;

    // Orders (§9.5)
    public const int HasOpenBuy = 47;
    public const int HasOpenSell = 48;
    public const int TimeSinceOrder = 49;
    public const int OrderReserved1 = 50;
    public const int OrderReserved2 = 51;

    private static readonly string[] Names =
    [
        "best_yes_bid_norm", "best_yes_ask_norm", "best_no_bid_norm", "best_no_ask_norm",
        "yes_mid_price_norm", "no_mid_price_norm", "yes_spread_cents", "no_spread_cents",
        "yes_spread_pct", "no_spread_pct", "yes_spread_regime", "no_spread_regime",
        "yes_breakeven_move", "no_breakeven_move", "total_volume_norm", "volume_imbalance",
        "yes_side_imbalance", "no_side_imbalance", "bid_ask_depth_ratio", "yes_no_consistency",
        "yes_microprice_norm", "no_microprice_norm", "yes_book_depth_norm", "no_book_depth_norm",
        "yes_liquidity_concentration", "no_liquidity_concentration",
        "time_since_last_update", "time_of_day_norm", "current_activity_score", "activity_change",
        "update_frequency", "activity_burst_indicator", "activity_trend", "price_momentum",
        "volatility_regime", "price_stability",
        "cash_ratio", "position_ratio", "position_count_norm", "average_position_size_norm",
        "long_position_ratio", "short_position_ratio", "net_position_bias", "position_concentration",
        "largest_position_norm", "unrealized_pnl_ratio", "leverage",
        "has_open_buy", "has_open_sell", "time_since_order", "order_reserved_1", "order_reserved_2",
    ];

    /// <summary>The training code's name of a feature.</summary>
    public static string NameOf(int index) => Names[index];
}
