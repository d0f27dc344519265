using Trader.Core.Books;
using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using CoreFill = Trader.Core.Orders.Fill;

namespace Trader.Kalshi.Wire;

/// <summary>
/// The one place where Kalshi's wire shapes and the trader's types meet, in both directions: <c>ToApi</c> reads what
/// the exchange sent (the client), <c>ToWire</c> builds what the exchange sends or receives (requests for the client,
/// responses for the simulated exchange). A wire value that cannot be mapped (an unknown status word, no direction)
/// throws <see cref="KalshiWireException"/> naming the field.
/// </summary>
public static class KalshiWireMapper
{
    // ---- small vocabulary --------------------------------------------------------------------------------------

    /// <summary>
    /// The YES-leg side of an order or fill: <c>book_side</c> when present, else <c>outcome_side</c> (yes ≡ bid),
    /// else the deprecated <c>action</c>+<c>side</c> (buy yes / sell no ≡ bid).
    /// </summary>
    public static BookSide SideOf(string? bookSide, string? outcomeSide, string? side, string? action, string what)
    {
        switch (bookSide)
        {
            case "bid": return BookSide.Bid;
            case "ask": return BookSide.Ask;
            case null: break;
            default: throw new KalshiWireException($"{what}: book_side '{bookSide}' is neither 'bid' nor 'ask'");
        }
        switch (outcomeSide)
        {
            case "yes": return BookSide.Bid;
            case "no": return BookSide.Ask;
            case null: break;
            default: throw new KalshiWireException($"{what}: outcome_side '{outcomeSide}' is neither 'yes' nor 'no'");
        }
        return (action, side) switch
        {
            ("buy", "yes") or ("sell", "no") => BookSide.Bid,
            ("buy", "no") or ("sell", "yes") => BookSide.Ask,
            _ => throw new KalshiWireException(
                $"{what} has no direction: book_side and outcome_side are missing and side/action ('{side}'/'{action}') do not say"),
        };
    }

    public static string OutcomeSideOf(BookSide side) => side == BookSide.Bid ? "yes" : "no";

    public static ExchangeOrderStatus StatusOf(string status, string what) => status switch
    {
        "resting" => ExchangeOrderStatus.Resting,
        "canceled" => ExchangeOrderStatus.Canceled,
        "executed" => ExchangeOrderStatus.Executed,
        _ => throw new KalshiWireException($"{what}: status '{status}' is not one of resting, canceled, executed"),
    };

    public static string ToWire(ExchangeOrderStatus status) => status switch
    {
        ExchangeOrderStatus.Resting => "resting",
        ExchangeOrderStatus.Canceled => "canceled",
        _ => "executed",
    };

    public static BookLeg LegOf(string side, string what) => side switch
    {
        "yes" => BookLeg.Yes,
        "no" => BookLeg.No,
        _ => throw new KalshiWireException($"{what}: side '{side}' is neither 'yes' nor 'no'"),
    };

