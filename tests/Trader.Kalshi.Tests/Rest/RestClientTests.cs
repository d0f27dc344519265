using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Tests.Infrastructure;

namespace Trader.Kalshi.Tests.Rest;

/// <summary>The REST client against a loopback exchange: pagination, every error shape, 429, timeouts, 409 duplicates.</summary>
public sealed class RestClientTests : IAsyncLifetime
{
    private const string Ticker = "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP";
    private static readonly TimeSpan ShortStep = TimeSpan.FromSeconds(9);

    private LoopbackExchange _exchange = null!;
    private readonly TestClock _clock = new();
    private KalshiRestClient _client = null!;

    public async Task InitializeAsync()
    {
        _exchange = await LoopbackExchange.StartAsync();
        _client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = KalshiEnvironment.Parse(_exchange.Root.ToString()),
            Credentials = LoopbackExchange.Credentials(),
            Time = _clock,
            Jitter = () => 0,
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _exchange.DisposeAsync();
    }

    private Task<T> Run<T>(Task<T> operation, TimeSpan? maxStep = null) => _clock.RunUntilAsync(operation, maxStep ?? ShortStep);

    private static string OrderJson(string orderId, string clientOrderId, string status = "resting") =>
        $$"""{"order_id":"{{orderId}}","client_order_id":"{{clientOrderId}}","ticker":"{{Ticker}}","status":"{{status}}","book_side":"bid","outcome_side":"yes","side":"yes","action":"buy","type":"limit","yes_price_dollars":"0.0100","no_price_dollars":"0.9900","fill_count_fp":"0.00","remaining_count_fp":"1.00","initial_count_fp":"1.00","taker_fees_dollars":"0.000000","maker_fees_dollars":"0.000000","taker_fill_cost_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","created_time":"2026-06-11T06:29:20.866753Z"}""";

