using System.Text.Json;
using System.Text.Json.Serialization;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Kalshi.Wire;

// Kalshi's REST shapes (openapi.yaml 3.21 and kalshi-api.md §3), one record per schema, named after the schema with a
// "Dto" suffix. Constructor parameters without a default are required on the wire; the rest are optional.
// Enum-like fields of responses stay strings (Kalshi adds words: the mapper turns them into Core enums and names the
// field when a word is unknown); request enums are typed, as Kalshi validates them.

/// <summary>One book level on the wire: a two-element array <c>["0.4700","3.00"]</c> (price, count).</summary>
[JsonConverter(typeof(PriceLevelJsonConverter))]
public readonly record struct PriceLevelDto(Price Price, Quantity Count);

/// <summary>Reads and writes <see cref="PriceLevelDto"/> as <c>[price, count]</c>.</summary>
public sealed class PriceLevelJsonConverter : JsonConverter<PriceLevelDto>
{
    public override PriceLevelDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new WireTypeMismatchException(WireTypeMismatchException.Describe(reader.TokenType), "[price, count] array");
        var prices = (JsonConverter<Price>)options.GetConverter(typeof(Price));
        var counts = (JsonConverter<Quantity>)options.GetConverter(typeof(Quantity));
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray) throw new JsonException("a book level needs [price, count]; it is empty");
        var price = prices.Read(ref reader, typeof(Price), options);
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray) throw new JsonException("a book level needs [price, count]; the count is missing");
        var count = counts.Read(ref reader, typeof(Quantity), options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw new JsonException("a book level has more than two elements");
        return new PriceLevelDto(price, count);
    }

    public override void Write(Utf8JsonWriter writer, PriceLevelDto value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        ((JsonConverter<Price>)options.GetConverter(typeof(Price))).Write(writer, value.Price, options);
        ((JsonConverter<Quantity>)options.GetConverter(typeof(Quantity))).Write(writer, value.Count, options);
        writer.WriteEndArray();
    }
}

// ---- errors (§3.12) -----------------------------------------------------------------------------------------

/// <summary>Kalshi's <c>ErrorResponse</c> (flat shape, and the inside of the nested shape).</summary>
public sealed record ErrorResponseDto(string? Code = null, string? Message = null, string? Details = null, string? Service = null);

/// <summary>The nested shape most 4xx use: <c>{"error":{"code","message","details","service"}}</c>.</summary>
public sealed record ErrorEnvelopeDto(ErrorResponseDto Error);

/// <summary>The bare shape of query-parameter validation failures: <c>{"msg":"…"}</c>.</summary>
public sealed record BareErrorDto(string Msg);

/// <summary>The 429 shape: <c>{"error":"too many requests"}</c> (<c>error</c> is a string).</summary>
public sealed record RateLimitErrorDto(string Error);

// ---- exchange and account -----------------------------------------------------------------------------------

public sealed record ExchangeStatusDto(
    bool ExchangeActive,
    bool TradingActive,
    DateTimeOffset? ExchangeEstimatedResumeTime = null,
    bool? IntraExchangeTransfersActive = null);

public sealed record IndexedBalanceDto(int ExchangeIndex, [property: MoneyFourDecimals] Money Balance);

/// <summary><c>balance</c> and <c>portfolio_value</c> are integer cents; <c>balance_dollars</c> is exact.</summary>
public sealed record GetBalanceResponseDto(
    long Balance,
    long PortfolioValue,
    long UpdatedTs,
    [property: MoneyFourDecimals] Money? BalanceDollars = null,
    IReadOnlyList<IndexedBalanceDto>? BalanceBreakdown = null);

public sealed record BucketLimitDto(int RefillRate, int BucketCapacity);

public sealed record ApiUsageLevelGrantDto(string ExchangeInstance, string Level, string Source, long? ExpiresTs = null);

public sealed record GetAccountApiLimitsResponseDto(
    string UsageTier,
    BucketLimitDto Read,
    BucketLimitDto Write,
    IReadOnlyList<ApiUsageLevelGrantDto>? Grants = null);

public sealed record EndpointTokenCostDto(string Method, string Path, int Cost);

