using System.Text.Json;
using Trader.Core.Orders;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>The exchange's REST answers checked against the matching schemas of Kalshi's own <c>openapi.yaml</c> (3.21.0).</summary>
public sealed class SchemaTests
{
    /// <summary>
    /// Required in spec 3.21.0 (June 2026) but gone from Kalshi since (kalshi-api.md §6: removed 2026-07-09), so the
    /// exchange does not send them.
    /// </summary>
    private static readonly HashSet<string> RemovedSinceTheSpec = ["fractional_trading_enabled"];

    /// <summary>The simulator's series carry their fee settings only, not the legal and descriptive texts of a real series.</summary>
    private static readonly HashSet<string> SeriesTexts = ["tags", "settlement_sources", "contract_url", "contract_terms_url", "additional_prohibitions"];

    [SpecFact]
    public async Task A_sample_of_rest_answers_matches_kalshis_schemas()
    {
        var spec = OpenApiSpec.Instance!;
        await using var sim = await Sim.StartAsync();
        var client = sim.Client();
        var maker = sim.User();
        var makerClient = sim.Client(maker.Credentials);
        var problems = new List<string>();

        async Task<JsonElement> Check(HttpMethod method, string path, string schema, string? body = null, int expect = 200, HashSet<string>? exempt = null)
        {
            var (status, text) = await sim.SendAsync(method, path, body);
            Assert.True(status == expect, $"{method} {path}: HTTP {status} {text}");
            using var doc = JsonDocument.Parse(text);
            Assert.True(spec.Has(schema), $"the spec has no schema {schema}");
            problems.AddRange(spec.Check(doc.RootElement, schema, exempt ?? RemovedSinceTheSpec).Select(p => $"{method} {path} ({schema}): {p}"));
            return doc.RootElement.Clone();
        }

        Accepted(await makerClient.CreateOrderAsync(Order(BookSide.Ask, "0.5500", 5)));
        Accepted(await makerClient.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 5)));
        var created = await Check(HttpMethod.Post, "/portfolio/events/orders", "CreateOrderV2Response",
            $$$"""{"ticker":"{{{Ticker}}}","client_order_id":"schema-1","side":"bid","count":"2.00","price":"0.5500","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}""",
            expect: 201);
        await Check(HttpMethod.Post, "/portfolio/events/orders", "CreateOrderV2Response",
            $$$"""{"ticker":"{{{Ticker}}}","client_order_id":"schema-2","side":"bid","count":"3.00","price":"0.3000","time_in_force":"good_till_canceled","self_trade_prevention_type":"maker","post_only":true}""",
            expect: 201);
        string resting = (await client.FindOrderByClientOrderIdAsync(Ticker, "schema-2", DateTimeOffset.UtcNow.AddMinutes(-1)))!.OrderId;

        await Check(HttpMethod.Get, "/exchange/status", "ExchangeStatus");
        await Check(HttpMethod.Get, "/portfolio/balance", "GetBalanceResponse");
        await Check(HttpMethod.Get, "/markets?limit=3", "GetMarketsResponse");
        await Check(HttpMethod.Get, $"/markets/{Ticker}", "GetMarketResponse");
        await Check(HttpMethod.Get, $"/markets/{Ticker}/orderbook", "GetMarketOrderbookResponse");
        await Check(HttpMethod.Get, $"/markets/trades?ticker={Ticker}", "GetTradesResponse");
        await Check(HttpMethod.Get, "/portfolio/orders", "GetOrdersResponse");
        await Check(HttpMethod.Get, $"/portfolio/orders/{created.GetProperty("order_id").GetString()}", "GetOrderResponse");
        await Check(HttpMethod.Get, "/portfolio/fills", "GetFillsResponse");
        await Check(HttpMethod.Get, "/portfolio/positions", "GetPositionsResponse");
        await Check(HttpMethod.Get, "/account/limits", "GetAccountApiLimitsResponse");
        await Check(HttpMethod.Get, "/account/endpoint_costs", "GetAccountEndpointCostsResponse");
        await Check(HttpMethod.Get, "/series/KXBTCD", "GetSeriesResponse", exempt: SeriesTexts);

        await Check(HttpMethod.Post, $"/portfolio/events/orders/{resting}/amend", "AmendOrderV2Response",
            $$$"""{"ticker":"{{{Ticker}}}","side":"bid","price":"0.3100","count":"4.00"}""");
        await Check(HttpMethod.Post, $"/portfolio/events/orders/{resting}/decrease", "DecreaseOrderV2Response", """{"reduce_by":"1.00"}""");
        await Check(HttpMethod.Delete, $"/portfolio/events/orders/{resting}", "CancelOrderV2Response");
        var batch = await Check(HttpMethod.Post, "/portfolio/events/orders/batched", "BatchCreateOrdersV2Response",
            $$$"""{"orders":[{"ticker":"{{{Ticker}}}","client_order_id":"b-1","side":"bid","count":"1.00","price":"0.2000","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"},{"ticker":"{{{Ticker}}}","client_order_id":"b-2","side":"bid","count":"1.00","price":"0.2050","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}]}""",
            expect: 201);
        string batchOrder = batch.GetProperty("orders")[0].GetProperty("order_id").GetString()!;
        await Check(HttpMethod.Delete, "/portfolio/events/orders/batched", "BatchCancelOrdersV2Response",
            $$$"""{"orders":[{"order_id":"{{{batchOrder}}}"},{"order_id":"00000000-0000-0000-0000-000000000000"}]}""");

        await sim.Control.DetermineMarketAsync(Ticker, Trader.Core.Positions.MarketResult.No);
        await sim.Control.SettleMarketAsync(Ticker);
        await Check(HttpMethod.Get, "/portfolio/settlements", "GetSettlementsResponse");
        await Check(HttpMethod.Get, $"/markets/{Ticker}", "GetMarketResponse");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SpecFact]
    public void The_checker_finds_missing_fields_wrong_types_and_unknown_enum_words()
    {
        var spec = OpenApiSpec.Instance!;
        using var good = JsonDocument.Parse("""{"exchange_active":true,"trading_active":false}""");
        Assert.Empty(spec.Check(good.RootElement, "ExchangeStatus"));
        using var missing = JsonDocument.Parse("""{"exchange_active":true}""");
        Assert.Contains(spec.Check(missing.RootElement, "ExchangeStatus"), p => p.Contains("trading_active"));
        using var wrongType = JsonDocument.Parse("""{"exchange_active":"yes","trading_active":true}""");
        Assert.Contains(spec.Check(wrongType.RootElement, "ExchangeStatus"), p => p.Contains("boolean"));
        using var orders = JsonDocument.Parse("""{"cursor":"","orders":[{"order_id":"x","status":"pending"}]}""");
        var problems = spec.Check(orders.RootElement, "GetOrdersResponse");
        Assert.Contains(problems, p => p.Contains("orders[0]") && p.Contains("'ticker'"));
        Assert.Contains(problems, p => p.Contains("'pending' is not one of"));
    }
}

