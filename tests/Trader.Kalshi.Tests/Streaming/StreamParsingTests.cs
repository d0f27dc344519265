using System.Text;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Trader.Kalshi.Streaming;
using Trader.Kalshi.Tests.Infrastructure;
using Trader.Kalshi.Wire;

namespace Trader.Kalshi.Tests.Streaming;

/// <summary>§9.7 and §9.8 frames through a session's dispatch (no socket): typed messages, books, sequence handling.</summary>
public class StreamParsingTests
{
    private const string Ticker = "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP";

    private static (KalshiStreamSession Session, RecordingHandler Handler, StreamSubscription Book) NewSession(bool useYesPrice = false, long sid = 1)
    {
        var handler = new RecordingHandler();
        var session = new KalshiStreamSession(new KalshiStreamOptions { Endpoint = new Uri("ws://127.0.0.1:1/trade-api/ws/v2") }, handler);
        var book = session.Subscriptions.Add(SubscriptionRequest.OrderBook([Ticker], useYesPrice))[0];
        session.Subscriptions.Bind(book, sid);
        return (session, handler, book);
    }

    private static void Feed(KalshiStreamSession session, string frame) => session.Process(Encoding.UTF8.GetBytes(frame));

    private static void Apply(OrderBook book, RecordingHandler handler)
    {
        foreach (var item in handler.Items)
        {
            switch (item)
            {
                case OrderBookSnapshotMessage s:
                    Assert.Equal(BookUpdate.Applied, book.ApplySnapshot(s.Seq, s.YesBids, s.NoBids));
                    break;
                case OrderBookDeltaMessage d:
                    Assert.Equal(BookUpdate.Applied, book.ApplyDelta(d.Seq, d.Leg, d.Price, d.Delta));
                    break;
            }
        }
    }

    private static string Level(BookLevel? l) => l is { } v ? $"{v.Price.ToDollars():0.00}x{v.Size.ToDecimal():0}" : "-";

    [Fact]
    public void The_recorded_session_builds_the_documented_books()
    {
        string[] expected = ["0.47x3|0.48x2|0.52x2", "-|0.48x2|0.52x2", "-|-|-", "0.47x3|-|-", "0.47x3|0.48x1|0.52x1"];
        var frames = Vectors.WsSession.Skip(3).Take(5).ToArray(); // snapshot seq 1, deltas 2..5 (use_yes_price false)
        for (int upTo = 1; upTo <= 5; upTo++)
        {
            var (session, handler, _) = NewSession();
            foreach (var f in frames.Take(upTo)) Feed(session, f);
            var book = new OrderBook(Ticker);
            Apply(book, handler);
            Assert.Equal(expected[upTo - 1], $"{Level(book.BestYesBid)}|{Level(book.BestNoBid)}|{Level(book.BestYesAsk)}");
            Assert.Equal(0, session.Statistics.Malformed);
        }
    }

    [Fact]
    public void With_use_yes_price_the_NO_side_is_converted_to_NO_leg_prices()
    {
        var (session, handler, _) = NewSession(useYesPrice: true);
        foreach (var f in Vectors.WsSession.Skip(8)) Feed(session, f); // snapshot + 2 deltas in YES-leg prices
        var snapshot = handler.Of<OrderBookSnapshotMessage>().Single();
        Assert.Equal(new BookLevel(Price.Parse("0.48"), Quantity.Parse("1")), Assert.Single(snapshot.NoBids));
        Assert.All(handler.Of<OrderBookDeltaMessage>(), d => Assert.Equal(Price.Parse("0.48"), d.Price));
        var book = new OrderBook(Ticker);
        Apply(book, handler);
        Assert.Equal("0.47x3|0.48x2|0.52x2", $"{Level(book.BestYesBid)}|{Level(book.BestNoBid)}|{Level(book.BestYesAsk)}");
    }

