using Akka.Actor;
using Akka.TestKit;
using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Streams;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Kalshi.Streaming;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

public class StreamActorTests : ActorTest
{
    private const string Ticker = "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP";
    private readonly FakeWebSocket _server = new();
    private readonly TestProbe _coordinator;
    private readonly TestProbe _events;
    private readonly TraderMetrics _metrics = new();
    private readonly StreamContext _context = new();

    public StreamActorTests(ITestOutputHelper output) : base(output)
    {
        _coordinator = CreateTestProbe();
        _events = CreateTestProbe();
        Sys.EventStream.Subscribe(_events.Ref, typeof(MarketDataEvent));
    }

    private KalshiStreamOptions Options => new() { Endpoint = new Uri("wss://exchange.test/trade-api/ws/v2"), Connector = _server };

    private IActorRef StartMarketData() => Sys.ActorOf(StreamSupervisor.Props(
        MarketDataActor.Props([Ticker], useYesPrice: false, Options, _context, _coordinator.Ref, _metrics),
        "orderbook", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), "market-data");

    private void AwaitSubscribed() => AwaitCondition(() => _server.Sids.ContainsKey("orderbook_delta"));

    private string Sid => _server.Sids["orderbook_delta"].ToString();

    private void Snapshot(int seq) => _server.Current.Push(
        $$$"""{"type":"orderbook_snapshot","sid":{{{Sid}}},"seq":{{{seq}}},"msg":{"market_ticker":"{{{Ticker}}}","yes_dollars_fp":[["0.4700","3.00"]],"no_dollars_fp":[["0.4800","2.00"]]}}""");

    private void Delta(int seq, string price, string delta, string side) => _server.Current.Push(
        $$$"""{"type":"orderbook_delta","sid":{{{Sid}}},"seq":{{{seq}}},"msg":{"market_ticker":"{{{Ticker}}}","price_dollars":"{{{price}}}","delta_fp":"{{{delta}}}","side":"{{{side}}}","ts_ms":1781159489957}}""");

    [Fact]
    public void Snapshots_and_deltas_become_book_events()
    {
        StartMarketData();
        var up = _coordinator.ExpectMsg<StreamStatusChanged>();
        Assert.True(up.Connected);
        Assert.False(up.Required);
        AwaitSubscribed();
        var subscribe = _server.Commands.First(c => c.RootElement.GetProperty("cmd").GetString() == "subscribe");
        Assert.False(subscribe.RootElement.GetProperty("params").GetProperty("use_yes_price").GetBoolean());

        Snapshot(1);
        var snapshot = _events.ExpectMsg<BookSnapshotApplied>();
        Assert.Equal(Ticker, snapshot.Ticker);
        Assert.Equal(new BookLevel(Price.Parse("0.47"), Quantity.Parse("3")), Assert.Single(snapshot.YesBids));

        // The next event is the delta's: the first snapshot is no recovery (the market was awaiting it, not stale).
        Delta(2, "0.4700", "-3.00", "yes");
        var delta = _events.ExpectMsg<BookDeltaApplied>();
        Assert.Equal(BookLeg.Yes, delta.Leg);
        Assert.Equal(Quantity.Parse("-3"), delta.Delta);
        Assert.Equal(2, delta.Sequence);
    }

    [Fact]
    public void On_request_every_trusted_book_is_published_again_as_it_stands()
    {
        StartMarketData();
        AwaitSubscribed();
        Sys.EventStream.Publish(RepublishBooks.Instance);
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no snapshot yet: nothing to publish

        Snapshot(1);
        _events.ExpectMsg<BookSnapshotApplied>();
        Delta(2, "0.4700", "-1.00", "yes");
        _events.ExpectMsg<BookDeltaApplied>();
        Sys.EventStream.Publish(RepublishBooks.Instance);
        var again = _events.ExpectMsg<BookSnapshotApplied>();
        Assert.Equal((Ticker, 2L), (again.Ticker, again.Sequence));
        Assert.Equal(new BookLevel(Price.Parse("0.47"), Quantity.Parse("2")), Assert.Single(again.YesBids));
        Assert.Equal(new BookLevel(Price.Parse("0.48"), Quantity.Parse("2")), Assert.Single(again.NoBids));
    }

    [Fact]
    public void A_gap_marks_the_market_stale_and_asks_for_a_snapshot()
    {
        StartMarketData();
        AwaitSubscribed();
        Snapshot(1);
        _events.ExpectMsg<BookSnapshotApplied>();
        Delta(2, "0.4700", "-3.00", "yes");
        _events.ExpectMsg<BookDeltaApplied>();
        Delta(4, "0.4800", "-2.00", "no"); // seq 3 lost
        var gap = _events.ExpectMsg<BookGapDetected>();
        Assert.Equal(3, gap.Expected);
        Assert.Equal(4, gap.Received);
        Assert.Contains("sequence gap", _events.ExpectMsg<MarketStale>().Reason);
        Assert.Equal(1, _metrics.Gaps.Value());
        AwaitCondition(() => _server.Commands.Any(c => c.RootElement.GetProperty("cmd").GetString() == "update_subscription"
            && c.RootElement.GetProperty("params").GetProperty("action").GetString() == "get_snapshot"));

        Snapshot(5); // the re-snapshot
        _events.ExpectMsg<BookSnapshotApplied>();
        var recovered = _events.ExpectMsg<MarketRecovered>();
        Assert.Equal(Ticker, recovered.Ticker);
        Assert.True(recovered.StaleSince <= recovered.At);
        AwaitAssert(() => Assert.Equal(0, _metrics.StaleMarkets.Value()));
    }

