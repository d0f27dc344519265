using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Streaming;

/// <summary>
/// The WebSocket messages of the engine's events, in Kalshi's shapes (asyncapi.yaml, kalshi-api.md §4.4), built with
/// the shared wire DTOs. Pure: which subscriber gets what (own-order <c>client_order_id</c>, <c>use_yes_price</c>) is
/// passed in.
/// </summary>
public static class StreamFrames
{
    /// <summary>
    /// <c>orderbook_snapshot</c>: bids ascending (best last); a side's key is left out when it is empty. NO bids are in
    /// NO-leg prices, or in YES-leg prices (1 − p) for a <c>use_yes_price</c> subscription.
    /// </summary>
    public static OrderbookSnapshotMsgDto Snapshot(OrderBookSnapshot book, string? marketId, bool useYesPrice) => new(
        book.Ticker,
        marketId,
        book.YesBids.Count > 0 ? KalshiWireMapper.ToWireLevels(book.YesBids) : null,
        book.NoBids.Count > 0 ? KalshiWireMapper.ToWireLevels(book.NoBids, useYesPrice) : null);

    /// <summary>
    /// <c>orderbook_delta</c>; <paramref name="ownOrder"/> when the subscriber owns the order that changed the level: only
    /// then are <c>client_order_id</c> and <c>subaccount</c> included, as Kalshi shows them to the owner only.
    /// </summary>
    public static OrderbookDeltaMsgDto Delta(OrderBookDelta e, bool ownOrder, bool useYesPrice) => new(
        e.Ticker,
        e.Leg == BookLeg.No && useYesPrice ? e.Price.Complement : e.Price,
        e.Delta,
        e.Leg == BookLeg.Yes ? "yes" : "no",
        e.MarketId,
        ownOrder && !string.IsNullOrEmpty(e.ClientOrderId) ? e.ClientOrderId : null,
        ownOrder ? 0 : null,
        e.Time,
        e.Time.ToUnixTimeMilliseconds());

    public static TradeMsgDto Trade(PublicTrade t) => new(
        t.TradeId,
        t.Ticker,
        t.YesPrice,
        t.Count,
        t.NoPrice,
        t.TakerSide.ToWire(),
        KalshiWireMapper.OutcomeSideOf(t.TakerSide),
        KalshiWireMapper.OutcomeSideOf(t.TakerSide),
        IsBlockTrade: false,
        Ts: t.Time.ToUnixTimeSeconds(),
        TsMs: t.Time.ToUnixTimeMilliseconds());

    /// <summary>A ticker update; a missing bid, ask or last price is written as 0, as Kalshi writes its placeholders.</summary>
    public static TickerMsgDto Ticker(TickerUpdated t) => new(
        t.Ticker,
        t.LastPrice ?? Price.Zero,
        t.YesBid ?? Price.Zero,
        t.YesAsk ?? Price.Zero,
        t.Volume,
        t.OpenInterest,
        t.MarketId,
        t.YesBidSize,
        t.YesAskSize,
        t.LastTradeSize,
        Ts: t.Time.ToUnixTimeSeconds(),
        TsMs: t.Time.ToUnixTimeMilliseconds(),
        Time: t.Time);

    /// <summary>The ticker of a market as it stands (the <c>send_initial_snapshot</c> answer).</summary>
    public static TickerMsgDto Ticker(MarketInfo market, string? marketId, OrderBookSnapshot top, DateTimeOffset now)
    {
        BookLevel? bid = top.YesBids.Count > 0 ? top.YesBids[^1] : null;
        BookLevel? noBid = top.NoBids.Count > 0 ? top.NoBids[^1] : null;
        return new TickerMsgDto(
            market.Ticker,
            market.LastPrice ?? Price.Zero,
            bid?.Price ?? Price.Zero,
            noBid?.Price.Complement ?? Price.Zero,
            market.Volume,
            market.OpenInterest,
            marketId,
            bid?.Size ?? Quantity.Zero,
            noBid?.Size ?? Quantity.Zero,
            Ts: now.ToUnixTimeSeconds(),
            TsMs: now.ToUnixTimeMilliseconds(),
            Time: now);
    }