    [Fact]
    public void A_dropped_frame_is_a_gap_reported_with_the_markets_of_the_sid()
    {
        var (session, handler, book) = NewSession();
        var frames = Vectors.WsSession.Skip(3).Take(5).ToList();
        frames.RemoveAt(2); // drop seq 3
        foreach (var f in frames) Feed(session, f);
        var gap = Assert.Single(handler.Of<SequenceGapDetected>());
        Assert.Equal((book.Id, 1L, 3L, 4L), (gap.SubscriptionId, gap.Sid, gap.Expected, gap.Received));
        Assert.Equal([Ticker], gap.Markets);
        Assert.True(gap.SnapshotRequested);
        Assert.Equal(1, session.Statistics.Gaps);
        // Deltas of the market are held back until its new snapshot arrives.
        Assert.Single(handler.Of<OrderBookDeltaMessage>());
        Assert.Equal(2, session.Statistics.DroppedAwaitingSnapshot);
        Feed(session, Vectors.WsSession[3].Replace("\"seq\":1", "\"seq\":6"));
        Feed(session, Vectors.WsSession[4].Replace("\"seq\":2", "\"seq\":7"));
        Assert.Equal(2, handler.Of<OrderBookDeltaMessage>().Count());
    }

    [Fact]
    public void Duplicates_are_skipped_and_ok_replies_consume_seq()
    {
        var (session, handler, _) = NewSession(sid: 456);
        Feed(session, Vectors.WsSession[3].Replace("\"sid\":1", "\"sid\":456"));
        Feed(session, Vectors.WsSession[3].Replace("\"sid\":1", "\"sid\":456")); // seq 1 again
        Feed(session, """{"id":123,"sid":456,"seq":2,"type":"ok","msg":{"market_tickers":["A","B"]}}""");
        Feed(session, Vectors.WsSession[5].Replace("\"sid\":1", "\"sid\":456")); // seq 3
        Assert.Equal(1, session.Statistics.Duplicates);
        Assert.Empty(handler.Of<SequenceGapDetected>());
        Assert.Single(handler.Of<OrderBookDeltaMessage>());
        Assert.Equal(["A", "B"], session.Subscriptions.BySid(456)!.Markets);
    }

    [Fact]
    public void Every_documented_channel_message_is_delivered_typed()
    {
        var (session, handler, _) = NewSession(sid: 2);
        foreach (var frame in Vectors.WsChannels.Where(f => f.StartsWith("{\"type\":\"", StringComparison.Ordinal)).SkipLast(4))
            Feed(session, frame);
        Assert.Equal(0, session.Statistics.Malformed);

        var fill = handler.Of<FillMessage>().Single().Fill;
        Assert.Equal(new Fill("d91bc706-ee49-470d-82d8-11418bda6fed", "ee587a1c-8b87-4dcf-b721-9f6f790619fa", "HIGHNY-22DEC23-B53.5", BookSide.Bid,
            Price.Parse("0.75"), Quantity.FromContracts(278), Money.Parse("0.01"), true, DateTimeOffset.FromUnixTimeMilliseconds(1671899397000),
            Quantity.FromContracts(500), "my-order-1"), fill);

        var ticker = handler.Of<TickerMessage>().Single();
        Assert.Equal((Price.Parse("0.48"), Price.Parse("0.45"), Price.Parse("0.53"), Quantity.FromContracts(33896)),
            (ticker.LastPrice, ticker.YesBid, ticker.YesAsk, ticker.Volume));

        var trade = handler.Of<TradeMessage>().Single();
        Assert.Equal((Price.Parse("0.36"), Quantity.FromContracts(136), BookSide.Ask), (trade.YesPrice, trade.Count, trade.TakerSide!.Value));

        var position = handler.Of<MarketPositionMessage>().Single();
        Assert.Equal((Quantity.FromContracts(100), Money.FromDollars(50), Money.FromDollars(10), Money.FromDollars(1)),
            (position.Position, position.PositionCost, position.RealizedPnl, position.FeesPaid));

        var order = handler.Of<UserOrderMessage>().Single();
        Assert.Equal(ExchangeOrderStatus.Resting, order.Order!.Status);
        Assert.Equal((BookSide.Bid, Price.Parse("0.35"), Quantity.FromContracts(10), "my-order-1"),
            (order.Order.Side, order.Order.YesPrice, order.Order.RemainingCount, order.Order.ClientOrderId));

        var lifecycle = handler.Of<MarketLifecycleMessage>().ToList();
        Assert.Equal(["created", "price_level_structure_updated", "metadata_updated", "determined", "settled", "deactivated", "event_lifecycle", "event_fee_update"],
            lifecycle.Select(l => l.EventType));
        Assert.Equal(10, lifecycle[1].Grid!.FinestStepTicks);
        Assert.Equal(("yes", Price.One), (lifecycle[3].Result, lifecycle[3].SettlementValue!.Value));

        var own = handler.Of<OrderBookDeltaMessage>().Single(d => d.ClientOrderId is not null);
        Assert.Equal("my-order-1", own.ClientOrderId);
    }

