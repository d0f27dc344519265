using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Events;

/// <summary>
/// Something that happened on the exchange, in the order it happened; what the WebSocket layer turns into
/// Kalshi's channel messages. Private events carry the <c>UserId</c> they belong to.
/// </summary>
public abstract record ExchangeEvent(DateTimeOffset Time);

/// <summary>
/// <c>orderbook_delta</c>: the size at one price of one leg changed by <see cref="Delta"/> (signed). <see cref="Leg"/>
/// YES = YES bids at the YES price; NO = NO bids at the NO-leg price (an ask at YES price p shows at 1 − p).
/// <see cref="UserId"/> and <see cref="ClientOrderId"/> name the owner of the order whose change this is; Kalshi
/// shows the client order id only to that owner.
/// </summary>
public sealed record OrderBookDelta(string Ticker, string MarketId, BookLeg Leg, Price Price, Quantity Delta,
    string? UserId, string? ClientOrderId, DateTimeOffset Time) : ExchangeEvent(Time);

/// <summary><c>trade</c>: one execution, public. <see cref="TakerSide"/> is the taker's book side (bid = bought YES).</summary>
public sealed record PublicTrade(string TradeId, string Ticker, Price YesPrice, Quantity Count, BookSide TakerSide, DateTimeOffset Time)
    : ExchangeEvent(Time)
{
    public Price NoPrice => YesPrice.Complement;

    /// <summary><c>taker_outcome_side</c>: <c>yes</c> for a bid, <c>no</c> for an ask.</summary>
    public ContractSide TakerOutcomeSide => TakerSide == BookSide.Bid ? ContractSide.Yes : ContractSide.No;
}

/// <summary><c>fill</c>: one execution of one of <see cref="UserId"/>'s orders (trade id = fill id; post position included).</summary>
public sealed record UserFill(string UserId, Fill Fill) : ExchangeEvent(Fill.Time);

/// <summary><c>market_position</c>: the user's position in a market after a change; <see cref="Volume"/> is Σ |fill counts|.</summary>
public sealed record PositionUpdated(string UserId, ExchangePosition Position, Quantity Volume, DateTimeOffset Time) : ExchangeEvent(Time);

/// <summary><c>user_order</c>: an order's state after a change and why it changed.</summary>
public sealed record OrderUpdated(string UserId, ExchangeOrder Order, OrderUpdateReason Reason, SelfTradePrevention SelfTradePrevention,
    DateTimeOffset Time) : ExchangeEvent(Time);

/// <summary>A settlement paid to a user (no Kalshi channel; the REST <c>/portfolio/settlements</c> row as it is created).</summary>
public sealed record UserSettled(string UserId, Settlement Settlement) : ExchangeEvent(Settlement.SettledTime);

/// <summary><c>ticker</c>: the market's top of book, last trade, volume or open interest changed.</summary>
public sealed record TickerUpdated(string Ticker, string MarketId, Price? YesBid, Quantity YesBidSize, Price? YesAsk, Quantity YesAskSize,
    Price? LastPrice, Quantity LastTradeSize, Quantity Volume, Quantity OpenInterest, DateTimeOffset Time) : ExchangeEvent(Time);

/// <summary>The <c>market_lifecycle_v2</c> event types this exchange produces.</summary>
public enum MarketLifecycleKind
{
    /// <summary>A paused market trades again (<c>activated</c>).</summary>
    Activated,

    /// <summary>The market is paused (<c>deactivated</c>, <c>is_deactivated: true</c>).</summary>
    Deactivated,

    /// <summary>The close time moved (<c>close_date_updated</c>, <c>close_ts</c>), e.g. an early close.</summary>
    CloseDateUpdated,

    /// <summary>The result is known (<c>determined</c>: <c>result</c>, <c>settlement_value</c>, <c>determination_ts</c>).</summary>
    Determined,

    /// <summary>Paid out (<c>settled</c>, <c>settled_ts</c>).</summary>
    Settled,
}

/// <summary><c>market_lifecycle_v2</c>. <see cref="CloseTime"/> for close_date_updated; <see cref="Result"/> and <see cref="SettlementValue"/> for determined.</summary>
public sealed record MarketLifecycleEvent(string Ticker, MarketLifecycleKind Kind, DateTimeOffset Time, DateTimeOffset? CloseTime = null,
    MarketResult? Result = null, Price? SettlementValue = null) : ExchangeEvent(Time)
{
    public string EventType => Kind switch
    {
        MarketLifecycleKind.Activated => "activated",
        MarketLifecycleKind.Deactivated => "deactivated",
        MarketLifecycleKind.CloseDateUpdated => "close_date_updated",
        MarketLifecycleKind.Determined => "determined",
        _ => "settled",
    };
}
