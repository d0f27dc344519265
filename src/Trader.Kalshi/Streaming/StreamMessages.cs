using Trader.Core.Books;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Kalshi.Streaming;

// What the WebSocket stream hands its consumer, in Core types. Book prices are always NO-leg prices for the NO side,
// whatever use_yes_price the subscription asked for (the session converts). Every message carries the sid it arrived
// on and the durable subscription id the session maps that sid to (stable across reconnects).

/// <summary>An <c>orderbook_snapshot</c>: all bids of one market (NO bids in NO-leg prices), ascending.</summary>
public sealed record OrderBookSnapshotMessage(int SubscriptionId, long Sid, long Seq, string Ticker, BookLevel[] YesBids, BookLevel[] NoBids);

/// <summary>
/// An <c>orderbook_delta</c>: the size at <see cref="Price"/> on <see cref="Leg"/> changes by <see cref="Delta"/>
/// (signed). A value type, parsed without allocation (the ticker string is interned).
/// <see cref="ClientOrderId"/> is present only when our own order caused the change.
/// </summary>
public readonly record struct OrderBookDeltaMessage(
    int SubscriptionId,
    long Sid,
    long Seq,
    string Ticker,
    BookLeg Leg,
    Price Price,
    Quantity Delta,
    long TimestampMs,
    string? ClientOrderId);

/// <summary>A <c>ticker</c> update: top of book, last price, volume.</summary>
public sealed record TickerMessage(
    int SubscriptionId,
    long Sid,
    string Ticker,
    Price LastPrice,
    Price YesBid,
    Price YesAsk,
    Quantity? YesBidSize,
    Quantity? YesAskSize,
    Quantity Volume,
    Quantity OpenInterest,
    DateTimeOffset? Time);

/// <summary>A public <c>trade</c>. <see cref="TakerSide"/> is the taker's YES-leg book side when Kalshi says it.</summary>
public sealed record TradeMessage(
    int SubscriptionId,
    long Sid,
    string TradeId,
    string Ticker,
    Price YesPrice,
    Quantity Count,
    BookSide? TakerSide,
    DateTimeOffset? Time);

/// <summary>A private <c>fill</c>: <see cref="Fill.PostPosition"/> is the exchange's position after it.</summary>
public sealed record FillMessage(int SubscriptionId, long Sid, Fill Fill);

/// <summary>A <c>market_position</c> update (the position's cost basis is Kalshi's <c>position_cost_dollars</c>).</summary>
public sealed record MarketPositionMessage(
    int SubscriptionId,
    long Sid,
    string Ticker,
    Quantity Position,
    Money PositionCost,
    Money RealizedPnl,
    Money FeesPaid,
    Quantity Volume);

/// <summary>
/// A <c>user_order</c> update. <see cref="Order"/> is null when <see cref="Status"/> is a word the exchange model does
/// not have (Kalshi's <c>unknown</c>); <see cref="LastUpdateReason"/> is e.g. <c>Trade</c>, <c>Amend</c>,
/// <c>PostOnlyCrossCancel</c>.
/// </summary>
public sealed record UserOrderMessage(int SubscriptionId, long Sid, string Status, ExchangeOrder? Order, string? LastUpdateReason);

/// <summary>
/// A <c>market_lifecycle_v2</c> frame (also <c>event_lifecycle</c> and <c>event_fee_update</c> on the same channel):
/// <see cref="EventType"/> is the lifecycle event (<c>created</c>, <c>determined</c>, <c>settled</c>, …) or the frame
/// type for the event-level messages. <see cref="Grid"/> is set when the event carries a price structure.
/// </summary>
public sealed record MarketLifecycleMessage(
    int SubscriptionId,
    long Sid,
    string MessageType,
    string EventType,
    string? Ticker,
    string? EventTicker,
    string? Result,
    Price? SettlementValue,
    TickGrid? Grid,
    DateTimeOffset? CloseTime,
    Wire.MarketLifecycleMsgDto? Market,
    Wire.EventLifecycleMsgDto? Event,
    Wire.EventFeeUpdateMsgDto? FeeUpdate);