    [Fact]
    public void Command_replies_and_subscription_errors_are_understood()
    {
        var (session, handler, book) = NewSession(sid: 1);
        Feed(session, """{"type":"error","sid":1,"seq":4821,"msg":{"code":25,"msg":"Subscription buffer overflow"}}""");
        var error = Assert.Single(handler.Of<StreamErrorReported>());
        Assert.Equal((book.Id, 25, true), (error.SubscriptionId!.Value, error.Code, error.Resubscribing));
        Assert.Null(book.Sid); // terminated; renewed on the connection
        foreach (var frame in Vectors.WsChannels.Where(f => f.Contains("\"type\":\"error\"") && f.StartsWith("{\"id\"", StringComparison.Ordinal)))
            Feed(session, frame);
        Assert.Equal(0, session.Statistics.Malformed);
    }

    [Fact]
    public void Legacy_integer_frames_are_refused_by_name_and_the_stream_goes_on()
    {
        var (session, handler, _) = NewSession(sid: 2);
        foreach (var frame in Vectors.WsChannels.TakeLast(4)) Feed(session, frame);
        Feed(session, Vectors.WsChannels.First(f => f.Contains("\"type\":\"orderbook_delta\"") && f.Contains("\"seq\":4")));
        var malformed = handler.Of<MalformedFrame>().ToList();
        Assert.Equal(4, malformed.Count);
        Assert.Contains("legacy integer field", malformed[1].Reason);
        Assert.Contains("legacy integer levels", malformed[0].Reason);
        Assert.Contains("'price_dollars'", malformed[1].Reason);
        Assert.Contains("'yes_price_dollars'", malformed[2].Reason);
        Assert.Contains("position_fp", malformed[3].Reason);
        Assert.Single(handler.Of<OrderBookDeltaMessage>());
        Assert.Empty(handler.Of<FillMessage>());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"sid":1,"seq":1}""")]
    [InlineData("""{"type":"orderbook_delta","sid":9,"seq":1,"msg":{"market_ticker":"X","price_dollars":"1.5","delta_fp":"1.00","side":"yes"}}""")]
    [InlineData("""{"type":"orderbook_delta","sid":9,"seq":1,"msg":{"market_ticker":"X","price_dollars":"0.5","delta_fp":"1.00","side":"maybe"}}""")]
    [InlineData("""{"type":"fill","sid":9,"msg":{"trade_id":"t"}}""")]
    [InlineData("""{"type":"ticker","sid":9,"msg":{"market_ticker":"X"}}""")]
    public void Malformed_frames_are_counted_and_skipped(string frame)
    {
        var (session, handler, _) = NewSession();
        Feed(session, frame);
        Feed(session, Vectors.WsSession[3]);
        Assert.Equal(1, session.Statistics.Malformed);
        Assert.Single(handler.Of<MalformedFrame>());
        Assert.Single(handler.Of<OrderBookSnapshotMessage>());
    }

    [Fact]
    public void Unknown_frame_types_are_counted_not_fatal()
    {
        var (session, handler, _) = NewSession();
        Feed(session, """{"type":"brand_new_thing","sid":77,"msg":{"x":1}}""");
        Feed(session, Vectors.WsSession[3]);
        Assert.Equal(1, session.Statistics.Unknown);
        Assert.Single(handler.Of<OrderBookSnapshotMessage>());
    }

    [Fact]
    public void Frame_members_may_come_in_any_order()
    {
        var h = StreamFrameReader.ReadHeader("""{"msg":{"a":[1,{"b":2}]},"seq":7,"sid":2,"id":102,"type":"unsubscribed"}"""u8);
        Assert.Equal((FrameType.Unsubscribed, 102, 2L, 7L), (h.Type, h.Id!.Value, h.Sid!.Value, h.Seq!.Value));
        Assert.Equal("""{"a":[1,{"b":2}]}""", Encoding.UTF8.GetString(h.Msg("""{"msg":{"a":[1,{"b":2}]},"seq":7,"sid":2,"id":102,"type":"unsubscribed"}"""u8)));
    }

    [Fact]
    public void Parsing_a_delta_allocates_nothing_once_the_ticker_is_known()
    {
        var interner = new TickerInterner();
        byte[] frame = Encoding.UTF8.GetBytes(Vectors.WsSession[4]);
        var header = StreamFrameReader.ReadHeader(frame);
        StreamFrameReader.ReadDelta(header.Msg(frame), interner);
        long units = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            var h = StreamFrameReader.ReadHeader(frame);
            units += StreamFrameReader.ReadDelta(h.Msg(frame), interner).Delta.Units;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(-30_000, units);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Commands_are_written_as_documented()
    {
        var subscribe = new StreamCommandDto<SubscribeParamsDto>(1, "subscribe",
            new SubscribeParamsDto(["orderbook_delta", "trade"], MarketTickers: [Ticker], UseYesPrice: false));
        Assert.Equal("""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta","trade"],"market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"],"use_yes_price":false}}""",
            KalshiJson.Serialize(subscribe));
        var snapshot = new StreamCommandDto<UpdateSubscriptionParamsDto>(2, "update_subscription", new UpdateSubscriptionParamsDto("get_snapshot", Sid: 1, MarketTickers: [Ticker]));
        Assert.Equal("""{"id":2,"cmd":"update_subscription","params":{"sid":1,"action":"get_snapshot","market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"]}}""",
            KalshiJson.Serialize(snapshot));
        Assert.Equal("""{"id":3,"cmd":"list_subscriptions"}""", KalshiJson.Serialize(new StreamCommandDto<object>(3, "list_subscriptions")));
        Assert.Equal("""{"id":124,"cmd":"unsubscribe","params":{"sids":[1,2]}}""",
            KalshiJson.Serialize(new StreamCommandDto<UnsubscribeParamsDto>(124, "unsubscribe", new([1, 2]))));

        // The server side reads every documented command.
        foreach (var command in Vectors.WsChannels.Where(f => f.Contains("\"cmd\"")))
        {
            var envelope = KalshiJson.Deserialize<StreamCommandEnvelopeDto>(command);
            Assert.Contains(envelope.Cmd, new[] { "subscribe", "unsubscribe", "update_subscription", "list_subscriptions" });
        }
    }

    [Fact]
    public void Server_frames_round_trip_through_the_dtos()
    {
        var fill = KalshiJson.Deserialize<StreamFrameDto<FillMsgDto>>(Vectors.WsChannels.First(f => f.StartsWith("{\"type\":\"fill\"", StringComparison.Ordinal)));
        var rebuilt = new StreamFrameDto<FillMsgDto>("fill", KalshiWireMapper.ToWireMessage(KalshiWireMapper.ToApi(fill.Msg!)) with { ExchangeIndex = 2, Subaccount = 3 }, Sid: 13);
        var (session, handler, _) = NewSession();
        Feed(session, KalshiJson.Serialize(rebuilt));
        Assert.Equal(KalshiWireMapper.ToApi(fill.Msg!), handler.Of<FillMessage>().Single().Fill);

        var levels = KalshiWireMapper.ToWireLevels([new BookLevel(Price.Parse("0.48"), Quantity.FromContracts(1))], inYesPrices: true);
        Assert.Equal(Price.Parse("0.52"), levels[0].Price);
    }
}

public class ChannelStreamHandlerTests
{
    [Fact]
    public async Task Messages_and_events_arrive_in_order_through_the_bounded_channel()
    {
        var channel = new ChannelStreamHandler(capacity: 4);
        var session = new KalshiStreamSession(new KalshiStreamOptions { Endpoint = new Uri("ws://127.0.0.1:1/trade-api/ws/v2") }, channel);
        var book = session.Subscriptions.Add(SubscriptionRequest.OrderBook(["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"]))[0];
        session.Subscriptions.Bind(book, 1);
        session.Process(Encoding.UTF8.GetBytes(Vectors.WsSession[3]));
        session.Process(Encoding.UTF8.GetBytes(Vectors.WsSession[4]));
        session.Process("garbage"u8);
        channel.Complete();
        var items = new List<object>();
        await foreach (var item in channel.Reader.ReadAllAsync()) items.Add(item);
        Assert.IsType<OrderBookSnapshotMessage>(items[0]);
        Assert.Equal(2, Assert.IsType<OrderBookDeltaMessage>(items[1]).Seq);
        Assert.IsType<MalformedFrame>(items[2]);
    }
}
