using System.Text.Json;
using System.Text.Json.Serialization;
using Trader.Core.Numbers;

namespace Trader.Kalshi.Wire;

// Kalshi's WebSocket shapes (asyncapi.yaml and kalshi-api.md §4). The client parses the hot frames (orderbook_delta,
// fill) with a Utf8JsonReader (StreamMessageParser); these records are the complete, serializable description of every
// frame for the simulated exchange, for tapes and for the colder channels.

/// <summary>Channel names and message types of the WebSocket API.</summary>
public static class StreamChannels
{
    public const string OrderbookDelta = "orderbook_delta";
    public const string Ticker = "ticker";
    public const string Trade = "trade";
    public const string Fill = "fill";
    public const string MarketPositions = "market_positions";
    public const string UserOrders = "user_orders";
    public const string OrderGroupUpdates = "order_group_updates";
    public const string MarketLifecycleV2 = "market_lifecycle_v2";
}

/// <summary>The <c>type</c> of server frames.</summary>
public static class StreamMessageTypes
{
    public const string Subscribed = "subscribed";
    public const string Unsubscribed = "unsubscribed";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string OrderbookSnapshot = "orderbook_snapshot";
    public const string OrderbookDelta = "orderbook_delta";
    public const string Ticker = "ticker";
    public const string Trade = "trade";
    public const string Fill = "fill";
    public const string MarketPosition = "market_position";
    public const string UserOrder = "user_order";
    public const string OrderGroupUpdates = "order_group_updates";
    public const string MarketLifecycleV2 = "market_lifecycle_v2";
    public const string EventLifecycle = "event_lifecycle";
    public const string EventFeeUpdate = "event_fee_update";
}

/// <summary>The <c>cmd</c> of client commands and the <c>action</c>s of <c>update_subscription</c>.</summary>
public static class StreamCommands
{
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string UpdateSubscription = "update_subscription";
    public const string ListSubscriptions = "list_subscriptions";

    public const string AddMarkets = "add_markets";
    public const string DeleteMarkets = "delete_markets";
    public const string GetSnapshot = "get_snapshot";
}

// ---- commands (client → server) ------------------------------------------------------------------------------

/// <summary><c>{"id":1,"cmd":"subscribe","params":{…}}</c>; <c>params</c> is omitted for <c>list_subscriptions</c>.</summary>
public sealed record StreamCommandDto<TParams>(
    [property: JsonPropertyOrder(0)] int Id,
    [property: JsonPropertyOrder(1)] string Cmd,
    [property: JsonPropertyOrder(2)] TParams? Params = default);

/// <summary>A command as the server reads it first: id and name, with the parameters still raw.</summary>
public sealed record StreamCommandEnvelopeDto(int Id, string Cmd, JsonElement? Params = null);

/// <summary><c>subscribe</c> parameters. Always send <c>use_yes_price</c> for <c>orderbook_delta</c> (its default will flip).</summary>
public sealed record SubscribeParamsDto(
    IReadOnlyList<string> Channels,
    string? MarketTicker = null,
    IReadOnlyList<string>? MarketTickers = null,
    IReadOnlyList<string>? MarketIds = null,
    bool? SendInitialSnapshot = null,
    bool? SkipTickerAck = null,
    bool? UseYesPrice = null);

public sealed record UnsubscribeParamsDto(IReadOnlyList<long> Sids);

/// <summary><c>update_subscription</c>: <c>sid</c> (or <c>sids</c> with exactly one), an action, and markets.</summary>
public sealed record UpdateSubscriptionParamsDto(
    [property: JsonPropertyOrder(2)] string Action,
    [property: JsonPropertyOrder(0)] long? Sid = null,
    [property: JsonPropertyOrder(1)] IReadOnlyList<long>? Sids = null,
    [property: JsonPropertyOrder(3)] IReadOnlyList<string>? MarketTickers = null,
    [property: JsonPropertyOrder(4)] string? MarketTicker = null,
    [property: JsonPropertyOrder(5)] bool? SendInitialSnapshot = null);

