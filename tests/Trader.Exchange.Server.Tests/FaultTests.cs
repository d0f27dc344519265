using System.Net.WebSockets;
using Trader.Core.Orders;
using Trader.Exchange.Server.Faults;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Trader.Kalshi.RateLimiting;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using Trader.Kalshi.Wire;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>Every fault the exchange injects on purpose, and the real client's answer to it.</summary>
public sealed class FaultTests
{
    private static KalshiStreamOptions StreamOptions(Sim sim) => new()
    {
        Endpoint = sim.Server.WebSocketUrl,
        Credentials = sim.Demo,
        CommandTimeout = Sim.Patience,
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), int.MaxValue),
    };

    [Fact]
    public async Task Refused_websocket_upgrades_answer_503_and_the_resilient_stream_connects_once_they_stop()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { WebsocketUpgrade503 = 1 });
        using (var socket = new ClientWebSocket())
        {
            socket.Options.CollectHttpResponseDetails = true;
            foreach (var (name, value) in sim.Demo.Sign("GET", KalshiSignature.WebSocketPath, TimeProvider.System).AsPairs()) socket.Options.SetRequestHeader(name, value);
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(sim.Server.WebSocketUrl, CancellationToken.None));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        }

        await sim.Control.SetFaultsAsync(new FaultSettings { WebsocketUpgrade503 = 3 });
        var recorder = new StreamRecorder();
        await using var stream = new ResilientKalshiStream(StreamOptions(sim), recorder);
        await stream.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        stream.Start();
        await stream.WhenConnected().WaitAsync(Sim.Patience);
        await recorder.WaitAsync<OrderBookSnapshotMessage>();
        Assert.Equal(3, recorder.All<StreamDisconnected>().Count(d => d.Reason.Contains("503")));
        Assert.Equal(0, (await sim.Control.GetFaultsAsync()).WebsocketUpgrade503);
    }

    [Fact]
    public async Task A_dropped_connection_is_reconnected_and_its_subscriptions_restored_with_fresh_snapshots()
    {
        await using var sim = await Sim.StartAsync();
        var recorder = new StreamRecorder();
        await using var stream = new ResilientKalshiStream(StreamOptions(sim), recorder);
        await stream.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        await stream.SubscribeAsync(new SubscriptionRequest(["fill"]), CancellationToken.None);
        stream.Start();
        await stream.WhenConnected().WaitAsync(Sim.Patience);
        await recorder.WaitAsync<OrderBookSnapshotMessage>();

        var mark = recorder.Mark();
        Assert.Equal(1, await sim.Control.DropWebSocketsAsync());
        await recorder.WaitAsync<StreamDisconnected>(from: mark);
        await recorder.WaitAsync<StreamConnected>(c => c.Attempt == 2, from: mark);
        await recorder.WaitAsync<OrderBookSnapshotMessage>(from: mark);
        await recorder.WaitAsync<SubscriptionConfirmed>(c => c.Channel == "fill", from: mark);

        // The restored subscriptions carry on: our next fill arrives.
        var other = sim.Client(sim.User().Credentials);
        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.5000", 1)));
        Accepted(await sim.Client().CreateOrderAsync(Order(BookSide.Bid, "0.5000", 1)));
        await recorder.WaitAsync<FillMessage>(from: mark);
    }

    [Fact]
    public async Task A_skipped_sequence_number_is_a_gap_the_client_repairs_with_get_snapshot()
    {
        await using var sim = await Sim.StartAsync();
        await using var stream = await StreamClient.ConnectAsync(sim);
        var r = stream.Recorder;
        await stream.Session.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        await r.WaitAsync<OrderBookSnapshotMessage>();

        await sim.Control.SetFaultsAsync(new FaultSettings { SkipSequence = 1 });
        var mark = r.Mark();
        var client = sim.Client();
        Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 2)));
        var gap = await r.WaitAsync<SequenceGapDetected>(from: mark);
        Assert.Equal((2L, 3L, true), (gap.Expected, gap.Received, gap.SnapshotRequested));
        var snapshot = await r.WaitAsync<OrderBookSnapshotMessage>(from: mark);
        Assert.Equal([new(Trader.Core.Numbers.Price.Parse("0.4000"), Trader.Core.Numbers.Quantity.FromContracts(2))], snapshot.YesBids);

        // After the repair the stream is whole again: the next delta is in sequence.
        mark = r.Mark();
        Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4100", 1)));
        var delta = await r.WaitAsync<OrderBookDeltaMessage>(d => d.Price == Trader.Core.Numbers.Price.Parse("0.4100"), from: mark);
        Assert.Equal(snapshot.Seq + 1, delta.Seq);
        Assert.Equal(1, stream.Session.Statistics.Gaps);
    }

    [Fact]
    public async Task A_slow_connection_overflows_its_subscription_buffer_error_25_and_the_client_resubscribes()
    {
        await using var sim = await Sim.StartAsync(o => o with { SubscriptionBufferFrames = 4 });
        await using var stream = await StreamClient.ConnectAsync(sim);
        var r = stream.Recorder;
        await stream.Session.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        await r.WaitAsync<OrderBookSnapshotMessage>();

        await sim.Control.SetFaultsAsync(new FaultSettings { WebsocketStall = true });
        var mark = r.Mark();
        var client = sim.Client();
        for (int i = 0; i < 8; i++) Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, $"0.{10 + i}00", 1)));
        await sim.Control.SetFaultsAsync(new FaultSettings { WebsocketStall = false });

        var error = await r.WaitAsync<StreamErrorReported>(from: mark);
        Assert.Equal((25, true), (error.Code, error.Resubscribing));
        var renewed = await r.WaitAsync<SubscriptionConfirmed>(from: mark);
        Assert.NotEqual(1, renewed.Sid);
        var snapshot = await r.WaitAsync<OrderBookSnapshotMessage>(s => s.Sid == renewed.Sid, from: mark);
        Assert.Equal(8, snapshot.YesBids.Length);
    }

    [Fact]
    public async Task A_burst_of_429_is_ridden_out_by_reads_and_writes()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { RateLimitBurst = 2 });
        var (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/balance");
        Assert.Equal(429, status);
        Assert.Equal("""{"error":"too many requests"}""", body);

        var client = sim.Client();
        await client.GetBalanceAsync(); // one more 429, then through
        Assert.True(client.RateLimiter.Read.RateFactor < 1);

        await sim.Control.SetFaultsAsync(new FaultSettings { RateLimitBurst = 1 });
        Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.3000", 1))); // a 429 certainly did nothing: retried
        Assert.Single(await client.GetOrdersAsync(new OrderQuery()));
    }

    [Fact]
    public async Task Token_buckets_per_key_answer_429_when_a_key_outruns_its_tier()
    {
        // The server's clock stands still (signatures stay within the window): the buckets do not refill during the test.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await Sim.StartAsync(o => o with { RateLimits = KalshiRateLimiter.BasicTier, Time = time, TimestampWindow = TimeSpan.FromMinutes(1) });
        // Basic: 200 read tokens at 10 a request: 20 reads, then 429 until tokens come back.
        var statuses = new List<int>();
        for (int i = 0; i < 25; i++) statuses.Add((await sim.SendAsync(HttpMethod.Get, "/portfolio/balance")).Status);
        Assert.Equal(Enumerable.Repeat(200, 20).Concat(Enumerable.Repeat(429, 5)), statuses);
        var (_, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders");
        Assert.Equal("""{"error":"too many requests"}""", body);
        // Writes have their own bucket; another key has its own buckets.
        Assert.Equal(204, (await sim.SendAsync(HttpMethod.Delete, "/portfolio/events/orders")).Status);
        var fresh = sim.User();
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", credentials: fresh.Credentials)).Status);
        time.Advance(TimeSpan.FromMilliseconds(100)); // 20 tokens: two more reads
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance")).Status);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance")).Status);
        Assert.Equal(429, (await sim.SendAsync(HttpMethod.Get, "/portfolio/balance")).Status);
    }

    [Fact]
    public async Task A_client_pacing_itself_under_its_tier_is_never_refused()
    {
        await using var sim = await Sim.StartAsync(o => o with { RateLimits = KalshiRateLimiter.BasicTier });
        // A little under the key's tier, as its only user: exactly at the tier, network jitter alone can leave the
        // server's bucket a fraction of a token short now and then.
        var paced = sim.Client(sim.User().Credentials, clientLimits: new AccountLimits("basic", 150, 150, 75, 75));
        for (int i = 0; i < 25; i++) await paced.GetBalanceAsync();
        Assert.Equal(1, paced.RateLimiter.Read.RateFactor);
    }

    [Fact]
    public async Task A_5xx_on_a_read_is_retried_and_a_lasting_one_surfaces()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { Rest = [new RestFaultRule("/portfolio/balance", 500, "GET", Times: 2), new RestFaultRule("/markets/*", 502, Times: 1)] });
        var client = sim.Client();
        await client.GetBalanceAsync();
        Assert.NotNull(await client.GetMarketAsync(Ticker));
        Assert.Empty((await sim.Control.GetFaultsAsync()).Rest!);

        await sim.Control.SetFaultsAsync(new FaultSettings { Rest = [new RestFaultRule("/portfolio/positions", 503, Times: -1)] });
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => client.GetPositionsAsync());
        Assert.Equal((503, "service_unavailable"), (e.Error.HttpStatus, e.Error.Code));
        await sim.Control.ClearFaultsAsync();
        Assert.Empty(await client.GetPositionsAsync());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(0)]
    public async Task A_create_executed_but_answered_with_a_5xx_or_never_answered_is_ambiguous_then_found_without_a_duplicate(int status)
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings
        {
            Rest = [new RestFaultRule("/portfolio/events/orders", status, "POST", AfterExecute: true)],
        });
        var client = sim.Client();
        var startedAt = DateTimeOffset.UtcNow.AddSeconds(-2);
        var request = Order(BookSide.Bid, "0.4400", 3, "ambiguous-1");
        var outcome = await client.CreateOrderAsync(request);
        Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(outcome);

        var found = await client.FindOrderByClientOrderIdAsync(Ticker, "ambiguous-1", startedAt);
        Assert.NotNull(found);
        Assert.Equal(ExchangeOrderStatus.Resting, found.Status);
        var resent = Accepted(await client.CreateOrderAsync(request)); // same client order id: 409, resolved to the first order
        Assert.Equal(found.OrderId, resent.OrderId);
        Assert.Single(await client.GetOrdersAsync(new OrderQuery(Ticker: Ticker)));
    }

    [Fact]
    public async Task A_create_refused_with_a_5xx_before_it_ran_is_ambiguous_and_not_found()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { Rest = [new RestFaultRule("/trade-api/v2/portfolio/events/orders", 503, "POST")] });
        var client = sim.Client();
        var request = Order(BookSide.Bid, "0.4400", 3, "never-ran");
        Assert.IsType<WriteOutcome<OrderAck>.Ambiguous>(await client.CreateOrderAsync(request));
        Assert.Null(await client.FindOrderByClientOrderIdAsync(Ticker, "never-ran", DateTimeOffset.UtcNow.AddMinutes(-1)));
        Accepted(await client.CreateOrderAsync(request));
        Assert.Single(await client.GetOrdersAsync(new OrderQuery()));
    }

    [Fact]
    public async Task Added_latency_makes_an_impatient_client_time_out()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { LatencyMs = 5_000 });
        var impatient = sim.Client(attempts: 1, timeout: TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAsync<KalshiTransportException>(() => impatient.GetBalanceAsync());
        Assert.IsType<WriteOutcome<CancelAck>.Ambiguous>(await impatient.CancelOrderAsync("00000000-0000-0000-0000-000000000001"));
        await sim.Control.SetFaultsAsync(new FaultSettings { LatencyMs = 0 });
        // Without the added latency the read goes through. Not asked of the impatient client: whether a request gets
        // its answer within 150 ms is up to the machine (a loaded 2-core CI box can take longer), not the exchange.
        await sim.Client(attempts: 1).GetBalanceAsync();
    }

    [Fact]
    public async Task Clock_skew_on_the_server_refuses_timestamps_as_expired_for_rest_and_the_upgrade()
    {
        await using var sim = await Sim.StartAsync();
        await sim.Control.SetFaultsAsync(new FaultSettings { ClockSkewMs = -60_000 });
        var client = sim.Client(attempts: 1);
        var e = await Assert.ThrowsAsync<KalshiApiException>(() => client.GetBalanceAsync());
        Assert.Equal((401, "header_timestamp_expired"), (e.Error.HttpStatus, e.Error.Code));
        using (var socket = new ClientWebSocket())
        {
            socket.Options.CollectHttpResponseDetails = true;
            foreach (var (name, value) in sim.Demo.Sign("GET", KalshiSignature.WebSocketPath, TimeProvider.System).AsPairs()) socket.Options.SetRequestHeader(name, value);
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(sim.Server.WebSocketUrl, CancellationToken.None));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }
        // Public market data does not care.
        await client.GetExchangeStatusAsync();

        await sim.Control.SetFaultsAsync(new FaultSettings { ClockSkewMs = 3_000 });
        await client.GetBalanceAsync();
    }
}