    [Fact]
    public void A_refused_socket_is_retried_with_backoff_forever_and_reported_down()
    {
        _server.RefuseWith = "The server returned status code '503' when status code '101' was expected.";
        StartMarketData();
        var down = _coordinator.ExpectMsg<StreamStatusChanged>();
        Assert.False(down.Connected);
        Assert.Contains("503", down.Detail);

        // The supervisor schedules each restart once the stopped child is gone; keep moving virtual time until it fires.
        for (int i = 2; i <= 12; i++)
        {
            int expected = i;
            AwaitCondition(() =>
            {
                Clock.Advance(TimeSpan.FromSeconds(61)); // past the largest backoff
                return _server.Refusals >= expected;
            });
        }
        _server.RefuseWith = null;
        AwaitCondition(() =>
        {
            Clock.Advance(TimeSpan.FromSeconds(61));
            return _server.Connections == 1;
        });
        _coordinator.FishForMessage<StreamStatusChanged>(s => s.Connected);
        AwaitSubscribed();
    }

    [Fact]
    public void A_dropped_connection_marks_markets_stale_and_resubscribes_under_the_same_durable_id()
    {
        StartMarketData();
        AwaitSubscribed();
        Snapshot(1);
        _events.ExpectMsg<BookSnapshotApplied>();
        var durableId = _context.Subscriptions.All.Single().Id;
        var firstSid = _server.Sids["orderbook_delta"];

        _server.Current.Drop("1006 abnormal closure");
        Assert.Contains("orderbook stream down", _events.ExpectMsg<MarketStale>().Reason);
        _coordinator.FishForMessage<StreamStatusChanged>(s => !s.Connected);

        AwaitCondition(() =>
        {
            Clock.Advance(TimeSpan.FromSeconds(2));
            return _server.Connections == 2;
        });
        _coordinator.FishForMessage<StreamStatusChanged>(s => s.Connected);
        AwaitCondition(() => _server.Sids["orderbook_delta"] != firstSid);
        Assert.Equal(durableId, _context.Subscriptions.All.Single().Id);
        Assert.Equal(2, _server.Connections);
        Assert.Equal(1, _metrics.Reconnects.Value("orderbook"));
        Snapshot(1);
        _events.ExpectMsg<BookSnapshotApplied>();
        Assert.Equal(Ticker, _events.ExpectMsg<MarketRecovered>().Ticker);
    }

    [Fact]
    public void The_user_stream_forwards_fills_and_order_updates_to_the_coordinator()
    {
        Sys.ActorOf(StreamSupervisor.Props(UserStreamActor.Props(Options, _context, _coordinator.Ref, _metrics), "user-stream",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        _coordinator.ExpectMsg<StreamStatusChanged>();
        AwaitCondition(() => _server.Sids.ContainsKey("fill") && _server.Sids.ContainsKey("user_orders"));
        _server.Current.Push($$$"""{"type":"fill","sid":{{{_server.Sids["fill"]}}},"msg":{"trade_id":"t-1","order_id":"o-1","client_order_id":"c-1","market_ticker":"{{{Ticker}}}","is_taker":true,"yes_price_dollars":"0.5200","count_fp":"1.00","fee_cost":"0.017500","post_position_fp":"1.00","outcome_side":"yes","book_side":"bid","ts":1781159370,"ts_ms":1781159370164}}""");
        var fills = _coordinator.ExpectMsg<FillsReceived>();
        Assert.Equal("stream", fills.Source);
        var fill = Assert.Single(fills.Fills);
        Assert.Equal("t-1", fill.TradeId);
        Assert.Equal(Quantity.Parse("1"), fill.PostPosition);

        _server.Current.Push($$$"""{"type":"user_order","sid":{{{_server.Sids["user_orders"]}}},"msg":{"order_id":"o-1","user_id":"u","ticker":"{{{Ticker}}}","status":"canceled","outcome_side":"yes","book_side":"bid","yes_price_dollars":"0.3500","fill_count_fp":"0.00","remaining_count_fp":"0.00","initial_count_fp":"10.00","taker_fill_cost_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","taker_fees_dollars":"0.000000","maker_fees_dollars":"0.000000","client_order_id":"c-1","self_trade_prevention_type":"taker_at_cross","created_time":"2024-12-01T10:00:00Z","last_update_reason":"ExpiryCancel"}}""");
        var update = _coordinator.ExpectMsg<ExchangeOrderUpdated>();
        Assert.Equal("o-1", update.Order.OrderId);
        Assert.Equal("ExpiryCancel", update.Reason);
    }
}