// ---- frames (server → client) --------------------------------------------------------------------------------

/// <summary>
/// Every server frame: <c>type</c>, optional command <c>id</c>, optional <c>sid</c>/<c>seq</c>, and <c>msg</c>.
/// <c>seq</c> is present on sequenced channels and on <c>ok</c>/<c>unsubscribed</c>/<c>error</c> replies that
/// concern a sequenced subscription.
/// </summary>
public sealed record StreamFrameDto<TMsg>(
    [property: JsonPropertyOrder(0)] string Type,
    [property: JsonPropertyOrder(4)] TMsg? Msg = default,
    [property: JsonPropertyOrder(1)] int? Id = null,
    [property: JsonPropertyOrder(2)] long? Sid = null,
    [property: JsonPropertyOrder(3)] long? Seq = null);

public sealed record SubscribedMsgDto(string Channel, long Sid);

/// <summary><c>ok</c> after <c>update_subscription</c>: the subscription's full market list.</summary>
public sealed record OkMarketsMsgDto(IReadOnlyList<string> MarketTickers);

/// <summary>One row of the <c>list_subscriptions</c> answer.</summary>
public sealed record SubscriptionInfoDto(string Channel, long Sid);

/// <summary>A command or subscription error: <c>{"code":7,"msg":"Unknown subscription ID"}</c>.</summary>
public sealed record StreamErrorMsgDto(int Code, string Msg, string? MarketTicker = null, IReadOnlyList<string>? MarketTickers = null);

/// <summary><c>orderbook_snapshot</c>: bids; a side's key is absent when it is empty. NO levels in NO-leg prices unless
/// the subscription asked for <c>use_yes_price</c>.</summary>
public sealed record OrderbookSnapshotMsgDto(
    string MarketTicker,
    string? MarketId = null,
    IReadOnlyList<PriceLevelDto>? YesDollarsFp = null,
    IReadOnlyList<PriceLevelDto>? NoDollarsFp = null,
    [property: JsonPropertyName("yes")] JsonElement? LegacyYes = null,
    [property: JsonPropertyName("no")] JsonElement? LegacyNo = null)
{
    /// <summary>
    /// Throws when the snapshot carries only the legacy integer levels (<c>yes</c>/<c>no</c> in cents): read as an
    /// empty book they would be a silent lie (kalshi-api.md §7 gotcha 2).
    /// </summary>
    public OrderbookSnapshotMsgDto EnsureFixedPoint()
    {
        if (YesDollarsFp is null && NoDollarsFp is null && (LegacyYes is not null || LegacyNo is not null))
            throw new KalshiWireException($"orderbook_snapshot of {MarketTicker}: only the legacy integer levels 'yes'/'no' are present, which are not read; expected 'yes_dollars_fp'/'no_dollars_fp'");
        return this;
    }
}

/// <summary><c>orderbook_delta</c>: a signed size change at one price of one side (<c>yes</c>/<c>no</c>).</summary>
public sealed record OrderbookDeltaMsgDto(
    string MarketTicker,
    Price PriceDollars,
    Quantity DeltaFp,
    string Side,
    string? MarketId = null,
    string? ClientOrderId = null,
    int? Subaccount = null,
    DateTimeOffset? Ts = null,
    long? TsMs = null);

public sealed record TickerMsgDto(
    string MarketTicker,
    Price PriceDollars,
    Price YesBidDollars,
    Price YesAskDollars,
    Quantity VolumeFp,
    Quantity OpenInterestFp,
    string? MarketId = null,
    Quantity? YesBidSizeFp = null,
    Quantity? YesAskSizeFp = null,
    Quantity? LastTradeSizeFp = null,
    long? DollarVolume = null,
    long? DollarOpenInterest = null,
    long? Ts = null,
    long? TsMs = null,
    DateTimeOffset? Time = null);

public sealed record TradeMsgDto(
    string TradeId,
    string MarketTicker,
    Price YesPriceDollars,
    Quantity CountFp,
    Price? NoPriceDollars = null,
    string? TakerBookSide = null,
    string? TakerOutcomeSide = null,
    string? TakerSide = null,
    bool? IsBlockTrade = null,
    long? Ts = null,
    long? TsMs = null);

