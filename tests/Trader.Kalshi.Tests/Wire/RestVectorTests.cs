using System.Text.Json.Nodes;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Kalshi.Tests.Wire;

/// <summary>Every REST example of kalshi-api.md §9 parses into the expected values; requests are written as documented.</summary>
public class RestVectorTests
{
    private const string Ticker = "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP";

    private static T Read<T>(string json) => KalshiJson.Deserialize<T>(json);

    [Fact]
    public void Exchange_status_normal_and_maintenance()
    {
        var ok = KalshiWireMapper.ToApi(Read<ExchangeStatusDto>(Vectors.StatusOk));
        Assert.Equal(new ExchangeStatus(true, true), ok);
        var down = KalshiWireMapper.ToApi(Read<ExchangeStatusDto>(Vectors.StatusMaintenance));
        Assert.False(down.ExchangeActive);
        Assert.False(down.TradingActive);
        Assert.Equal(new DateTimeOffset(2026, 6, 11, 9, 0, 0, TimeSpan.Zero), down.EstimatedResumeTime);
    }

    [Fact]
    public void Balance_uses_exact_dollars_and_cents_for_portfolio_value()
    {
        var b = KalshiWireMapper.ToApi(Read<GetBalanceResponseDto>(Vectors.Balance));
        Assert.Equal(Money.Parse("98.0186"), b.Cash);
        Assert.Equal(Money.FromCents(198), b.PortfolioValue);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1781159348), b.UpdatedAt);
    }

    [Fact]
    public void Balance_without_balance_dollars_falls_back_to_integer_cents()
    {
        var b = KalshiWireMapper.ToApi(Read<GetBalanceResponseDto>("""{"balance":9801,"portfolio_value":0,"updated_ts":1}"""));
        Assert.Equal(Money.FromCents(9801), b.Cash);
    }

    [Fact]
    public void Account_limits_and_endpoint_costs()
    {
        var limits = KalshiWireMapper.ToApi(Read<GetAccountApiLimitsResponseDto>(Vectors.Limits));
        Assert.Equal(new AccountLimits("basic", 200, 200, 100, 100), limits);
        var costs = Read<GetAccountEndpointCostsResponseDto>(Vectors.EndpointCosts);
        Assert.Equal(10, costs.DefaultCost);
        Assert.Equal(5, costs.EndpointCosts.Count);
        Assert.Equal(new EndpointTokenCostDto("DELETE", "/trade-api/v2/portfolio/events/orders/:order_id", 2), costs.EndpointCosts[0]);
    }

    [Fact]
    public void Market_maps_top_of_book_grid_and_counts()
    {
        var m = KalshiWireMapper.ToApi(Read<GetMarketResponseDto>(Vectors.Market).Market);
        Assert.Equal(Ticker, m.Ticker);
        Assert.Equal("KXWTACHALLENGERMATCH-26JUN11JIMLEP", m.EventTicker);
        Assert.True(m.IsActive);
        Assert.Equal(Price.Parse("0.47"), m.YesBid);
        Assert.Equal(Price.Parse("0.52"), m.YesAsk);
        Assert.Equal(Price.Parse("0.99"), m.LastPrice);
        Assert.Equal(Quantity.Parse("2.00"), m.Volume);
        Assert.Equal(Quantity.Parse("2.00"), m.OpenInterest);
        Assert.Null(m.Result);
        Assert.Equal(100, m.Grid.FinestStepTicks);
        Assert.True(m.Grid.IsValidOrderPrice(Price.Parse("0.51")));
        Assert.False(m.Grid.IsValidOrderPrice(Price.Parse("0.515")));
        Assert.Equal(new DateTimeOffset(2026, 6, 25, 16, 0, 0, TimeSpan.Zero), m.CloseTime);
    }

    [Fact]
    public void Order_book_derived_quotes_equal_the_market_object()
    {
        var book = KalshiWireMapper.ToApi(Ticker, Read<GetMarketOrderbookResponseDto>(Vectors.OrderBook));
        var ob = new OrderBook(Ticker);
        Assert.Equal(BookUpdate.Applied, ob.ApplySnapshot(1, book.YesBids.ToArray(), book.NoBids.ToArray()));
        Assert.Equal(new BookLevel(Price.Parse("0.47"), Quantity.Parse("3")), ob.BestYesBid);
        Assert.Equal(new BookLevel(Price.Parse("0.48"), Quantity.Parse("3")), ob.BestNoBid);
        Assert.Equal(new BookLevel(Price.Parse("0.52"), Quantity.Parse("3")), ob.BestYesAsk);
        Assert.Equal(new BookLevel(Price.Parse("0.53"), Quantity.Parse("3")), ob.BestNoAsk);
        Assert.Equal(500, ob.SpreadTicks());

        var market = Read<GetMarketResponseDto>(Vectors.Market).Market;
        Assert.Equal(market.YesBidDollars, ob.BestYesBid!.Value.Price);
        Assert.Equal(market.YesAskDollars, ob.BestYesAsk!.Value.Price);
        Assert.Equal(market.NoBidDollars, ob.BestNoBid!.Value.Price);
        Assert.Equal(market.NoAskDollars, ob.BestNoAsk!.Value.Price);
    }

    [Fact]
    public void Multi_level_book_best_bids_are_the_last_levels()
    {
        var book = KalshiWireMapper.ToApi("FED", Read<GetMarketOrderbookResponseDto>(Vectors.OrderBookMulti));
        var ob = new OrderBook("FED");
        ob.ApplySnapshot(1, book.YesBids.ToArray(), book.NoBids.ToArray());
        Assert.Equal(new BookLevel(Price.Parse("0.22"), Quantity.Parse("333")), ob.BestYesBid);
        Assert.Equal(new BookLevel(Price.Parse("0.44"), Quantity.Parse("146")), ob.BestYesAsk);
        Assert.Equal(new BookLevel(Price.Parse("0.78"), Quantity.Parse("333")), ob.BestNoAsk);
        Assert.False(ob.IsCrossed);
    }

    [Fact]
    public void Empty_or_null_book_sides_are_empty()
    {
        var book = KalshiWireMapper.ToApi("X", Read<GetMarketOrderbookResponseDto>("""{"orderbook_fp":{"yes_dollars":null}}"""));
        Assert.Empty(book.YesBids);
        Assert.Empty(book.NoBids);
    }

    [Fact]
    public void Public_trades()
    {
        var trades = Read<GetTradesResponseDto>(Vectors.Trades);
        Assert.Equal("EhIKEC4Yf1dC7Fly-I7MaD55Y-MaDAjavcDRBhDwop6bAg", trades.Cursor);
        var t = Assert.Single(trades.Trades);
        Assert.Equal(Quantity.Parse("7.77"), t.CountFp);
        Assert.Equal(Price.Parse("0.03"), t.YesPriceDollars);
        Assert.Equal("bid", t.TakerBookSide);
    }

    [Fact]
    public void Create_requests_are_written_byte_for_byte_as_documented()
    {
        var maker = new CreateOrderRequest(Ticker, "4a75a66e-ca85-4187-93cd-aac5e01ad982", BookSide.Bid, Price.Parse("0.01"), Quantity.FromContracts(1));
        Assert.Equal(Vectors.CreateMakerRequest, KalshiJson.Serialize(KalshiWireMapper.ToWire(maker)));

        var ioc = new CreateOrderRequest(Ticker, "2b8394e0-515e-4b89-b624-f34067756855", BookSide.Bid, Price.Parse("0.99"), Quantity.FromContracts(1),
            TimeInForce.ImmediateOrCancel);
        Assert.Equal(Vectors.CreateIocRequest, KalshiJson.Serialize(KalshiWireMapper.ToWire(ioc)));
    }

    [Fact]
    public void Create_request_round_trips_through_the_strict_parser()
    {
        Assert.True(KalshiJson.TryDeserializeRequest<CreateOrderV2RequestDto>(System.Text.Encoding.UTF8.GetBytes(Vectors.CreateMakerRequest), out var dto, out var error));
        Assert.Null(error);
        var r = KalshiWireMapper.ToApi(dto!);
        Assert.Equal(Ticker, r.Ticker);
        Assert.Equal(BookSide.Bid, r.Side);
        Assert.Equal(Price.Parse("0.0100"), r.YesPrice);
        Assert.Equal(Quantity.Parse("1"), r.Count);
        Assert.Equal(TimeInForce.GoodTillCanceled, r.TimeInForce);
        Assert.Equal(SelfTradePrevention.TakerAtCross, r.SelfTradePrevention);
        Assert.False(r.PostOnly);
    }

    [Fact]
    public void Strict_parser_refuses_numbers_in_Kalshis_words()
    {
        const string body = """{"ticker":"T","side":"bid","count":10,"price":"0.5600","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}""";
        Assert.False(KalshiJson.TryDeserializeRequest<CreateOrderV2RequestDto>(System.Text.Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal(400, error!.HttpStatus);
        Assert.Equal("bad_request", error.Code);
        Assert.Equal("json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string", error.Details);

        // The same body read leniently (as a response would be) is fine.
        var lenient = KalshiJson.Deserialize<CreateOrderV2RequestDto>(body);
        Assert.Equal(Quantity.FromContracts(10), lenient.Count);

        // The flat error body Kalshi sends for it parses back to the same error.
        var parsed = KalshiErrorBody.Parse(400, System.Text.Encoding.UTF8.GetBytes(Vectors.ErrNumbers));
        Assert.Equal(error with { Service = null }, parsed);
    }

    [Fact]
    public void Strict_parser_names_nested_fields_and_missing_fields()
    {
        const string batch = """{"orders":[{"ticker":"T","side":"bid","count":"1.00","price":0.5,"time_in_force":"good_till_canceled","self_trade_prevention_type":"maker"}]}""";
        Assert.False(KalshiJson.TryDeserializeRequest<BatchCreateOrdersV2RequestDto>(System.Text.Encoding.UTF8.GetBytes(batch), out _, out var e1));
        Assert.Equal("json: cannot unmarshal number into Go struct field BatchCreateOrdersV2Request.orders.price of type string", e1!.Details);

        const string missing = """{"ticker":"T","side":"bid","price":"0.5000","time_in_force":"good_till_canceled","self_trade_prevention_type":"maker"}""";
        Assert.False(KalshiJson.TryDeserializeRequest<CreateOrderV2RequestDto>(System.Text.Encoding.UTF8.GetBytes(missing), out _, out var e2));
        Assert.Contains("'count'", e2!.Details);
        Assert.Contains("CreateOrderV2Request", e2.Details);
    }

    [Fact]
    public void Create_answers_map_to_acks()
    {
        var maker = KalshiWireMapper.ToApi(Read<CreateOrderV2ResponseDto>(Vectors.CreateMakerResponse));
        Assert.Equal("2597b999-f887-4195-8bac-c3f97a1f2021", maker.OrderId);
        Assert.Equal(Quantity.Zero, maker.FillCount);
        Assert.Equal(Quantity.FromContracts(1), maker.RemainingCount);
        Assert.Null(maker.AverageFillPrice);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1781159360866), maker.Timestamp);

        var ioc = KalshiWireMapper.ToApi(Read<CreateOrderV2ResponseDto>(Vectors.CreateIocResponse));
        Assert.Equal(Quantity.FromContracts(1), ioc.FillCount);
        Assert.Equal(Quantity.Zero, ioc.RemainingCount);
        Assert.Equal(Price.Parse("0.52"), ioc.AverageFillPrice);
        Assert.Equal(Money.Parse("0.0175"), ioc.AverageFeePaid);

        var stp = KalshiWireMapper.ToApi(Read<CreateOrderV2ResponseDto>(Vectors.StpResponse));
        Assert.Equal(Quantity.Zero, stp.FillCount);
        Assert.Equal(Quantity.Zero, stp.RemainingCount);
    }

    [Fact]
    public void Create_answer_is_written_back_exactly()
    {
        var dto = Read<CreateOrderV2ResponseDto>(Vectors.CreateIocResponse);
        var rewritten = KalshiJson.Serialize(KalshiWireMapper.ToWire(KalshiWireMapper.ToApi(dto)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Vectors.CreateIocResponse), JsonNode.Parse(rewritten)), rewritten);
    }

    [Fact]
    public void Order_by_id_and_order_list()
    {
        var o = KalshiWireMapper.ToApi(Read<GetOrderResponseDto>(Vectors.OrderById).Order);
        Assert.Equal("2597b999-f887-4195-8bac-c3f97a1f2021", o.OrderId);
        Assert.Equal("4a75a66e-ca85-4187-93cd-aac5e01ad982", o.ClientOrderId);
        Assert.Equal(BookSide.Bid, o.Side);
        Assert.Equal(Price.Parse("0.01"), o.YesPrice);
        Assert.Equal(ExchangeOrderStatus.Resting, o.Status);
        Assert.Equal(Quantity.FromContracts(1), o.RemainingCount);
        Assert.Equal(new DateTimeOffset(2026, 6, 11, 6, 29, 20, TimeSpan.Zero).AddTicks(8667530), o.CreatedTime);

        var list = Read<GetOrdersResponseDto>(Vectors.OrderList);
        Assert.Equal("", list.Cursor);
        var orders = list.Orders.Select(KalshiWireMapper.ToApi).ToList();
        Assert.Equal(ExchangeOrderStatus.Executed, orders[0].Status);
        Assert.Equal(Money.Parse("0.52"), orders[0].TakerFillCost);
        Assert.Equal(Money.Parse("0.0175"), orders[0].TakerFees);
        Assert.Equal(ExchangeOrderStatus.Canceled, orders[1].Status);
    }

    [Fact]
    public void Order_direction_comes_from_book_side_not_the_deprecated_side()
    {
        // A V2 ask reads back with side:"yes" (gotcha 4): book_side decides.
        string json = Vectors.OrderById.Replace("\"book_side\":\"bid\"", "\"book_side\":\"ask\"");
        Assert.Equal(BookSide.Ask, KalshiWireMapper.ToApi(Read<GetOrderResponseDto>(json).Order).Side);
        string noBookSide = Vectors.OrderById.Replace("\"book_side\":\"bid\",", "").Replace("\"outcome_side\":\"yes\",", "\"outcome_side\":\"no\",");
        Assert.Equal(BookSide.Ask, KalshiWireMapper.ToApi(Read<GetOrderResponseDto>(noBookSide).Order).Side);
    }

    [Fact]
    public void Cancel_amend_decrease_answers()
    {
        var cancel = KalshiWireMapper.ToApi(Read<CancelOrderV2ResponseDto>(Vectors.CancelResponse));
        Assert.Equal(new CancelAck("2597b999-f887-4195-8bac-c3f97a1f2021", null, Quantity.FromContracts(1), DateTimeOffset.FromUnixTimeMilliseconds(1781159364112)), cancel);

        var amend = KalshiWireMapper.ToApi(Read<AmendOrderV2ResponseDto>(Vectors.AmendResponse));
        Assert.Equal(Quantity.FromContracts(2), amend.RemainingCount);
        Assert.Equal("4a75a66e-ca85-4187-93cd-aac5e01ad982", amend.ClientOrderId);

        var decrease = KalshiWireMapper.ToApi(Read<DecreaseOrderV2ResponseDto>(Vectors.DecreaseResponse));
        Assert.Equal(Quantity.FromContracts(1), decrease.RemainingCount);
    }

    [Fact]
    public void Amend_and_decrease_requests_are_written_as_documented()
    {
        var amend = new AmendOrderRequest("2597b999-f887-4195-8bac-c3f97a1f2021", Ticker, BookSide.Bid, Price.Parse("0.02"), Quantity.FromContracts(2));
        Assert.Equal(Vectors.AmendRequest, KalshiJson.Serialize(KalshiWireMapper.ToWire(amend)));
        var decrease = new DecreaseOrderRequest("2597b999-f887-4195-8bac-c3f97a1f2021", null, Quantity.FromContracts(1));
        Assert.Equal(Vectors.DecreaseRequest, KalshiJson.Serialize(KalshiWireMapper.ToWire(decrease)));
        Assert.Throws<ArgumentException>(() => KalshiWireMapper.ToWire(new DecreaseOrderRequest("x", Quantity.FromContracts(1), Quantity.FromContracts(1))));
    }

    [Fact]
    public void Batch_create_and_cancel_requests_and_answers()
    {
        var requests = new[]
        {
            new CreateOrderRequest(Ticker, "c-1", BookSide.Bid, Price.Parse("0.45"), Quantity.FromContracts(5), PostOnly: true),
            new CreateOrderRequest(Ticker, "c-2", BookSide.Ask, Price.Parse("0.46"), Quantity.FromContracts(5), PostOnly: true),
        };
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Vectors.BatchCreateRequest), JsonNode.Parse(KalshiJson.Serialize(KalshiWireMapper.ToWire(requests)))));

        var answers = Read<BatchCreateOrdersV2ResponseDto>(Vectors.BatchCreateResponse).Orders.Select(KalshiWireMapper.ToApi).ToList();
        Assert.True(answers[0].IsSuccess);
        Assert.Equal(Quantity.FromContracts(5), answers[0].Value!.RemainingCount);
        Assert.False(answers[1].IsSuccess);
        Assert.Equal("c-2", answers[1].ClientOrderId);
        Assert.Equal("invalid_order", answers[1].Error!.Code);
        Assert.Equal("post only cross", answers[1].Error!.Details);

        var cancels = new (string, string?)[] { ("0d6a1e3c-0000-4000-8000-000000000001", null), ("00000000-0000-0000-0000-000000000000", null) };
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Vectors.BatchCancelRequest), JsonNode.Parse(KalshiJson.Serialize(KalshiWireMapper.ToWire(cancels)))));
        var cancelled = Read<BatchCancelOrdersV2ResponseDto>(Vectors.BatchCancelResponse).Orders.Select(KalshiWireMapper.ToApi).ToList();
        Assert.Equal(Quantity.FromContracts(5), cancelled[0].Value!.ReducedBy);
        Assert.True(cancelled[1].Error!.IsNotFound);
    }

    [Fact]
    public void Fills_positions_and_settlements_are_consistent()
    {
        var fills = Read<GetFillsResponseDto>(Vectors.Fills).Fills.Select(KalshiWireMapper.ToApi).ToList();
        Assert.Equal(3, fills.Count);
        Assert.Equal("f4a42159-b500-57c6-efa2-c31d94d916c1", fills[0].TradeId);
        Assert.Equal(BookSide.Bid, fills[0].Side);
        Assert.True(fills[0].IsTaker);
        Assert.Equal(Money.Parse("0.0175"), fills[0].Fee);
        Assert.Equal(new DateTimeOffset(2026, 6, 11, 6, 29, 30, TimeSpan.Zero).AddTicks(1649560), fills[0].Time);

        var positions = Read<GetPositionsResponseDto>(Vectors.Positions);
        var p = KalshiWireMapper.ToApi(Assert.Single(positions.MarketPositions!));
        Money cost = fills.Aggregate(Money.Zero, (s, f) => s + f.YesPrice * f.Count);
        Money fees = fills.Aggregate(Money.Zero, (s, f) => s + f.Fee);
        Assert.Equal(cost, p.MarketExposure);
        Assert.Equal(cost, p.TotalTraded);
        Assert.Equal(fees, p.FeesPaid);
        Assert.Equal(Quantity.FromContracts(3), p.Position);
        Assert.Equal(fills.Aggregate(Quantity.Zero, (s, f) => s + f.SignedCount), p.Position);

        var s = KalshiWireMapper.ToApi(Assert.Single(Read<GetSettlementsResponseDto>(Vectors.Settlements).Settlements));
        Assert.Equal(Money.FromDollars(3), s.Revenue);
        Assert.Equal(Money.Parse("0.4811"), s.Revenue - s.YesTotalCost - s.FeeCost);
    }

    [Theory]
    [InlineData(nameof(Vectors.ErrDuplicate), 409, "order_already_exists", null)]
    [InlineData(nameof(Vectors.ErrInsufficient), 400, "insufficient_balance", null)]
    [InlineData(nameof(Vectors.ErrPostOnly), 400, "invalid_order", "post only cross")]
    [InlineData(nameof(Vectors.ErrInvalidPrice), 400, "invalid_price", null)]
    [InlineData(nameof(Vectors.ErrNumbers), 400, "bad_request", "json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string")]
    [InlineData(nameof(Vectors.ErrNotFound), 404, "not_found", null)]
    [InlineData(nameof(Vectors.ErrRateLimited), 429, "too_many_requests", null)]
    [InlineData(nameof(Vectors.ErrLegacy), 410, "deprecated_v1_order_endpoint", null)]
    [InlineData(nameof(Vectors.BareLimit), 400, "bad_request", null)]
    public void Every_error_shape_becomes_one_typed_error(string vector, int status, string code, string? details)
    {
        string json = (string)typeof(Vectors).GetField(vector, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)!.GetValue(null)!;
        var e = KalshiErrorBody.Parse(status, System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal(status, e.HttpStatus);
        Assert.Equal(code, e.Code);
        Assert.Equal(details, e.Details);
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Error_flags_and_non_json_bodies()
    {
        Assert.True(KalshiErrorBody.Parse(409, System.Text.Encoding.UTF8.GetBytes(Vectors.ErrDuplicate)).IsDuplicateClientOrderId);
        Assert.True(KalshiErrorBody.Parse(429, System.Text.Encoding.UTF8.GetBytes(Vectors.ErrRateLimited)).IsRateLimited);
        var bare = KalshiErrorBody.Parse(400, System.Text.Encoding.UTF8.GetBytes(Vectors.BareLimit));
        Assert.StartsWith("Parameter validation failed for GetMarkets", bare.Message);
        var html = KalshiErrorBody.Parse(502, "<html>Bad Gateway</html>"u8);
        Assert.Equal("http_502", html.Code);
        Assert.Contains("Bad Gateway", html.Message);
        Assert.Equal("http_503", KalshiErrorBody.Parse(503, ReadOnlySpan<byte>.Empty).Code);
    }

    [Theory]
    [InlineData(ErrorBodyShape.Nested)]
    [InlineData(ErrorBodyShape.Flat)]
    public void Error_bodies_round_trip(ErrorBodyShape shape)
    {
        var e = new KalshiError(400, "invalid_order", "invalid order", "post only cross");
        Assert.Equal(e, KalshiErrorBody.Parse(400, KalshiErrorBody.Write(e, shape)));
    }

    [Fact]
    public void A_missing_required_field_is_an_error_naming_it_not_a_zero()
    {
        // Gotcha 2: the legacy integer fields are gone; a position without position_fp must not read as flat.
        const string legacy = """{"cursor":"","event_positions":[],"market_positions":[{"ticker":"T","position":3,"market_exposure_dollars":"1.00","realized_pnl_dollars":"0","fees_paid_dollars":"0","total_traded_dollars":"1.00"}]}""";
        var e = Assert.Throws<KalshiWireException>(() => Read<GetPositionsResponseDto>(legacy));
        Assert.Contains("position_fp", e.Message);
        Assert.Contains("MarketPosition", e.Message);
    }

    [Fact]
    public void A_bad_value_names_the_field_and_the_reason()
    {
        string bad = Vectors.CreateMakerResponse.Replace("\"1.00\"", "\"1.001\"");
        var e = Assert.Throws<KalshiWireException>(() => Read<CreateOrderV2ResponseDto>(bad));
        Assert.Contains("remaining_count", e.Message);
        Assert.Contains("more than 2 decimals", e.Message);
    }

    [Fact]
    public void Lenient_reading_accepts_numbers_and_unknown_fields()
    {
        var dto = Read<GetMarketOrderbookResponseDto>("""{"orderbook_fp":{"yes_dollars":[["0.4700",3]],"no_dollars":[[0.48,"2.5"]],"new_field":{"x":1}},"other":true}""");
        Assert.Equal(new PriceLevelDto(Price.Parse("0.47"), Quantity.FromContracts(3)), dto.OrderbookFp.YesDollars![0]);
        Assert.Equal(new PriceLevelDto(Price.Parse("0.48"), Quantity.Parse("2.5")), dto.OrderbookFp.NoDollars![0]);
    }

    [Fact]
    public void Legacy_cent_levels_are_refused_not_misread()
    {
        var e = Assert.Throws<KalshiWireException>(() => Read<GetMarketOrderbookResponseDto>("""{"orderbook_fp":{"yes_dollars":[[47,3]]}}"""));
        Assert.Contains("'47' is not a valid price", e.Message);
    }

    [Fact]
    public void Money_is_written_with_the_decimals_Kalshi_uses()
    {
        var balance = KalshiWireMapper.ToWire(new AccountBalance(Money.Parse("98.0186"), Money.FromCents(198)), DateTimeOffset.FromUnixTimeSeconds(1781159348));
        var json = KalshiJson.Serialize(balance);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Vectors.Balance), JsonNode.Parse(json)), json);
        var order = KalshiJson.Serialize(KalshiWireMapper.ToWire(KalshiWireMapper.ToApi(Read<GetOrderResponseDto>(Vectors.OrderById).Order), "f50604b8-d25a-4b0c-b3c9-ce5b48ffcad0"));
        Assert.Contains("\"taker_fees_dollars\":\"0.000000\"", order);
        Assert.Contains("\"no_price_dollars\":\"0.9900\"", order);
    }
}