public sealed record GetAccountEndpointCostsResponseDto(int DefaultCost, IReadOnlyList<EndpointTokenCostDto> EndpointCosts);

// ---- portfolio ------------------------------------------------------------------------------------------------

/// <summary>A <c>market_positions</c> row. <c>last_updated_ts</c> is an RFC 3339 string despite its name.</summary>
public sealed record MarketPositionDto(
    string Ticker,
    Quantity PositionFp,
    Money MarketExposureDollars,
    Money RealizedPnlDollars,
    Money FeesPaidDollars,
    Money TotalTradedDollars,
    DateTimeOffset? LastUpdatedTs = null,
    int? RestingOrdersCount = null,
    int? ExchangeIndex = null);

public sealed record EventPositionDto(
    string EventTicker,
    Money TotalCostDollars,
    Quantity TotalCostSharesFp,
    Money EventExposureDollars,
    Money RealizedPnlDollars,
    Money FeesPaidDollars);

public sealed record GetPositionsResponseDto(
    IReadOnlyList<MarketPositionDto>? MarketPositions,
    IReadOnlyList<EventPositionDto>? EventPositions,
    string? Cursor = null);

/// <summary>
/// Kalshi's <c>Order</c>. The direction is <c>book_side</c> (V2); <c>outcome_side</c> and the deprecated
/// <c>side</c>/<c>action</c> are fallbacks (V2 orders read back with <c>side:"yes"</c> whatever their direction).
/// </summary>
public sealed record OrderDto(
    string OrderId,
    string Ticker,
    string Status,
    Price YesPriceDollars,
    Quantity FillCountFp,
    Quantity RemainingCountFp,
    Quantity InitialCountFp,
    Money TakerFeesDollars,
    Money MakerFeesDollars,
    Money TakerFillCostDollars,
    Money MakerFillCostDollars,
    string? BookSide = null,
    string? OutcomeSide = null,
    string? UserId = null,
    string? ClientOrderId = null,
    Price? NoPriceDollars = null,
    string? Side = null,
    string? Action = null,
    string? Type = null,
    DateTimeOffset? CreatedTime = null,
    DateTimeOffset? LastUpdateTime = null,
    DateTimeOffset? ExpirationTime = null,
    string? SelfTradePreventionType = null,
    string? OrderGroupId = null,
    bool? CancelOrderOnPause = null,
    int? SubaccountNumber = null,
    int? ExchangeIndex = null);

public sealed record GetOrdersResponseDto(IReadOnlyList<OrderDto> Orders, string? Cursor = null);

public sealed record GetOrderResponseDto(OrderDto Order);

/// <summary>
/// Kalshi's <c>Fill</c>. <c>fill_id</c>/<c>trade_id</c> and <c>ticker</c>/<c>market_ticker</c> are aliases (one of each
/// is required by the mapper); <c>client_order_id</c> left REST fills on 2026-03-30.
/// </summary>
public sealed record FillDto(
    string OrderId,
    Quantity CountFp,
    Price YesPriceDollars,
    bool IsTaker,
    Money FeeCost,
    string? FillId = null,
    string? TradeId = null,
    string? Ticker = null,
    string? MarketTicker = null,
    string? BookSide = null,
    string? OutcomeSide = null,
    Price? NoPriceDollars = null,
    string? Side = null,
    string? Action = null,
    DateTimeOffset? CreatedTime = null,
    long? Ts = null,
    int? SubaccountNumber = null,
    int? ExchangeIndex = null,
    string? ClientOrderId = null);

public sealed record GetFillsResponseDto(IReadOnlyList<FillDto> Fills, string? Cursor = null);

/// <summary>A settlement. <c>revenue</c> and <c>value</c> are integer cents; <c>fee_cost</c> is dollars.</summary>
public sealed record SettlementDto(
    string Ticker,
    string MarketResult,
    Quantity YesCountFp,
    Money YesTotalCostDollars,
    Quantity NoCountFp,
    Money NoTotalCostDollars,
    long Revenue,
    Money FeeCost,
    DateTimeOffset SettledTime,
    string? EventTicker = null,
    long? Value = null);

public sealed record GetSettlementsResponseDto(IReadOnlyList<SettlementDto> Settlements, string? Cursor = null);

