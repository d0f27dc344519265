using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Kalshi.Api;

// The exchange's answers, mapped from Kalshi's wire shapes to Core types. These are what the trader sees of the
// exchange; the wire DTOs (snake_case, dollar strings) stay inside Trader.Kalshi.

/// <summary><c>GET /exchange/status</c>.</summary>
public sealed record ExchangeStatus(bool ExchangeActive, bool TradingActive, DateTimeOffset? EstimatedResumeTime = null);

/// <summary><c>GET /portfolio/balance</c>: <see cref="Cash"/> exact from <c>balance_dollars</c> when present, else the integer cents.</summary>
public sealed record AccountBalance(Money Cash, Money PortfolioValue, DateTimeOffset? UpdatedAt = null);

/// <summary>One row of <c>GET /portfolio/positions</c> (<c>market_positions</c>): the exchange's view of a position.</summary>
public sealed record ExchangePosition(
    string Ticker,
    Quantity Position,
    Money MarketExposure,
    Money RealizedPnl,
    Money FeesPaid,
    Money TotalTraded,
    DateTimeOffset? LastUpdated = null);

/// <summary>Kalshi's order status words: <c>resting</c>, <c>canceled</c>, <c>executed</c>.</summary>
public enum ExchangeOrderStatus
{
    Resting,
    Canceled,
    Executed,
}

/// <summary>An order as the exchange reports it (<c>GET /portfolio/orders</c>, the <c>user_orders</c> channel).</summary>
public sealed record ExchangeOrder(
    string OrderId,
    string? ClientOrderId,
    string Ticker,
    BookSide Side,
    Price YesPrice,
    ExchangeOrderStatus Status,
    Quantity InitialCount,
    Quantity FillCount,
    Quantity RemainingCount,
    Money TakerFees,
    Money MakerFees,
    Money TakerFillCost,
    Money MakerFillCost,
    DateTimeOffset? CreatedTime,
    DateTimeOffset? LastUpdateTime,
    DateTimeOffset? ExpirationTime = null);

/// <summary>One row of <c>GET /portfolio/settlements</c>. <see cref="Revenue"/> arrives in integer cents on the wire.</summary>
public sealed record Settlement(
    string Ticker,
    string? EventTicker,
    string MarketResult,
    Quantity YesCount,
    Money YesTotalCost,
    Quantity NoCount,
    Money NoTotalCost,
    Money Revenue,
    Money FeeCost,
    DateTimeOffset SettledTime);

/// <summary>A market from <c>GET /markets</c> or <c>GET /markets/{ticker}</c>. <see cref="Status"/> is the response vocabulary
/// (<c>active</c>, <c>closed</c>, <c>determined</c>, <c>finalized</c>, …).</summary>
public sealed record MarketInfo(
    string Ticker,
    string? EventTicker,
    string Status,
    TickGrid Grid,
    DateTimeOffset? OpenTime,
    DateTimeOffset? CloseTime,
    string? Result,
    Price? YesBid,
    Price? YesAsk,
    Price? LastPrice,
    Quantity Volume,
    Quantity OpenInterest,
    string? Title = null)
{
    public bool IsActive => Status == "active";
}

/// <summary><c>GET /markets/{ticker}/orderbook</c>: bids only, NO bids in NO-leg prices.</summary>
public sealed record OrderBookSnapshot(string Ticker, IReadOnlyList<Trader.Core.Books.BookLevel> YesBids, IReadOnlyList<Trader.Core.Books.BookLevel> NoBids);

/// <summary><c>GET /account/limits</c>: per-second token budgets of the read and write buckets.</summary>
public sealed record AccountLimits(string UsageTier, int ReadRefillRate, int ReadBucketCapacity, int WriteRefillRate, int WriteBucketCapacity);

/// <summary>A series' fees (<c>GET /series/{ticker}</c>).</summary>
public sealed record SeriesFees(string SeriesTicker, FeeSchedule Schedule);

public enum SelfTradePrevention
{
    TakerAtCross,
    Maker,
}

/// <summary>A V2 create (<c>POST /portfolio/events/orders</c>); the price is the YES-leg price.</summary>
public sealed record CreateOrderRequest(
    string Ticker,
    string ClientOrderId,
    BookSide Side,
    Price YesPrice,
    Quantity Count,
    TimeInForce TimeInForce = TimeInForce.GoodTillCanceled,
    SelfTradePrevention SelfTradePrevention = SelfTradePrevention.TakerAtCross,
    bool PostOnly = false,
    bool ReduceOnly = false,
    bool CancelOrderOnPause = false,
    DateTimeOffset? ExpirationTime = null)
{
    /// <summary>The request for a Core order (its client order id, side, YES price, count and flags).</summary>
    public static CreateOrderRequest From(Order order) => new(
        order.Ticker, order.ClientOrderId, order.Side, order.YesPrice, order.Count, order.TimeInForce,
        PostOnly: order.PostOnly, ReduceOnly: order.ReduceOnly, ExpirationTime: order.ExpiresAt);
}

/// <summary>The create answer (<c>CreateOrderV2Response</c>): immediate fills are included.</summary>
public sealed record OrderAck(
    string OrderId,
    string? ClientOrderId,
    Quantity FillCount,
    Quantity RemainingCount,
    Price? AverageFillPrice = null,
    Money? AverageFeePaid = null,
    DateTimeOffset? Timestamp = null);

/// <summary>A V2 amend: new YES price and new max fillable count (already filled + desired remaining).</summary>
public sealed record AmendOrderRequest(string OrderId, string Ticker, BookSide Side, Price YesPrice, Quantity Count,
    string? ClientOrderId = null, string? UpdatedClientOrderId = null);

/// <summary>A V2 decrease: exactly one of <see cref="ReduceBy"/> and <see cref="ReduceTo"/>.</summary>
public sealed record DecreaseOrderRequest(string OrderId, Quantity? ReduceBy, Quantity? ReduceTo, string? Ticker = null);

public sealed record DecreaseAck(string OrderId, string? ClientOrderId, Quantity RemainingCount, DateTimeOffset? Timestamp = null);

public sealed record CancelAck(string OrderId, string? ClientOrderId, Quantity ReducedBy, DateTimeOffset? Timestamp = null);

/// <summary>One element of a batch answer: each item succeeds or fails on its own.</summary>
public sealed record BatchItem<T>(string? ClientOrderId, string? OrderId, T? Value, KalshiError? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>Filters for <c>GET /portfolio/orders</c>; the client follows every page.</summary>
public sealed record OrderQuery(string? Ticker = null, ExchangeOrderStatus? Status = null, DateTimeOffset? MinTime = null, DateTimeOffset? MaxTime = null);

/// <summary>Filters for <c>GET /portfolio/fills</c>; the client follows every page.</summary>
public sealed record FillQuery(string? Ticker = null, string? OrderId = null, DateTimeOffset? MinTime = null, DateTimeOffset? MaxTime = null);

/// <summary>Filters for <c>GET /markets</c>. <see cref="Status"/> is the filter vocabulary (<c>open</c>, <c>closed</c>, <c>settled</c>, …).</summary>
public sealed record MarketQuery(string? Status = null, string? EventTicker = null, string? SeriesTicker = null, IReadOnlyList<string>? Tickers = null, int? MaxResults = null);