    [Fact]
    public async Task Reads_follow_the_cursor_until_it_is_empty_and_sign_without_the_query()
    {
        _exchange.Rest = (ctx, r) =>
        {
            string cursor = ctx.Request.Query["cursor"].ToString();
            return cursor switch
            {
                "" => LoopbackExchange.Json(ctx, 200, $$"""{"cursor":"page2","orders":[{{OrderJson("o1", "c1")}}]}"""),
                "page2" => LoopbackExchange.Json(ctx, 200, $$"""{"cursor":"page3","orders":[{{OrderJson("o2", "c2")}}]}"""),
                _ => LoopbackExchange.Json(ctx, 200, $$"""{"cursor":"","orders":[{{OrderJson("o3", "c3", "executed")}}]}"""),
            };
        };
        var orders = await Run(_client.GetOrdersAsync(new OrderQuery(Ticker: Ticker, Status: ExchangeOrderStatus.Resting)));
        Assert.Equal(["o1", "o2", "o3"], orders.Select(o => o.OrderId));
        var requests = _exchange.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.True(r.SignatureValid, "signature over the path without the query"));
        Assert.All(requests, r => Assert.Equal(LoopbackExchange.KeyId, r.KeyId));
        Assert.Equal($"?ticker={Ticker}&status=resting&limit=1000", requests[0].Query);
        Assert.EndsWith("&cursor=page2", requests[1].Query);
        Assert.EndsWith("&cursor=page3", requests[2].Query);
    }

    [Fact]
    public async Task A_cursor_that_repeats_is_an_error_not_an_endless_loop()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 200, """{"cursor":"same","fills":[]}""");
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => Run(_client.GetFillsAsync(new FillQuery())));
        Assert.Equal("pagination_loop", e.Error.Code);
    }

    [Fact]
    public async Task Positions_ask_for_non_zero_rows_and_map_every_page()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 200, Vectors.Positions);
        var positions = await Run(_client.GetPositionsAsync());
        Assert.Equal(Quantity.FromContracts(3), Assert.Single(positions).Position);
        Assert.Contains("count_filter=position", _exchange.Requests.Single().Query);
    }

    [Fact]
    public async Task Not_found_reads_are_null()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 404, Vectors.ErrNotFound);
        Assert.Null(await Run(_client.GetOrderAsync("nope")));
        Assert.Null(await Run(_client.GetMarketAsync("NOPE")));
    }

    [Fact]
    public async Task Exchange_status_during_maintenance_is_an_answer()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 503, Vectors.StatusMaintenance);
        var status = await Run(_client.GetExchangeStatusAsync());
        Assert.False(status.TradingActive);
        Assert.Single(_exchange.Requests);
    }

    [Theory]
    [InlineData(400, """{"msg":"Parameter validation failed for GetMarkets"}""", "bad_request", null)]
    [InlineData(401, """{"error":{"code":"authentication_error","message":"authentication_error","details":"INCORRECT_API_KEY_SIGNATURE"}}""", "authentication_error", "INCORRECT_API_KEY_SIGNATURE")]
    [InlineData(401, """{"error":{"code":"header_timestamp_expired","message":"header timestamp expired"}}""", "header_timestamp_expired", null)]
    [InlineData(403, """{"error":{"code":"forbidden","message":"forbidden","details":"missing scope"}}""", "forbidden", "missing scope")]
    [InlineData(400, """{"code":"bad_request","message":"bad request","details":"json: cannot unmarshal"}""", "bad_request", "json: cannot unmarshal")]
    public async Task Read_errors_become_one_typed_error(int status, string body, string code, string? details)
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, status, body);
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => Run(_client.GetBalanceAsync()));
        Assert.Equal(status, e.Error.HttpStatus);
        Assert.Equal(code, e.Error.Code);
        Assert.Equal(details, e.Error.Details);
        Assert.Single(_exchange.Requests); // 4xx is not retried
    }

    [Fact]
    public async Task Reads_retry_429_with_backoff_and_the_client_slows_down()
    {
        int calls = 0;
        _exchange.Rest = (ctx, _) => Interlocked.Increment(ref calls) <= 2
            ? LoopbackExchange.Json(ctx, 429, Vectors.ErrRateLimited)
            : LoopbackExchange.Json(ctx, 200, Vectors.Balance);
        var balance = await Run(_client.GetBalanceAsync());
        Assert.Equal(Money.Parse("98.0186"), balance.Cash);
        Assert.Equal(3, calls);
        Assert.True(_client.RateLimiter.Read.RateFactor < 1, "a 429 shrinks the effective read rate");
        Assert.True(_clock.GetUtcNow() > new DateTimeOffset(2026, 6, 11, 6, 29, 0, TimeSpan.Zero), "the retries waited (virtual time moved)");
    }

    [Fact]
    public async Task Reads_give_up_after_the_retry_budget_with_the_last_error()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 502, "<html>bad gateway</html>");
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => Run(_client.GetBalanceAsync()));
        Assert.Equal("http_502", e.Error.Code);
        Assert.Equal(Backoff.Rest.MaxAttempts, _exchange.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_host_is_a_transport_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = KalshiEnvironment.Parse($"http://127.0.0.1:{port}"),
            Time = _clock,
            Jitter = () => 0,
        });
        var e = await Assert.ThrowsAsync<KalshiTransportException>(() => Run(client.GetExchangeStatusAsync()));
        Assert.Contains("ConnectionError", e.Message);
    }

    [Fact]
    public async Task Create_sends_the_exact_wire_body_and_maps_the_ack()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 201, Vectors.CreateMakerResponse);
        var request = new CreateOrderRequest(Ticker, "4a75a66e-ca85-4187-93cd-aac5e01ad982", BookSide.Bid, Price.Parse("0.01"), Quantity.FromContracts(1));
        var outcome = await Run(_client.CreateOrderAsync(request));
        var ack = Assert.IsType<WriteOutcome<OrderAck>.Accepted>(outcome).Value;
        Assert.Equal("2597b999-f887-4195-8bac-c3f97a1f2021", ack.OrderId);
        var sent = _exchange.Requests.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/trade-api/v2/portfolio/events/orders", sent.Path);
        Assert.Equal(Vectors.CreateMakerRequest, sent.Body);
        Assert.True(sent.SignatureValid);
    }

    [Theory]
    [InlineData(400, """{"error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}""", "invalid_order")]
    [InlineData(400, """{"error":{"code":"insufficient_balance","message":"insufficient balance","service":"exchange"}}""", "insufficient_balance")]
    [InlineData(400, """{"code":"bad_request","message":"bad request","details":"json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string"}""", "bad_request")]
    [InlineData(410, """{"error":{"code":"deprecated_v1_order_endpoint","message":"deprecated v1 order endpoint"}}""", "deprecated_v1_order_endpoint")]
    [InlineData(401, """{"error":{"code":"authentication_error","message":"authentication_error","details":"NOT_FOUND"}}""", "authentication_error")]
    public async Task Create_refusals_are_definitive(int status, string body, string code)
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, status, body);
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-1", BookSide.Bid, Price.Parse("0.99"), Quantity.FromContracts(1))));
        var refused = Assert.IsType<WriteOutcome<OrderAck>.Refused>(outcome);
        Assert.Equal(code, refused.Error.Code);
        Assert.Equal(status, refused.Error.HttpStatus);
        Assert.Single(_exchange.Requests);
    }

    [Fact]
    public async Task A_429_on_create_is_retried_with_the_same_client_order_id()
    {
        int calls = 0;
        _exchange.Rest = (ctx, _) => Interlocked.Increment(ref calls) == 1
            ? LoopbackExchange.Json(ctx, 429, Vectors.ErrRateLimited)
            : LoopbackExchange.Json(ctx, 201, Vectors.CreateIocResponse);
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "2b8394e0-515e-4b89-b624-f34067756855", BookSide.Bid,
            Price.Parse("0.99"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel)));
        var ack = Assert.IsType<WriteOutcome<OrderAck>.Accepted>(outcome).Value;
        Assert.Equal(Price.Parse("0.52"), ack.AverageFillPrice);
        var bodies = _exchange.Requests.Select(r => r.Body).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Equal(bodies[0], bodies[1]);
        Assert.True(_client.RateLimiter.Write.RateFactor < 1);
    }

    [Fact]
    public async Task A_create_that_times_out_is_ambiguous()
    {
        var release = new TaskCompletionSource();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _exchange.Rest = async (ctx, _) =>
        {
            using var reg = ctx.RequestAborted.Register(() => release.TrySetResult());
            arrived.TrySetResult();
            await release.Task;
        };
        var create = _client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-timeout", BookSide.Bid, Price.Parse("0.5"), Quantity.FromContracts(1)));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the exchange has the request; now let the client's 10 s run out
        var outcome = await _clock.RunUntilAsync(create, maxStep: TimeSpan.FromSeconds(11));
        var ambiguous = Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(outcome);
        Assert.Contains("no answer within 10 s", ambiguous.Reason);
        Assert.Single(_exchange.Requests);
        release.TrySetResult();
    }

    [Fact]
    public async Task A_create_whose_connection_drops_after_sending_is_ambiguous()
    {
        _exchange.Rest = (ctx, _) =>
        {
            ctx.Abort();
            return Task.CompletedTask;
        };
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-drop", BookSide.Bid, Price.Parse("0.5"), Quantity.FromContracts(1))));
        Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(outcome);
        Assert.Single(_exchange.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_create_answered_with_5xx_is_ambiguous_and_not_retried(int status)
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, status, """{"error":{"code":"internal","message":"internal error"}}""");
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-5xx", BookSide.Bid, Price.Parse("0.5"), Quantity.FromContracts(1))));
        var ambiguous = Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(outcome);
        Assert.Contains($"HTTP {status}", ambiguous.Reason);
        Assert.Single(_exchange.Requests);
    }

    [Fact]
    public async Task A_create_whose_answer_cannot_be_read_is_ambiguous()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 201, """{"order_id":"x","fill_count":0}""");
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-bad", BookSide.Bid, Price.Parse("0.5"), Quantity.FromContracts(1))));
        Assert.Contains("cannot be read", Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(outcome).Reason);
    }

    [Fact]
    public async Task A_409_duplicate_is_resolved_by_looking_the_order_up()
    {
        _exchange.Rest = (ctx, r) => r.Method == "POST"
            ? LoopbackExchange.Json(ctx, 409, Vectors.ErrDuplicate)
            : LoopbackExchange.Json(ctx, 200, $$"""{"cursor":"","orders":[{{OrderJson("other", "someone-else")}},{{OrderJson("2597b999", "c-dup")}}]}""");
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-dup", BookSide.Bid, Price.Parse("0.01"), Quantity.FromContracts(1))));
        var ack = Assert.IsType<WriteOutcome<OrderAck>.Accepted>(outcome).Value;
        Assert.Equal("2597b999", ack.OrderId);
        Assert.Equal("c-dup", ack.ClientOrderId);
        Assert.Equal(Quantity.FromContracts(1), ack.RemainingCount);
        var lookup = _exchange.Requests.Last();
        Assert.Equal("/trade-api/v2/portfolio/orders", lookup.Path);
        Assert.Contains($"ticker={Ticker}", lookup.Query);
        Assert.Contains("min_ts=", lookup.Query);
    }

    [Fact]
    public async Task A_409_whose_order_is_not_found_stays_refused()
    {
        _exchange.Rest = (ctx, r) => r.Method == "POST"
            ? LoopbackExchange.Json(ctx, 409, Vectors.ErrDuplicate)
            : LoopbackExchange.Json(ctx, 200, """{"cursor":"","orders":[]}""");
        var outcome = await Run(_client.CreateOrderAsync(new CreateOrderRequest(Ticker, "c-old", BookSide.Bid, Price.Parse("0.01"), Quantity.FromContracts(1))));
        Assert.True(Assert.IsType<WriteOutcome<OrderAck>.Refused>(outcome).Error.IsDuplicateClientOrderId);
    }

    [Fact]
    public async Task Cancel_of_a_terminal_order_is_refused_as_not_found()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 404, Vectors.ErrNotFound);
        var outcome = await Run(_client.CancelOrderAsync("2597b999-f887-4195-8bac-c3f97a1f2021", Ticker));
        Assert.True(Assert.IsType<WriteOutcome<CancelAck>.Refused>(outcome).Error.IsNotFound);
        var sent = _exchange.Requests.Single();
        Assert.Equal("DELETE", sent.Method);
        Assert.Equal($"?market_ticker={Ticker}", sent.Query);
        Assert.True(sent.SignatureValid);
    }

    [Fact]
    public async Task Cancel_amend_decrease_batch_and_cancel_all()
    {
        _exchange.Rest = (ctx, r) => (r.Method, r.Path) switch
        {
            ("DELETE", "/trade-api/v2/portfolio/events/orders") => Status(ctx, 204),
            ("DELETE", "/trade-api/v2/portfolio/events/orders/batched") => LoopbackExchange.Json(ctx, 200, Vectors.BatchCancelResponse),
            ("DELETE", _) => LoopbackExchange.Json(ctx, 200, Vectors.CancelResponse),
            ("POST", "/trade-api/v2/portfolio/events/orders/batched") => LoopbackExchange.Json(ctx, 201, Vectors.BatchCreateResponse),
            ("POST", var p) when p.EndsWith("/amend", StringComparison.Ordinal) => LoopbackExchange.Json(ctx, 200, Vectors.AmendResponse),
            ("POST", var p) when p.EndsWith("/decrease", StringComparison.Ordinal) => LoopbackExchange.Json(ctx, 200, Vectors.DecreaseResponse),
            _ => Status(ctx, 418),
        };
        const string id = "2597b999-f887-4195-8bac-c3f97a1f2021";
        Assert.IsType<WriteOutcome<CancelAck>.Accepted>(await Run(_client.CancelOrderAsync(id)));
        var amended = await Run(_client.AmendOrderAsync(new AmendOrderRequest(id, Ticker, BookSide.Bid, Price.Parse("0.02"), Quantity.FromContracts(2))));
        Assert.Equal(Quantity.FromContracts(2), Assert.IsType<WriteOutcome<OrderAck>.Accepted>(amended).Value.RemainingCount);
        var decreased = await Run(_client.DecreaseOrderAsync(new DecreaseOrderRequest(id, null, Quantity.FromContracts(1))));
        Assert.Equal(Quantity.FromContracts(1), Assert.IsType<WriteOutcome<DecreaseAck>.Accepted>(decreased).Value.RemainingCount);
        var batch = await Run(_client.BatchCreateOrdersAsync([
            new CreateOrderRequest(Ticker, "c-1", BookSide.Bid, Price.Parse("0.45"), Quantity.FromContracts(5), PostOnly: true),
            new CreateOrderRequest(Ticker, "c-2", BookSide.Ask, Price.Parse("0.46"), Quantity.FromContracts(5), PostOnly: true)]));
        var items = Assert.IsType<WriteOutcome<IReadOnlyList<BatchItem<OrderAck>>>.Accepted>(batch).Value;
        Assert.True(items[0].IsSuccess);
        Assert.Equal("invalid_order", items[1].Error!.Code);
        var cancels = await Run(_client.BatchCancelOrdersAsync([("0d6a1e3c-0000-4000-8000-000000000001", null), ("00000000-0000-0000-0000-000000000000", null)]));
        Assert.True(Assert.IsType<WriteOutcome<IReadOnlyList<BatchItem<CancelAck>>>.Accepted>(cancels).Value[1].Error!.IsNotFound);
        Assert.IsType<WriteOutcome<NoContent>.Accepted>(await Run(_client.CancelAllOrdersAsync()));

        var sent = _exchange.Requests.ToList();
        Assert.All(sent, r => Assert.True(r.SignatureValid, $"{r.Method} {r.Path}"));
        Assert.Equal(Vectors.AmendRequest, sent[1].Body);
        Assert.Equal(Vectors.DecreaseRequest, sent[2].Body);
        Assert.Contains("\"order_id\":\"0d6a1e3c-0000-4000-8000-000000000001\"", sent[4].Body);
    }

    [Fact]
    public async Task Rate_limits_are_configured_from_the_account()
    {
        _exchange.Rest = (ctx, r) => r.Path.EndsWith("/limits", StringComparison.Ordinal)
            ? LoopbackExchange.Json(ctx, 200, """{"grants":[],"read":{"bucket_capacity":300,"refill_rate":300},"usage_tier":"advanced","write":{"bucket_capacity":600,"refill_rate":300}}""")
            : LoopbackExchange.Json(ctx, 200, Vectors.EndpointCosts);
        var limits = await Run(_client.ConfigureRateLimitsAsync());
        Assert.Equal("advanced", limits.UsageTier);
        Assert.Equal(300, _client.RateLimiter.Read.RefillPerSecond);
        Assert.Equal(600, _client.RateLimiter.Write.Capacity);
        Assert.Equal(20, _client.RateLimiter.CostOf(HttpMethod.Post, "/trade-api/v2/portfolio/orders"));
        Assert.Equal(2, _client.RateLimiter.CostOf(HttpMethod.Delete, "/trade-api/v2/portfolio/events/orders/abc"));
    }

    [Fact]
    public async Task The_server_clock_is_recorded_for_skew_checks()
    {
        _exchange.Rest = (ctx, _) => LoopbackExchange.Json(ctx, 200, Vectors.StatusOk);
        await Run(_client.GetExchangeStatusAsync());
        Assert.NotNull(_client.LastServerDate);
    }

    private static Task Status(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