    public static FillMsgDto Fill(UserFill f) => KalshiWireMapper.ToWireMessage(f.Fill) with { Subaccount = 0 };

    public static MarketPositionMsgDto Position(PositionUpdated p) => new(
        p.Position.Ticker,
        p.Position.Position,
        p.Position.MarketExposure,
        p.Position.RealizedPnl,
        p.Position.FeesPaid,
        p.Volume,
        p.UserId,
        Subaccount: 0);

    public static UserOrderMsgDto UserOrder(OrderUpdated o) =>
        KalshiWireMapper.ToWireMessage(o.Order, o.UserId, o.Reason.ToWire()) with
        {
            SelfTradePreventionType = KalshiWireMapper.ToWire(o.SelfTradePrevention),
            ExchangeIndex = 0,
        };

    public static MarketLifecycleMsgDto Lifecycle(MarketLifecycleEvent e) => new(
        e.Ticker,
        e.EventType,
        CloseTs: e.Kind == MarketLifecycleKind.CloseDateUpdated ? e.CloseTime?.ToUnixTimeSeconds() : null,
        Result: e.Result switch { MarketResult.Yes => "yes", MarketResult.No => "no", _ => null },
        DeterminationTs: e.Kind == MarketLifecycleKind.Determined ? e.Time.ToUnixTimeSeconds() : null,
        SettlementValue: e.Kind == MarketLifecycleKind.Determined ? e.SettlementValue : null,
        SettledTs: e.Kind == MarketLifecycleKind.Settled ? e.Time.ToUnixTimeSeconds() : null,
        IsDeactivated: e.Kind switch { MarketLifecycleKind.Deactivated => true, MarketLifecycleKind.Activated => false, _ => null },
        ExchangeIndex: 0);

    /// <summary>A whole frame as UTF-8 JSON.</summary>
    public static byte[] Frame<TMsg>(string type, TMsg? msg, int? id = null, long? sid = null, long? seq = null) =>
        KalshiJson.SerializeToUtf8Bytes(new StreamFrameDto<TMsg>(type, msg, id, sid, seq));

    /// <summary>An error frame (<c>{"type":"error","id":…,"msg":{"code":…,"msg":…}}</c>).</summary>
    public static byte[] Error(int? id, StreamError error, long? sid = null, long? seq = null, string? marketTicker = null) =>
        Frame(StreamMessageTypes.Error, new StreamErrorMsgDto(error.Code, error.Message, marketTicker), id, sid, seq);
}

/// <summary>Kalshi's WebSocket error codes and messages (kalshi-api.md §4.3, asyncapi.yaml) that this exchange sends.</summary>
public readonly record struct StreamError(int Code, string Message)
{
    public static readonly StreamError UnableToProcess = new(1, "Unable to process message");
    public static readonly StreamError ParamsRequired = new(2, "Params required");
    public static readonly StreamError ChannelsRequired = new(3, "Channels required");
    public static readonly StreamError SidsRequired = new(4, "Subscription IDs required");
    public static readonly StreamError UnknownCommand = new(5, "Unknown command");
    public static readonly StreamError UnknownSid = new(7, "Unknown subscription ID");
    public static readonly StreamError UnknownChannel = new(8, "Unknown channel name");
    public static readonly StreamError InvalidParameter = new(11, "Invalid parameter");
    public static readonly StreamError ExactlyOneSid = new(12, "Exactly one subscription ID is required");
    public static readonly StreamError UnsupportedAction = new(13, "Unsupported action");
    public static readonly StreamError MarketTickerRequired = new(14, "Market Ticker required");
    public static readonly StreamError ActionRequired = new(15, "Action required");
    public static readonly StreamError MarketNotFound = new(16, "Market not found");
    public static readonly StreamError BufferOverflow = new(25, "Subscription buffer overflow");
}