// ---- markets --------------------------------------------------------------------------------------------------

public sealed record PriceRangeDto(Price Start, Price End, Price Step);

/// <summary>
/// Kalshi's <c>Market</c>: the fields the trader reads are required (so a removed field is an error, not a zero);
/// everything else is optional and carried for the simulated exchange to fill in.
/// </summary>
public sealed record MarketDto(
    string Ticker,
    string EventTicker,
    string Status,
    Price YesBidDollars,
    Price YesAskDollars,
    Price LastPriceDollars,
    Quantity VolumeFp,
    Quantity OpenInterestFp,
    string? MarketType = null,
    string? Title = null,
    string? Subtitle = null,
    string? YesSubTitle = null,
    string? NoSubTitle = null,
    DateTimeOffset? CreatedTime = null,
    DateTimeOffset? UpdatedTime = null,
    DateTimeOffset? OpenTime = null,
    DateTimeOffset? CloseTime = null,
    DateTimeOffset? ExpectedExpirationTime = null,
    DateTimeOffset? ExpirationTime = null,
    DateTimeOffset? LatestExpirationTime = null,
    int? SettlementTimerSeconds = null,
    Price? NoBidDollars = null,
    Price? NoAskDollars = null,
    Quantity? YesBidSizeFp = null,
    Quantity? YesAskSizeFp = null,
    Price? PreviousYesBidDollars = null,
    Price? PreviousYesAskDollars = null,
    Price? PreviousPriceDollars = null,
    [property: JsonPropertyName("volume_24h_fp")] Quantity? Volume24hFp = null,
    [property: MoneyFourDecimals] Money? NotionalValueDollars = null,
    [property: MoneyFourDecimals] Money? LiquidityDollars = null,
    string? Result = null,
    bool? CanCloseEarly = null,
    string? ExpirationValue = null,
    Price? SettlementValueDollars = null,
    DateTimeOffset? SettlementTs = null,
    string? PriceLevelStructure = null,
    IReadOnlyList<PriceRangeDto>? PriceRanges = null,
    string? StrikeType = null,
    decimal? FloorStrike = null,
    decimal? CapStrike = null,
    JsonElement? CustomStrike = null,
    string? RulesPrimary = null,
    string? RulesSecondary = null,
    bool? IsProvisional = null,
    int? ExchangeIndex = null);

public sealed record GetMarketsResponseDto(IReadOnlyList<MarketDto> Markets, string? Cursor = null);

public sealed record GetMarketResponseDto(MarketDto Market);

/// <summary>The book: bids only, ascending (best last), NO bids in NO-leg prices; an empty side may be missing or null.</summary>
public sealed record OrderbookCountFpDto(IReadOnlyList<PriceLevelDto>? YesDollars = null, IReadOnlyList<PriceLevelDto>? NoDollars = null);

public sealed record GetMarketOrderbookResponseDto(OrderbookCountFpDto OrderbookFp);

/// <summary>A public print (<c>GET /markets/trades</c>).</summary>
public sealed record TradeDto(
    string TradeId,
    string Ticker,
    Quantity CountFp,
    Price YesPriceDollars,
    DateTimeOffset CreatedTime,
    Price? NoPriceDollars = null,
    string? TakerBookSide = null,
    string? TakerOutcomeSide = null,
    string? TakerSide = null,
    bool? IsBlockTrade = null);

public sealed record GetTradesResponseDto(IReadOnlyList<TradeDto> Trades, string? Cursor = null);

/// <summary>A series (<c>GET /series/{ticker}</c>); <c>fee_multiplier</c> is a JSON number.</summary>
public sealed record SeriesDto(
    string Ticker,
    string FeeType,
    decimal FeeMultiplier,
    string? Title = null,
    string? Frequency = null,
    string? Category = null);

public sealed record GetSeriesResponseDto(SeriesDto Series);

// ---- V2 order entry (§3.6) ------------------------------------------------------------------------------------