/// <summary>Wire details a strict Kalshi client may depend on.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Times_are_written_as_kalshi_writes_them()
    {
        Assert.Equal("2026-06-11T06:29:20.866753Z", Trader.Kalshi.Wire.KalshiTimeJsonConverter.Format(DateTimeOffset.Parse("2026-06-11T08:29:20.8667539+02:00")));
        Assert.Equal("2026-06-25T16:00:00Z", Trader.Kalshi.Wire.KalshiTimeJsonConverter.Format(DateTimeOffset.Parse("2026-06-25T16:00:00Z")));
        Assert.Equal("2026-06-11T06:29:47.42784Z", Trader.Kalshi.Wire.KalshiTimeJsonConverter.Format(DateTimeOffset.Parse("2026-06-11T06:29:47.427840Z")));
        var dto = Trader.Kalshi.Wire.KalshiJson.Deserialize<Trader.Kalshi.Wire.TradeDto>(
            """{"trade_id":"t","ticker":"X","count_fp":"1.00","yes_price_dollars":"0.5000","created_time":"2026-06-15T15:48:42.609997Z"}""");
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 15, 48, 42, TimeSpan.Zero).AddTicks(6_099_970), dto.CreatedTime);
    }

    [Fact]
    public async Task Rest_answers_carry_utc_times_with_at_most_microseconds()
    {
        await using var sim = await Sim.StartAsync();
        Accepted(await sim.Client().CreateOrderAsync(Order(BookSide.Bid, "0.2000", 1)));
        var (_, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders");
        using var doc = JsonDocument.Parse(body);
        string created = doc.RootElement.GetProperty("orders")[0].GetProperty("created_time").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$", created);
    }
}
