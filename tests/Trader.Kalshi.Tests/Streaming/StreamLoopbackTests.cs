using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Streaming;
using Trader.Kalshi.Tests.Infrastructure;

namespace Trader.Kalshi.Tests.Streaming;

/// <summary>The stream against a scripted loopback exchange: signed upgrade, commands, a gap, a dropped connection.</summary>
public sealed class StreamLoopbackTests : IAsyncLifetime
{
    private const string Ticker = "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP";
    private LoopbackExchange _exchange = null!;
    private readonly Channel<ServerConnection> _connections = Channel.CreateUnbounded<ServerConnection>();
    private readonly TestClock _clock = new();

    /// <summary>The exchange's side of one WebSocket connection, driven by the test.</summary>
    private sealed class ServerConnection(HttpContext context, WebSocket socket)
    {
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string> ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            int total = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer.AsMemory(total), timeout.Token);
                total += r.Count;
                if (r.EndOfMessage) return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }

        public Task SendAsync(string json) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>Drops the TCP connection without a close handshake.</summary>
        public void Drop()
        {
            context.Abort();
            Finished.TrySetResult();
        }

        public async Task CloseAsync()
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            Finished.TrySetResult();
        }
    }

    public async Task InitializeAsync()
    {
        _exchange = await LoopbackExchange.StartAsync();
        _exchange.Socket = async (ctx, ws) =>
        {
            var connection = new ServerConnection(ctx, ws);
            lock (_all) _all.Add(connection);
            _connections.Writer.TryWrite(connection);
            await connection.Finished.Task;
        };
    }

    private readonly List<ServerConnection> _all = [];

    public async Task DisposeAsync()
    {
        lock (_all) _all.ForEach(c => c.Finished.TrySetResult());
        await _exchange.DisposeAsync();
    }

    private KalshiStreamOptions Options() => new()
    {
        Endpoint = KalshiEnvironment.Parse(_exchange.Root.ToString()).WebSocket,
        Credentials = LoopbackExchange.Credentials(),
        Time = _clock,
        Jitter = () => 0,
    };

    private async Task<ServerConnection> NextConnection()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _connections.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task A_gap_triggers_get_snapshot_for_the_sids_markets_and_is_reported()
    {
        var handler = new RecordingHandler();
        await using var session = new KalshiStreamSession(Options(), handler);
        await session.ConnectAsync(CancellationToken.None);
        var server = await NextConnection();
        Assert.True(Assert.Single(_exchange.UpgradeSignatures), "the upgrade is signed over GET /trade-api/ws/v2");
        using var stop = new CancellationTokenSource();
        var run = session.RunAsync(stop.Token);

        var subscribing = session.SubscribeAsync(new SubscriptionRequest(["orderbook_delta", "trade"], [Ticker]), CancellationToken.None);
        // the recorded subscribe (member order aside), use_yes_price explicit
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(Vectors.WsSession[0]),
            System.Text.Json.Nodes.JsonNode.Parse(await server.ReceiveAsync())));
        await server.SendAsync(Vectors.WsSession[1]);
        await server.SendAsync(Vectors.WsSession[2]);
        var subs = await subscribing;
        Assert.Equal([1L, 2L], subs.Select(s => s.Sid!.Value));

        await server.SendAsync(Vectors.WsSession[3]); // snapshot seq 1
        await server.SendAsync(Vectors.WsSession[4]); // delta seq 2
        await server.SendAsync(Vectors.WsSession[6]); // delta seq 4: seq 3 lost
        Assert.Equal("""{"id":2,"cmd":"update_subscription","params":{"sid":1,"action":"get_snapshot","market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"]}}""",
            await server.ReceiveAsync());
        var gap = await handler.WaitFor<SequenceGapDetected>();
        Assert.Equal((subs[0].Id, 1L, 3L, 4L, true), (gap.SubscriptionId, gap.Sid, gap.Expected, gap.Received, gap.SnapshotRequested));

        // The exchange answers with ok (consuming a seq) and a fresh snapshot; the book is live again.
        await server.SendAsync("""{"id":2,"sid":1,"seq":5,"type":"ok","msg":{"market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"]}}""");
        await server.SendAsync(Vectors.WsSession[3].Replace("\"seq\":1", "\"seq\":6"));
        await server.SendAsync(Vectors.WsSession[7].Replace("\"seq\":5", "\"seq\":7"));
        var after = await handler.WaitFor<OrderBookDeltaMessage>(d => d.Seq == 7);
        Assert.Equal(subs[0].Id, after.SubscriptionId);
        Assert.Equal(2, handler.Of<OrderBookSnapshotMessage>().Count());
        Assert.Equal(1, session.Statistics.Gaps);
        Assert.Equal(0, session.Statistics.Malformed);

        var listing = session.ListSubscriptionsAsync(CancellationToken.None);
        Assert.Equal("""{"id":3,"cmd":"list_subscriptions"}""", await server.ReceiveAsync());
        await server.SendAsync("""{"id":3,"type":"ok","msg":[{"channel":"orderbook_delta","sid":1},{"channel":"trade","sid":2}]}""");
        Assert.Equal(2, (await listing).Count);

        await server.CloseAsync();
        var closed = await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("closed by the server", closed.Reason);
        Assert.All(subs, s => Assert.Null(s.Sid));
    }

    [Fact]
    public async Task Command_errors_and_timeouts_are_typed()
    {
        var handler = new RecordingHandler();
        await using var session = new KalshiStreamSession(Options(), handler);
        await session.ConnectAsync(CancellationToken.None);
        var server = await NextConnection();
        var run = session.RunAsync(CancellationToken.None);

        var refused = session.SubscribeAsync(new SubscriptionRequest(["nope"]), CancellationToken.None);
        await server.ReceiveAsync();
        await server.SendAsync("""{"id":1,"type":"error","msg":{"code":8,"msg":"Unknown channel name"}}""");
        var e = await Assert.ThrowsAsync<StreamCommandException>(() => refused);
        Assert.Equal(8, e.Code);
        Assert.Empty(session.Subscriptions.All);

        var unanswered = session.SubscribeAsync(new SubscriptionRequest(["fill"]), CancellationToken.None);
        Assert.Equal("""{"id":2,"cmd":"subscribe","params":{"channels":["fill"]}}""", await server.ReceiveAsync());
        var timeout = await Assert.ThrowsAsync<StreamCommandException>(() => _clock.RunUntilAsync(unanswered, TimeSpan.FromSeconds(11)));
        Assert.Null(timeout.Code);
        Assert.Contains("no answer within 10 s", timeout.Message);

        server.Drop();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.IsType<StreamDisconnected>(handler.Items.Last());
    }

    [Fact]
    public async Task A_dropped_connection_reconnects_with_a_fresh_signature_and_restores_subscriptions()
    {
        var handler = new RecordingHandler();
        await using var stream = new ResilientKalshiStream(Options(), handler);
        stream.Start();

        var first = await NextConnection();
        await stream.WhenConnected().WaitAsync(TimeSpan.FromSeconds(15));
        var subscribing = stream.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker], useYesPrice: true), CancellationToken.None);
        Assert.Equal("""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"],"use_yes_price":true}}""",
            await first.ReceiveAsync());
        await first.SendAsync("""{"type":"subscribed","id":1,"msg":{"channel":"orderbook_delta","sid":1}}""");
        var sub = Assert.Single(await subscribing);
        await first.SendAsync(Vectors.WsSession[8]); // use_yes_price snapshot on sid 1
        await handler.WaitFor<OrderBookSnapshotMessage>();

        first.Drop();
        await handler.WaitFor<StreamDisconnected>();
        var firstTimestamp = _clock.GetUtcNow();

        // The reconnect waits its backoff on the clock, then signs afresh and resubscribes the same durable subscription.
        var reconnect = NextConnection();
        var second = await _clock.RunUntilAsync(reconnect, TimeSpan.FromSeconds(1));
        Assert.True(_clock.GetUtcNow() > firstTimestamp, "the reconnect waited for its backoff");
        Assert.Equal(2, _exchange.UpgradeSignatures.Count);
        Assert.All(_exchange.UpgradeSignatures, Assert.True);
        Assert.Equal("""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"],"use_yes_price":true}}""",
            await second.ReceiveAsync());
        await second.SendAsync("""{"type":"subscribed","id":1,"msg":{"channel":"orderbook_delta","sid":7}}""");
        await second.SendAsync(Vectors.WsSession[8].Replace("\"sid\":1", "\"sid\":7"));
        await second.SendAsync(Vectors.WsSession[9].Replace("\"sid\":1", "\"sid\":7"));

        var delta = await handler.WaitFor<OrderBookDeltaMessage>();
        Assert.Equal((sub.Id, 7L), (delta.SubscriptionId, delta.Sid));
        Assert.Equal(Trader.Core.Numbers.Price.Parse("0.48"), delta.Price); // NO-leg price, whatever the wire used
        Assert.Equal(7L, sub.Sid);
        var confirmations = handler.Of<SubscriptionConfirmed>().ToList();
        Assert.Equal([1L, 7L], confirmations.Select(c => c.Sid));
        Assert.All(confirmations, c => Assert.Equal(sub.Id, c.SubscriptionId));
        Assert.Equal(2, stream.Statistics.Connections);
        Assert.Equal(2, handler.Of<StreamConnected>().Count());
    }

    [Fact]
    public async Task Subscriptions_made_while_disconnected_are_sent_on_connect()
    {
        var handler = new RecordingHandler();
        await using var stream = new ResilientKalshiStream(Options(), handler);
        var subs = await stream.SubscribeAsync(new SubscriptionRequest(["fill", "user_orders"]), CancellationToken.None);
        Assert.All(subs, s => Assert.Null(s.Sid));
        stream.Start();
        var server = await NextConnection();
        string first = await server.ReceiveAsync();
        string second = await server.ReceiveAsync();
        Assert.Contains("\"channels\":[\"fill\"]", first + second);
        Assert.Contains("\"channels\":[\"user_orders\"]", first + second);
        Assert.DoesNotContain("use_yes_price", first + second);
        await server.SendAsync("""{"type":"subscribed","id":1,"msg":{"channel":"fill","sid":3}}""");
        await server.SendAsync("""{"type":"subscribed","id":2,"msg":{"channel":"user_orders","sid":4}}""");
        await stream.WhenConnected().WaitAsync(TimeSpan.FromSeconds(15));
        await server.SendAsync(Vectors.WsChannels.First(f => f.StartsWith("{\"type\":\"fill\"", StringComparison.Ordinal)).Replace("\"sid\":13", "\"sid\":3"));
        var fill = await handler.WaitFor<FillMessage>();
        Assert.Equal(subs[0].Id, fill.SubscriptionId);
        await server.CloseAsync();
    }
}