/// <summary>
/// <c>POST /portfolio/events/orders</c>. <c>count</c> and <c>price</c> are strings (Kalshi refuses numbers);
/// <c>price</c> is the YES-leg price. Members are written in alphabetical order, as the documented bodies are.
/// </summary>
public sealed record CreateOrderV2RequestDto(
    [property: JsonPropertyOrder(20)] string Ticker,
    [property: JsonPropertyOrder(18)] BookSide Side,
    [property: JsonPropertyOrder(4)] Quantity Count,
    [property: JsonPropertyOrder(12)] Price Price,
    [property: JsonPropertyOrder(22)] TimeInForce TimeInForce,
    [property: JsonPropertyOrder(16)] SelfTradePrevention SelfTradePreventionType,
    [property: JsonPropertyOrder(2)] string? ClientOrderId = null,
    [property: JsonPropertyOrder(8)] long? ExpirationTime = null,
    [property: JsonPropertyOrder(10)] bool? PostOnly = null,
    [property: JsonPropertyOrder(14)] bool? ReduceOnly = null,
    [property: JsonPropertyOrder(1)] bool? CancelOrderOnPause = null,
    [property: JsonPropertyOrder(9)] string? OrderGroupId = null,
    [property: JsonPropertyOrder(19)] int? Subaccount = null,
    [property: JsonPropertyOrder(6)] int? ExchangeIndex = null);

/// <summary>The create answer: flat, with the immediate fills (<c>average_*</c> only when something filled).</summary>
public sealed record CreateOrderV2ResponseDto(
    string OrderId,
    Quantity FillCount,
    Quantity RemainingCount,
    long TsMs,
    string? ClientOrderId = null,
    Price? AverageFillPrice = null,
    [property: MoneyFourDecimals] Money? AverageFeePaid = null);

public sealed record CancelOrderV2ResponseDto(string OrderId, Quantity ReducedBy, long TsMs, string? ClientOrderId = null);

/// <summary><c>count</c> is the new maximum fillable count: already filled + desired remaining.</summary>
public sealed record AmendOrderV2RequestDto(
    string Ticker,
    BookSide Side,
    Price Price,
    Quantity Count,
    string? ClientOrderId = null,
    string? UpdatedClientOrderId = null,
    int? ExchangeIndex = null);

public sealed record AmendOrderV2ResponseDto(
    string OrderId,
    long TsMs,
    string? ClientOrderId = null,
    Quantity? RemainingCount = null,
    Quantity? FillCount = null,
    Price? AverageFillPrice = null,
    [property: MoneyFourDecimals] Money? AverageFeePaid = null);

/// <summary>Exactly one of <c>reduce_by</c> and <c>reduce_to</c>.</summary>
public sealed record DecreaseOrderV2RequestDto(
    Quantity? ReduceBy = null,
    Quantity? ReduceTo = null,
    string? MarketTicker = null,
    int? ExchangeIndex = null);

public sealed record DecreaseOrderV2ResponseDto(string OrderId, Quantity RemainingCount, long TsMs, string? ClientOrderId = null);

public sealed record BatchCreateOrdersV2RequestDto(IReadOnlyList<CreateOrderV2RequestDto> Orders);

/// <summary>One element of a batch create answer: an order, or an <c>error</c>.</summary>
public sealed record BatchCreateOrderV2ResultDto(
    string? OrderId = null,
    string? ClientOrderId = null,
    Quantity? FillCount = null,
    Quantity? RemainingCount = null,
    Price? AverageFillPrice = null,
    [property: MoneyFourDecimals] Money? AverageFeePaid = null,
    long? TsMs = null,
    ErrorResponseDto? Error = null);

public sealed record BatchCreateOrdersV2ResponseDto(IReadOnlyList<BatchCreateOrderV2ResultDto> Orders);

public sealed record BatchCancelOrderV2ItemDto(string OrderId, int? Subaccount = null, int? ExchangeIndex = null, string? MarketTicker = null);

public sealed record BatchCancelOrdersV2RequestDto(IReadOnlyList<BatchCancelOrderV2ItemDto> Orders);

public sealed record BatchCancelOrderV2ResultDto(
    string OrderId,
    Quantity? ReducedBy = null,
    string? ClientOrderId = null,
    long? TsMs = null,
    ErrorResponseDto? Error = null);

public sealed record BatchCancelOrdersV2ResponseDto(IReadOnlyList<BatchCancelOrderV2ResultDto> Orders);