/// <summary>A private fill. <c>post_position_fp</c> is the signed position after the fill (authoritative).</summary>
public sealed record FillMsgDto(
    string TradeId,
    string OrderId,
    string MarketTicker,
    bool IsTaker,
    Price YesPriceDollars,
    Quantity CountFp,
    Money FeeCost,
    Quantity PostPositionFp,
    string? BookSide = null,
    string? OutcomeSide = null,
    string? Side = null,
    string? Action = null,
    string? PurchasedSide = null,
    string? ClientOrderId = null,
    int? ExchangeIndex = null,
    int? Subaccount = null,
    long? Ts = null,
    long? TsMs = null);

/// <summary><c>market_position</c> (type singular, channel <c>market_positions</c>); money with four decimals.</summary>
public sealed record MarketPositionMsgDto(
    string MarketTicker,
    Quantity PositionFp,
    [property: MoneyFourDecimals] Money PositionCostDollars,
    [property: MoneyFourDecimals] Money RealizedPnlDollars,
    [property: MoneyFourDecimals] Money FeesPaidDollars,
    Quantity VolumeFp,
    string? UserId = null,
    [property: MoneyFourDecimals] Money? PositionFeeCostDollars = null,
    int? Subaccount = null);

/// <summary><c>user_order</c>: the REST order plus millisecond times and <c>last_update_reason</c>; <c>status</c> may be <c>unknown</c>.</summary>
public sealed record UserOrderMsgDto(
    string OrderId,
    string Ticker,
    string Status,
    Price YesPriceDollars,
    Quantity FillCountFp,
    Quantity RemainingCountFp,
    Quantity InitialCountFp,
    Money TakerFillCostDollars,
    Money MakerFillCostDollars,
    Money TakerFeesDollars,
    Money MakerFeesDollars,
    string? BookSide = null,
    string? OutcomeSide = null,
    string? Side = null,
    bool? IsYes = null,
    string? UserId = null,
    string? ClientOrderId = null,
    string? OrderGroupId = null,
    string? SelfTradePreventionType = null,
    DateTimeOffset? CreatedTime = null,
    long? CreatedTsMs = null,
    DateTimeOffset? LastUpdateTime = null,
    long? LastUpdatedTsMs = null,
    DateTimeOffset? ExpirationTime = null,
    long? ExpirationTsMs = null,
    string? LastUpdateReason = null,
    int? SubaccountNumber = null,
    int? ExchangeIndex = null);

/// <summary><c>market_lifecycle_v2</c>: <c>event_type</c> ∈ created, activated, deactivated, close_date_updated,
/// determined, settled, price_level_structure_updated, metadata_updated.</summary>
public sealed record MarketLifecycleMsgDto(
    string MarketTicker,
    string EventType,
    long? OpenTs = null,
    long? CloseTs = null,
    string? Result = null,
    long? DeterminationTs = null,
    Price? SettlementValue = null,
    long? SettledTs = null,
    bool? IsDeactivated = null,
    string? PriceLevelStructure = null,
    IReadOnlyList<PriceRangeDto>? PriceRanges = null,
    JsonElement? AdditionalMetadata = null,
    int? ExchangeIndex = null,
    string? StrikeType = null,
    decimal? FloorStrike = null,
    decimal? CapStrike = null,
    string? YesSubTitle = null);

public sealed record EventLifecycleMsgDto(
    string EventTicker,
    string? Title = null,
    string? Subtitle = null,
    string? CollateralReturnType = null,
    string? SeriesTicker = null,
    int? ExchangeIndex = null);

public sealed record EventFeeUpdateMsgDto(string EventTicker, string? FeeTypeOverride = null, decimal? FeeMultiplierOverride = null);

public sealed record OrderGroupUpdateMsgDto(string EventType, string OrderGroupId, Quantity? ContractsLimitFp = null, long? TsMs = null);