    private static DateTimeOffset? FromSeconds(long? s) => s is { } v ? DateTimeOffset.FromUnixTimeSeconds(v) : null;
    private static DateTimeOffset? FromMillis(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    // ---- book levels and use_yes_price -------------------------------------------------------------------------

    /// <summary>
    /// Book levels as <see cref="BookLevel"/>s, ascending. For the NO side, <paramref name="inYesPrices"/> says that the
    /// wire quotes NO bids in YES-leg prices (<c>use_yes_price:true</c>); they are converted to NO-leg prices (1 − p).
    /// </summary>
    public static BookLevel[] ToBookLevels(IReadOnlyList<PriceLevelDto>? levels, bool inYesPrices = false)
    {
        if (levels is null || levels.Count == 0) return [];
        var result = new BookLevel[levels.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var l = levels[i];
            result[i] = new BookLevel(inYesPrices ? l.Price.Complement : l.Price, l.Count);
        }
        Array.Sort(result, static (a, b) => a.Price.CompareTo(b.Price));
        return result;
    }

    /// <summary>
    /// Wire levels (ascending, best last) from <see cref="BookLevel"/>s; <paramref name="inYesPrices"/> writes NO-leg
    /// levels in YES-leg prices, for a <c>use_yes_price:true</c> subscriber.
    /// </summary>
    public static IReadOnlyList<PriceLevelDto> ToWireLevels(IEnumerable<BookLevel> levels, bool inYesPrices = false)
    {
        var result = levels.Select(l => new PriceLevelDto(inYesPrices ? l.Price.Complement : l.Price, l.Size)).ToList();
        result.Sort(static (a, b) => a.Price.CompareTo(b.Price));
        return result;
    }

    // ---- exchange and account ----------------------------------------------------------------------------------

    public static ExchangeStatus ToApi(ExchangeStatusDto dto) =>
        new(dto.ExchangeActive, dto.TradingActive, dto.ExchangeEstimatedResumeTime);

    public static ExchangeStatusDto ToWire(ExchangeStatus status) =>
        new(status.ExchangeActive, status.TradingActive, status.EstimatedResumeTime);

    /// <summary>Cash from <c>balance_dollars</c> (exact) when present, else the integer cents (which truncate).</summary>
    public static AccountBalance ToApi(GetBalanceResponseDto dto) =>
        new(dto.BalanceDollars ?? Money.FromCents(dto.Balance), Money.FromCents(dto.PortfolioValue), FromSeconds(dto.UpdatedTs));

    public static GetBalanceResponseDto ToWire(AccountBalance balance, DateTimeOffset now) => new(
        balance.Cash.ToCentsTruncated(),
        balance.PortfolioValue.ToCentsTruncated(),
        (balance.UpdatedAt ?? now).ToUnixTimeSeconds(),
        balance.Cash,
        [new IndexedBalanceDto(0, balance.Cash)]);

    public static AccountLimits ToApi(GetAccountApiLimitsResponseDto dto) =>
        new(dto.UsageTier, dto.Read.RefillRate, dto.Read.BucketCapacity, dto.Write.RefillRate, dto.Write.BucketCapacity);

    public static GetAccountApiLimitsResponseDto ToWire(AccountLimits limits) => new(
        limits.UsageTier,
        new BucketLimitDto(limits.ReadRefillRate, limits.ReadBucketCapacity),
        new BucketLimitDto(limits.WriteRefillRate, limits.WriteBucketCapacity),
        []);

    /// <summary>A series' fee schedule. Kalshi's <c>flat</c> fee type has no Core schedule and is refused by name.</summary>
    public static SeriesFees ToApi(SeriesDto dto)
    {
        var type = dto.FeeType switch
        {
            "quadratic" => FeeType.Quadratic,
            "quadratic_with_maker_fees" => FeeType.QuadraticWithMakerFees,
            _ => throw new KalshiWireException($"Series {dto.Ticker}: fee_type '{dto.FeeType}' is not supported (quadratic and quadratic_with_maker_fees are)"),
        };
        try
        {
            return new SeriesFees(dto.Ticker, FeeSchedule.FromMultiplier(type, dto.FeeMultiplier));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new KalshiWireException($"Series {dto.Ticker}: fee_multiplier {dto.FeeMultiplier}: {e.Message}", e);
        }
    }

    public static SeriesDto ToWire(SeriesFees fees) => new(
        fees.SeriesTicker,
        fees.Schedule.Type == FeeType.QuadraticWithMakerFees ? "quadratic_with_maker_fees" : "quadratic",
        fees.Schedule.Multiplier);

    // ---- portfolio ---------------------------------------------------------------------------------------------

    public static ExchangePosition ToApi(MarketPositionDto dto) => new(
        dto.Ticker, dto.PositionFp, dto.MarketExposureDollars, dto.RealizedPnlDollars, dto.FeesPaidDollars,
        dto.TotalTradedDollars, dto.LastUpdatedTs);

    public static MarketPositionDto ToWire(ExchangePosition p) => new(
        p.Ticker, p.Position, p.MarketExposure, p.RealizedPnl, p.FeesPaid, p.TotalTraded, p.LastUpdated, ExchangeIndex: 0);

    public static ExchangeOrder ToApi(OrderDto dto)
    {
        string what = $"Order {dto.OrderId}";
        return new ExchangeOrder(
            dto.OrderId,
            string.IsNullOrEmpty(dto.ClientOrderId) ? null : dto.ClientOrderId,
            dto.Ticker,
            SideOf(dto.BookSide, dto.OutcomeSide, dto.Side, dto.Action, what),
            dto.YesPriceDollars,
            StatusOf(dto.Status, what),
            dto.InitialCountFp,
            dto.FillCountFp,
            dto.RemainingCountFp,
            dto.TakerFeesDollars,
            dto.MakerFeesDollars,
            dto.TakerFillCostDollars,
            dto.MakerFillCostDollars,
            dto.CreatedTime,
            dto.LastUpdateTime,
            dto.ExpirationTime);
    }

    /// <summary>
    /// The wire order for an exchange order. The deprecated <c>side</c>/<c>action</c> are written as V2 orders read back
    /// (<c>side:"yes"</c>, <c>action</c> buy for a bid, sell for an ask).
    /// </summary>
    public static OrderDto ToWire(ExchangeOrder o, string userId, SelfTradePrevention stp = SelfTradePrevention.TakerAtCross) => new(
        o.OrderId,
        o.Ticker,
        ToWire(o.Status),
        o.YesPrice,
        o.FillCount,
        o.RemainingCount,
        o.InitialCount,
        o.TakerFees,
        o.MakerFees,
        o.TakerFillCost,
        o.MakerFillCost,
        BookSide: o.Side.ToWire(),
        OutcomeSide: OutcomeSideOf(o.Side),
        UserId: userId,
        ClientOrderId: o.ClientOrderId ?? "",
        NoPriceDollars: o.YesPrice.Complement,
        Side: "yes",
        Action: o.Side == BookSide.Bid ? "buy" : "sell",
        Type: "limit",
        CreatedTime: o.CreatedTime,
        LastUpdateTime: o.LastUpdateTime,
        ExpirationTime: o.ExpirationTime,
        SelfTradePreventionType: ToWire(stp),
        SubaccountNumber: 0);

    public static CoreFill ToApi(FillDto dto)
    {
        string tradeId = dto.TradeId ?? dto.FillId
            ?? throw new KalshiWireException($"Fill of order {dto.OrderId}: both trade_id and fill_id are missing");
        string ticker = dto.Ticker ?? dto.MarketTicker
            ?? throw new KalshiWireException($"Fill {tradeId}: both ticker and market_ticker are missing");
        var time = dto.CreatedTime ?? FromSeconds(dto.Ts)
            ?? throw new KalshiWireException($"Fill {tradeId}: both created_time and ts are missing");
        return new CoreFill(
            tradeId, dto.OrderId, ticker,
            SideOf(dto.BookSide, dto.OutcomeSide, dto.Side, dto.Action, $"Fill {tradeId}"),
            dto.YesPriceDollars, dto.CountFp, dto.FeeCost, dto.IsTaker, time,
            PostPosition: null, ClientOrderId: dto.ClientOrderId);
    }

    public static FillDto ToWire(CoreFill f) => new(
        f.OrderId, f.Count, f.YesPrice, f.IsTaker, f.Fee,
        FillId: f.TradeId,
        TradeId: f.TradeId,
        Ticker: f.Ticker,
        MarketTicker: f.Ticker,
        BookSide: f.Side.ToWire(),
        OutcomeSide: OutcomeSideOf(f.Side),
        NoPriceDollars: f.NoPrice,
        Side: OutcomeSideOf(f.Side),
        Action: "buy",
        CreatedTime: f.Time,
        Ts: f.Time.ToUnixTimeSeconds(),
        SubaccountNumber: 0);

    public static Settlement ToApi(SettlementDto dto) => new(
        dto.Ticker, dto.EventTicker, dto.MarketResult, dto.YesCountFp, dto.YesTotalCostDollars, dto.NoCountFp,
        dto.NoTotalCostDollars, Money.FromCents(dto.Revenue), dto.FeeCost, dto.SettledTime);

    public static SettlementDto ToWire(Settlement s, long? valueCents = null) => new(
        s.Ticker, s.MarketResult, s.YesCount, s.YesTotalCost, s.NoCount, s.NoTotalCost, s.Revenue.ToCentsTruncated(),
        s.FeeCost, s.SettledTime, s.EventTicker, valueCents);

    // ---- markets -----------------------------------------------------------------------------------------------

    /// <summary>The tick grid from <c>price_ranges</c>, else the named <c>price_level_structure</c>, else every 1/10,000 $.</summary>
    public static TickGrid GridOf(string? structure, IReadOnlyList<PriceRangeDto>? ranges)
    {
        if (ranges is { Count: > 0 })
        {
            try
            {
                return new TickGrid(structure ?? "custom", ranges.Select(r => new PriceRange(r.Start, r.End, r.Step)).ToArray());
            }
            catch (ArgumentException e)
            {
                throw new KalshiWireException($"price_ranges of '{structure}': {e.Message}", e);
            }
        }
        return TickGrid.FromName(structure) ?? TickGrid.CentiCent;
    }

    public static IReadOnlyList<PriceRangeDto> ToWire(TickGrid grid) =>
        grid.Ranges.Select(r => new PriceRangeDto(r.Start, r.End, r.Step)).ToList();

    /// <summary>
    /// A market. A YES bid of 0 means no bid, a YES ask of 0 or 1 means no ask and a last price of 0 means no trade
    /// yet (Kalshi writes these placeholders); they map to null.
    /// </summary>
    public static MarketInfo ToApi(MarketDto dto) => new(
        dto.Ticker,
        dto.EventTicker,
        dto.Status,
        GridOf(dto.PriceLevelStructure, dto.PriceRanges),
        dto.OpenTime,
        dto.CloseTime,
        string.IsNullOrEmpty(dto.Result) ? null : dto.Result,
        dto.YesBidDollars.IsTradable ? dto.YesBidDollars : null,
        dto.YesAskDollars.IsTradable ? dto.YesAskDollars : null,
        dto.LastPriceDollars.IsTradable ? dto.LastPriceDollars : null,
        dto.VolumeFp,
        dto.OpenInterestFp,
        dto.Title);

    /// <summary>The wire market for a market (top of book from the arguments when known; placeholders otherwise).</summary>
    public static MarketDto ToWire(MarketInfo m, BookLevel? bestYesBid = null, BookLevel? bestNoBid = null)
    {
        Price yesBid = bestYesBid?.Price ?? m.YesBid ?? Price.Zero;
        Price yesAsk = bestNoBid?.Price.Complement ?? m.YesAsk ?? Price.Zero;
        return new MarketDto(
            m.Ticker, m.EventTicker ?? "", m.Status, yesBid, yesAsk, m.LastPrice ?? Price.Zero, m.Volume, m.OpenInterest,
            MarketType: "binary",
            Title: m.Title,
            OpenTime: m.OpenTime,
            CloseTime: m.CloseTime,
            NoBidDollars: bestNoBid?.Price ?? (yesAsk.IsTradable ? yesAsk.Complement : Price.Zero),
            NoAskDollars: bestYesBid?.Price.Complement ?? (yesBid.IsTradable ? yesBid.Complement : Price.Zero),
            YesBidSizeFp: bestYesBid?.Size ?? Quantity.Zero,
            YesAskSizeFp: bestNoBid?.Size ?? Quantity.Zero,
            NotionalValueDollars: Money.OneDollar,
            Result: m.Result ?? "",
            PriceLevelStructure: m.Grid.Name,
            PriceRanges: ToWire(m.Grid),
            ExchangeIndex: 0);
    }

    /// <summary>The REST book; NO bids stay in NO-leg prices (REST has no <c>use_yes_price</c>).</summary>
    public static OrderBookSnapshot ToApi(string ticker, GetMarketOrderbookResponseDto dto) =>
        new(ticker, ToBookLevels(dto.OrderbookFp.YesDollars), ToBookLevels(dto.OrderbookFp.NoDollars));

    public static GetMarketOrderbookResponseDto ToWire(OrderBookSnapshot book) =>
        new(new OrderbookCountFpDto(ToWireLevels(book.YesBids), ToWireLevels(book.NoBids)));

    // ---- order entry -------------------------------------------------------------------------------------------

    public static string ToWire(SelfTradePrevention stp) => stp == SelfTradePrevention.Maker ? "maker" : "taker_at_cross";

    /// <summary>
    /// The V2 create body. <c>post_only</c> is sent explicitly for good-till-canceled orders (where it matters) and
    /// whenever it is true; <c>reduce_only</c> and <c>cancel_order_on_pause</c> only when true. This reproduces the
    /// documented bodies (§9.4) byte for byte.
    /// </summary>
    public static CreateOrderV2RequestDto ToWire(CreateOrderRequest r) => new(
        r.Ticker,
        r.Side,
        r.Count,
        r.YesPrice,
        r.TimeInForce,
        r.SelfTradePrevention,
        ClientOrderId: r.ClientOrderId,
        ExpirationTime: r.ExpirationTime?.ToUnixTimeSeconds(),
        PostOnly: r.PostOnly || r.TimeInForce == TimeInForce.GoodTillCanceled ? r.PostOnly : null,
        ReduceOnly: r.ReduceOnly ? true : null,
        CancelOrderOnPause: r.CancelOrderOnPause ? true : null);

    /// <summary>
    /// The create request a V2 body asks for. Kalshi's SDKs may omit <c>client_order_id</c>; the simulated exchange
    /// then passes the id it assigns in <paramref name="assignedClientOrderId"/>.
    /// </summary>
    public static CreateOrderRequest ToApi(CreateOrderV2RequestDto dto, string? assignedClientOrderId = null) => new(
        dto.Ticker,
        dto.ClientOrderId ?? assignedClientOrderId
            ?? throw new KalshiWireException("CreateOrderV2Request: client_order_id is missing and none was assigned"),
        dto.Side,
        dto.Price,
        dto.Count,
        dto.TimeInForce,
        dto.SelfTradePreventionType,
        dto.PostOnly ?? false,
        dto.ReduceOnly ?? false,
        dto.CancelOrderOnPause ?? false,
        FromSeconds(dto.ExpirationTime));

    public static OrderAck ToApi(CreateOrderV2ResponseDto dto) => new(
        dto.OrderId, dto.ClientOrderId, dto.FillCount, dto.RemainingCount, dto.AverageFillPrice, dto.AverageFeePaid, FromMillis(dto.TsMs));

    public static CreateOrderV2ResponseDto ToWire(OrderAck ack) => new(
        ack.OrderId, ack.FillCount, ack.RemainingCount,
        (ack.Timestamp ?? throw new ArgumentException("an order ack needs its matching-engine time", nameof(ack))).ToUnixTimeMilliseconds(),
        ack.ClientOrderId, ack.AverageFillPrice, ack.AverageFeePaid);

    public static AmendOrderV2RequestDto ToWire(AmendOrderRequest r) =>
        new(r.Ticker, r.Side, r.YesPrice, r.Count, r.ClientOrderId, r.UpdatedClientOrderId);

    public static AmendOrderRequest ToApi(string orderId, AmendOrderV2RequestDto dto) =>
        new(orderId, dto.Ticker, dto.Side, dto.Price, dto.Count, dto.ClientOrderId, dto.UpdatedClientOrderId);

    /// <summary>The amend answer; <c>remaining_count</c> and <c>fill_count</c> are needed for an <see cref="OrderAck"/>.</summary>
    public static OrderAck ToApi(AmendOrderV2ResponseDto dto) => new(
        dto.OrderId,
        dto.ClientOrderId,
        dto.FillCount ?? throw new KalshiWireException($"AmendOrderV2Response for {dto.OrderId}: fill_count is missing"),
        dto.RemainingCount ?? throw new KalshiWireException($"AmendOrderV2Response for {dto.OrderId}: remaining_count is missing"),
        dto.AverageFillPrice,
        dto.AverageFeePaid,
        FromMillis(dto.TsMs));

    public static AmendOrderV2ResponseDto ToWireAmend(OrderAck ack) => new(
        ack.OrderId,
        (ack.Timestamp ?? throw new ArgumentException("an amend ack needs its matching-engine time", nameof(ack))).ToUnixTimeMilliseconds(),
        ack.ClientOrderId, ack.RemainingCount, ack.FillCount, ack.AverageFillPrice, ack.AverageFeePaid);

    /// <summary>The decrease body; exactly one of reduce-by and reduce-to must be given.</summary>
    public static DecreaseOrderV2RequestDto ToWire(DecreaseOrderRequest r)
    {
        if ((r.ReduceBy is null) == (r.ReduceTo is null))
            throw new ArgumentException($"decrease of order {r.OrderId}: give exactly one of ReduceBy and ReduceTo", nameof(r));
        return new DecreaseOrderV2RequestDto(r.ReduceBy, r.ReduceTo, r.Ticker);
    }

    public static DecreaseOrderRequest ToApi(string orderId, DecreaseOrderV2RequestDto dto) =>
        new(orderId, dto.ReduceBy, dto.ReduceTo, dto.MarketTicker);

    public static DecreaseAck ToApi(DecreaseOrderV2ResponseDto dto) =>
        new(dto.OrderId, dto.ClientOrderId, dto.RemainingCount, FromMillis(dto.TsMs));

    public static DecreaseOrderV2ResponseDto ToWire(DecreaseAck ack) => new(
        ack.OrderId, ack.RemainingCount,
        (ack.Timestamp ?? throw new ArgumentException("a decrease ack needs its matching-engine time", nameof(ack))).ToUnixTimeMilliseconds(),
        ack.ClientOrderId);

    public static CancelAck ToApi(CancelOrderV2ResponseDto dto) =>
        new(dto.OrderId, dto.ClientOrderId, dto.ReducedBy, FromMillis(dto.TsMs));

    public static CancelOrderV2ResponseDto ToWire(CancelAck ack) => new(
        ack.OrderId, ack.ReducedBy,
        (ack.Timestamp ?? throw new ArgumentException("a cancel ack needs its matching-engine time", nameof(ack))).ToUnixTimeMilliseconds(),
        ack.ClientOrderId);

    public static BatchCreateOrdersV2RequestDto ToWire(IReadOnlyList<CreateOrderRequest> requests) =>
        new(requests.Select(ToWire).ToList());

    /// <summary>One batch create result. The HTTP status of an item error is unknown: 400 is used (the batch answered 2xx).</summary>
    public static BatchItem<OrderAck> ToApi(BatchCreateOrderV2ResultDto dto)
    {
        if (dto.Error is { } e) return new BatchItem<OrderAck>(dto.ClientOrderId, dto.OrderId, null, ToApi(e, ItemErrorStatus(e)));
        string orderId = dto.OrderId ?? throw new KalshiWireException($"BatchCreateOrdersV2Response item '{dto.ClientOrderId}': no order_id and no error");
        var ack = new OrderAck(
            orderId, dto.ClientOrderId,
            dto.FillCount ?? throw new KalshiWireException($"BatchCreateOrdersV2Response item {orderId}: fill_count is missing"),
            dto.RemainingCount ?? throw new KalshiWireException($"BatchCreateOrdersV2Response item {orderId}: remaining_count is missing"),
            dto.AverageFillPrice, dto.AverageFeePaid, FromMillis(dto.TsMs));
        return new BatchItem<OrderAck>(dto.ClientOrderId, orderId, ack, null);
    }

    public static BatchCreateOrderV2ResultDto ToWire(BatchItem<OrderAck> item) => item.Value is { } ack
        ? new BatchCreateOrderV2ResultDto(ack.OrderId, ack.ClientOrderId, ack.FillCount, ack.RemainingCount, ack.AverageFillPrice,
            ack.AverageFeePaid, ack.Timestamp?.ToUnixTimeMilliseconds())
        : new BatchCreateOrderV2ResultDto(item.OrderId, item.ClientOrderId, Error: ToWire(item.Error!));

    public static BatchCancelOrdersV2RequestDto ToWire(IReadOnlyList<(string OrderId, string? Ticker)> orders) =>
        new(orders.Select(o => new BatchCancelOrderV2ItemDto(o.OrderId, MarketTicker: o.Ticker)).ToList());

    public static BatchItem<CancelAck> ToApi(BatchCancelOrderV2ResultDto dto)
    {
        if (dto.Error is { } e) return new BatchItem<CancelAck>(dto.ClientOrderId, dto.OrderId, null, ToApi(e, ItemErrorStatus(e)));
        var ack = new CancelAck(
            dto.OrderId, dto.ClientOrderId,
            dto.ReducedBy ?? throw new KalshiWireException($"BatchCancelOrdersV2Response item {dto.OrderId}: reduced_by is missing"),
            FromMillis(dto.TsMs));
        return new BatchItem<CancelAck>(dto.ClientOrderId, dto.OrderId, ack, null);
    }

    public static BatchCancelOrderV2ResultDto ToWire(BatchItem<CancelAck> item) => item.Value is { } ack
        ? new BatchCancelOrderV2ResultDto(ack.OrderId, ack.ReducedBy, ack.ClientOrderId, ack.Timestamp?.ToUnixTimeMilliseconds())
        : new BatchCancelOrderV2ResultDto(item.OrderId ?? "", Quantity.Zero, item.ClientOrderId, Error: ToWire(item.Error!));

    /// <summary>Batch item errors carry no HTTP status: a <c>not_found</c> code is 404, a duplicate 409, anything else 400.</summary>
    private static int ItemErrorStatus(ErrorResponseDto e) =>
        e.Code is { } c && c.StartsWith("not_found", StringComparison.Ordinal) ? 404
        : e.Code is { } d && d.StartsWith("order_already_exists", StringComparison.Ordinal) ? 409
        : 400;

    // ---- errors ------------------------------------------------------------------------------------------------

    public static KalshiError ToApi(ErrorResponseDto dto, int httpStatus) =>
        new(httpStatus, dto.Code ?? $"http_{httpStatus}", dto.Message ?? dto.Code ?? $"HTTP {httpStatus}", dto.Details, dto.Service);

    public static ErrorResponseDto ToWire(KalshiError e) => new(e.Code, e.Message, e.Details, e.Service);

    // ---- stream messages ---------------------------------------------------------------------------------------

    public static CoreFill ToApi(FillMsgDto dto)
    {
        var time = FromMillis(dto.TsMs) ?? FromSeconds(dto.Ts)
            ?? throw new KalshiWireException($"fill {dto.TradeId}: both ts_ms and ts are missing");
        return new CoreFill(
            dto.TradeId, dto.OrderId, dto.MarketTicker,
            SideOf(dto.BookSide, dto.OutcomeSide, dto.Side, dto.Action, $"fill {dto.TradeId}"),
            dto.YesPriceDollars, dto.CountFp, dto.FeeCost, dto.IsTaker, time, dto.PostPositionFp, dto.ClientOrderId);
    }

    /// <summary>The private <c>fill</c> frame's message for a fill; the post-fill position is required.</summary>
    public static FillMsgDto ToWireMessage(CoreFill f) => new(
        f.TradeId, f.OrderId, f.Ticker, f.IsTaker, f.YesPrice, f.Count, f.Fee,
        f.PostPosition ?? throw new ArgumentException($"fill {f.TradeId}: the fill frame needs the post-fill position", nameof(f)),
        BookSide: f.Side.ToWire(),
        OutcomeSide: OutcomeSideOf(f.Side),
        Side: OutcomeSideOf(f.Side),
        Action: "buy",
        PurchasedSide: OutcomeSideOf(f.Side),
        ClientOrderId: f.ClientOrderId,
        ExchangeIndex: 0,
        Ts: f.Time.ToUnixTimeSeconds(),
        TsMs: f.Time.ToUnixTimeMilliseconds());

    public static ExchangeOrder? ToApi(UserOrderMsgDto dto)
    {
        string what = $"user_order {dto.OrderId}";
        if (dto.Status is not ("resting" or "canceled" or "executed")) return null;
        return new ExchangeOrder(
            dto.OrderId,
            string.IsNullOrEmpty(dto.ClientOrderId) ? null : dto.ClientOrderId,
            dto.Ticker,
            SideOf(dto.BookSide, dto.OutcomeSide, dto.IsYes is { } y ? (y ? "yes" : "no") : null, dto.IsYes is null ? null : "buy", what),
            dto.YesPriceDollars,
            StatusOf(dto.Status, what),
            dto.InitialCountFp,
            dto.FillCountFp,
            dto.RemainingCountFp,
            dto.TakerFeesDollars,
            dto.MakerFeesDollars,
            dto.TakerFillCostDollars,
            dto.MakerFillCostDollars,
            dto.CreatedTime ?? FromMillis(dto.CreatedTsMs),
            dto.LastUpdateTime ?? FromMillis(dto.LastUpdatedTsMs),
            dto.ExpirationTime ?? FromMillis(dto.ExpirationTsMs));
    }

    public static UserOrderMsgDto ToWireMessage(ExchangeOrder o, string userId, string? lastUpdateReason = null) => new(
        o.OrderId, o.Ticker, ToWire(o.Status), o.YesPrice, o.FillCount, o.RemainingCount, o.InitialCount,
        o.TakerFillCost, o.MakerFillCost, o.TakerFees, o.MakerFees,
        BookSide: o.Side.ToWire(),
        OutcomeSide: OutcomeSideOf(o.Side),
        Side: OutcomeSideOf(o.Side),
        IsYes: o.Side == BookSide.Bid,
        UserId: userId,
        ClientOrderId: o.ClientOrderId ?? "",
        CreatedTime: o.CreatedTime,
        CreatedTsMs: o.CreatedTime?.ToUnixTimeMilliseconds(),
        LastUpdateTime: o.LastUpdateTime,
        LastUpdatedTsMs: o.LastUpdateTime?.ToUnixTimeMilliseconds(),
        ExpirationTime: o.ExpirationTime,
        ExpirationTsMs: o.ExpirationTime?.ToUnixTimeMilliseconds(),
        LastUpdateReason: lastUpdateReason,
        SubaccountNumber: 0);
}
