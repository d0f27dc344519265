using System.Security.Cryptography;
using System.Text.Json;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Trader.Kalshi.Signing;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>Refusals over the wire: Kalshi's statuses and bodies (kalshi-api.md §2.5, §3.12, §9.5).</summary>
public sealed class RefusalTests
{
    private static string CreateBody(string clientOrderId, string side = "bid", string price = "\"0.4000\"", string count = "\"1.00\"", string ticker = Ticker,
        string extra = "") =>
        $$"""{"ticker":"{{ticker}}","client_order_id":"{{clientOrderId}}","side":"{{side}}","count":{{count}},"price":{{price}},"time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"{{extra}}}""";

    [Fact]
    public async Task Business_refusals_have_kalshis_statuses_and_nested_bodies()
    {
        await using var sim = await Sim.StartAsync(o => o with { StartingBalance = Money.FromDollars(10) });
        var client = sim.Client();

        var poor = Refused(await client.CreateOrderAsync(Order(BookSide.Bid, "0.9900", 100)));
        Assert.Equal((400, "insufficient_balance"), (poor.HttpStatus, poor.Code));

        var offGrid = Refused(await client.CreateOrderAsync(Order(BookSide.Bid, "0.5150", 1)));
        Assert.Equal((400, "invalid_price"), (offGrid.HttpStatus, offGrid.Code));

        Accepted(await client.CreateOrderAsync(Order(BookSide.Ask, "0.5000", 1)));
        var cross = Refused(await client.CreateOrderAsync(Order(BookSide.Bid, "0.5000", 1, postOnly: true)));
        Assert.Equal((400, "invalid_order", "post only cross"), (cross.HttpStatus, cross.Code, cross.Details));

        var cancelUnknown = Refused(await client.CancelOrderAsync("00000000-0000-0000-0000-000000000001"));
        Assert.Equal((404, "not_found"), (cancelUnknown.HttpStatus, cancelUnknown.Code));

        await sim.Control.CloseMarketAsync(Other);
        var closed = Refused(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 1, ticker: Other)));
        Assert.Equal((400, "market_inactive"), (closed.HttpStatus, closed.Code));

        var (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", CreateBody("x", price: "\"0.5150\""));
        Assert.Equal(400, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("invalid_price", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid price", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_client_order_id_is_taken_forever_409_even_after_cancel_and_the_client_resolves_it_to_the_first_order()
    {
        await using var sim = await Sim.StartAsync();
        var (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", CreateBody("dup-1"));
        Assert.Equal(201, status);
        string orderId = JsonDocument.Parse(body).RootElement.GetProperty("order_id").GetString()!;
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Delete, $"/portfolio/events/orders/{orderId}")).Status);

        (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", CreateBody("dup-1"));
        Assert.Equal(409, status);
        Assert.Equal("order_already_exists", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());

        // The real client turns the 409 of a re-sent create into the order that holds the id: no duplicate.
        var client = sim.Client();
        var again = Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 1, "dup-1")));
        Assert.Equal(orderId, again.OrderId);
        Assert.Single(await client.GetOrdersAsync(new OrderQuery(Ticker: Ticker)));
    }

    [Fact]
    public async Task Numbers_sent_as_json_numbers_are_refused_with_the_flat_bad_request_body()
    {
        await using var sim = await Sim.StartAsync();
        var (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", CreateBody("n-1", count: "1"));
        Assert.Equal(400, status);
        Assert.Equal(
            """{"code":"bad_request","message":"bad request","details":"json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string"}""",
            body);
        (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", CreateBody("n-2", price: "0.4"));
        Assert.Equal(400, status);
        Assert.Contains("CreateOrderV2Request.price of type string", body);

        (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", "{not json");
        Assert.Equal(400, status);
        Assert.Equal("bad_request", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        (status, _) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", "");
        Assert.Equal(400, status);
        (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/events/orders", """{"ticker":"X"}""");
        Assert.Equal(400, status);
        Assert.Contains("missing required field", body);
        Assert.Empty(await sim.Client().GetOrdersAsync(new OrderQuery()));
    }

    [Fact]
    public async Task The_retired_v1_order_entry_answers_410_even_unsigned_and_unknown_routes_404()
    {
        await using var sim = await Sim.StartAsync();
        var (status, body) = await sim.SendAsync(HttpMethod.Post, "/portfolio/orders",
            """{"ticker":"KXBTCD-26DEC01-T100000","action":"buy","side":"yes","count":1,"yes_price":40}""", sign: false);
        Assert.Equal(410, status);
        Assert.Equal("deprecated_v1_order_endpoint", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(410, (await sim.SendAsync(HttpMethod.Delete, "/portfolio/orders/abc")).Status);
        Assert.Equal(410, (await sim.SendAsync(HttpMethod.Post, "/portfolio/orders/batched", "{}")).Status);
        // The V1 read stays.
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/orders")).Status);

        (status, body) = await sim.SendAsync(HttpMethod.Get, "/no/such/route");
        Assert.Equal(404, status);
        Assert.Equal("not_found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(404, (await sim.SendAsync(HttpMethod.Get, "/markets/NOPE")).Status);
    }

    [Fact]
    public async Task Authentication_failures_answer_kalshis_401_bodies()
    {
        await using var sim = await Sim.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", sign: false);
        Assert.Equal(401, status);
        Assert.Equal("""{"error":{"code":"signature_is_missing_from_headers","message":"signature is missing from headers"}}""", body);

        using var stranger = new KalshiCredentials("7d1c2d6e-0000-4000-8000-000000000000", RSA.Create(2048));
        (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", credentials: stranger);
        Assert.Equal(401, status);
        Assert.Equal("""{"error":{"code":"authentication_error","message":"authentication_error","details":"NOT_FOUND"}}""", body);

        using var wrongKey = new KalshiCredentials(sim.Demo.KeyId, RSA.Create(2048));
        (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", credentials: wrongKey);
        Assert.Equal(401, status);
        Assert.Equal("""{"error":{"code":"authentication_error","message":"authentication_error","details":"INCORRECT_API_KEY_SIGNATURE"}}""", body);

        // The query string is not signed: a signature over path + query is a bad signature.
        using var mine = RSA.Create(2048);
        sim.Server.RegisterKey("1f0c7a4e-0000-4000-8000-000000000001", sim.Server.DemoUserId, mine);
        long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string withQuery = Convert.ToBase64String(mine.SignData(
            System.Text.Encoding.UTF8.GetBytes($"{ts}GET/trade-api/v2/portfolio/orders?limit=5"), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=5",
            headers: new KalshiAuthHeaders("1f0c7a4e-0000-4000-8000-000000000001", ts.ToString(), withQuery));
        Assert.Equal(401, status);
        Assert.Contains("INCORRECT_API_KEY_SIGNATURE", body);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=5")).Status);

        foreach (int seconds in new[] { -30, 30, -300 })
        {
            (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", clockOffset: TimeSpan.FromSeconds(seconds));
            Assert.Equal(401, status);
            Assert.Equal("""{"error":{"code":"header_timestamp_expired","message":"header timestamp expired"}}""", body);
        }
        foreach (int seconds in new[] { -5, 5 })
            Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", clockOffset: TimeSpan.FromSeconds(seconds))).Status);

        // Market data needs no key; a bad signature on a public endpoint is treated as anonymous.
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/markets", sign: false)).Status);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/exchange/status", credentials: stranger)).Status);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, $"/markets/{Ticker}/orderbook", sign: false)).Status);
    }

    [Fact]
    public async Task The_real_client_sees_the_same_refusals()
    {
        await using var sim = await Sim.StartAsync();
        using var wrongKey = new KalshiCredentials(sim.Demo.KeyId, RSA.Create(2048));
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => sim.Client(wrongKey, attempts: 1).GetBalanceAsync());
        Assert.Equal((401, "authentication_error", "INCORRECT_API_KEY_SIGNATURE"), (e.Error.HttpStatus, e.Error.Code, e.Error.Details));
        var anonymous = await Assert.ThrowsAsync<KalshiApiException>(() => sim.AnonymousClient().GetBalanceAsync());
        Assert.Equal("signature_is_missing_from_headers", anonymous.Error.Code);
    }

    [Fact]
    public async Task Query_parameters_that_fail_validation_answer_the_bare_msg_body()
    {
        await using var sim = await Sim.StartAsync();
        var (status, body) = await sim.SendAsync(HttpMethod.Get, "/markets?limit=1001");
        Assert.Equal(400, status);
        using (var doc = JsonDocument.Parse(body))
        {
            Assert.Equal(["msg"], doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("Parameter validation failed for GetMarkets: Key: 'GetMarketsParams.Limit' Error:Field validation for 'Limit' failed on the 'lte' tag",
                doc.RootElement.GetProperty("msg").GetString());
        }
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, "/markets?limit=0")).Status);
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, "/markets?limit=ten")).Status);
        (status, body) = await sim.SendAsync(HttpMethod.Get, "/markets?status=active");
        Assert.Equal(400, status);
        Assert.StartsWith("Parameter validation failed for GetMarkets", JsonDocument.Parse(body).RootElement.GetProperty("msg").GetString());
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?status=open")).Status);
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, "/portfolio/fills?min_ts=yesterday")).Status);
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, $"/markets/{Ticker}/orderbook?depth=101")).Status);
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance?subaccount=3")).Status);
    }
}
