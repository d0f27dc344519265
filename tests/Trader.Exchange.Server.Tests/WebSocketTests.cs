using System.Net.WebSockets;
using System.Text.Json;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>The WebSocket at <c>/trade-api/ws/v2</c>: commands, acknowledgements, errors and every channel (kalshi-api.md §4).</summary>
public sealed class WebSocketTests
{
    [Fact]
    public async Task Orderbook_snapshot_then_sequenced_deltas_with_the_client_order_id_only_on_own_orders()
    {
        await using var sim = await Sim.StartAsync();
        var me = sim.Client();
        var other = sim.Client(sim.User().Credentials);
        Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.4700", 3, "mine-1")));
        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.5200", 2)));

        await using var ws = await RawSocket.ConnectAsync(sim);
        var frames = await ws.CommandAsync(1, $$$"""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"{{{Ticker}}}","use_yes_price":false}}""");
        var subscribed = Assert.Single(frames);
        Assert.Equal("subscribed", subscribed.Type());
        Assert.Equal("orderbook_delta", subscribed.Msg().Str("channel"));
        long sid = subscribed.Msg().GetProperty("sid").GetInt64();

        var snapshot = await ws.ReceiveAsync();
        Assert.Equal("orderbook_snapshot", snapshot.Type());
        Assert.Equal((sid, 1L), (snapshot.Sid()!.Value, snapshot.Seq()!.Value));
        Assert.Equal("""[["0.4700","3.00"]]""", snapshot.Msg().GetProperty("yes_dollars_fp").GetRawText());
        Assert.Equal("""[["0.4800","2.00"]]""", snapshot.Msg().GetProperty("no_dollars_fp").GetRawText()); // the ask at 0.52 is a NO bid at 0.48
        Assert.False(string.IsNullOrEmpty(snapshot.Msg().Str("market_id")));

        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.5300", 1, "theirs")));
        var theirs = await ws.ReceiveAsync();
        Assert.Equal("orderbook_delta", theirs.Type());
        Assert.Equal(2, theirs.Seq());
        Assert.Equal(("no", "0.4700", "1.00"), (theirs.Msg().Str("side"), theirs.Msg().Str("price_dollars"), theirs.Msg().Str("delta_fp")));
        Assert.False(theirs.Msg().TryGetProperty("client_order_id", out _));

        Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.4600", 4, "mine-2")));
        var mine = await ws.ReceiveAsync();
        Assert.Equal(3, mine.Seq());
        Assert.Equal(("yes", "0.4600", "4.00", "mine-2"), (mine.Msg().Str("side"), mine.Msg().Str("price_dollars"), mine.Msg().Str("delta_fp"), mine.Msg().Str("client_order_id")));

        // A trade takes the 0.47 bid: the level goes down by the traded size.
        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.4700", 1, tif: TimeInForce.ImmediateOrCancel)));
        var taken = await ws.ReceiveAsync();
        Assert.Equal(4, taken.Seq());
        Assert.Equal(("yes", "0.4700", "-1.00"), (taken.Msg().Str("side"), taken.Msg().Str("price_dollars"), taken.Msg().Str("delta_fp")));
        Assert.Equal("mine-1", taken.Msg().Str("client_order_id"));

        // use_yes_price: NO bids are shown at their YES price (the YES ask).
        await using var yes = await RawSocket.ConnectAsync(sim);
        await yes.CommandAsync(1, $$$"""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["{{{Ticker}}}"],"use_yes_price":true}}""");
        var yesSnapshot = await yes.ReceiveAsync();
        Assert.Equal("""[["0.5200","2.00"],["0.5300","1.00"]]""", yesSnapshot.Msg().GetProperty("no_dollars_fp").GetRawText());
        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.5500", 1)));
        var yesDelta = await yes.ReceiveAsync();
        Assert.Equal(("no", "0.5500"), (yesDelta.Msg().Str("side"), yesDelta.Msg().Str("price_dollars")));
    }

    [Fact]
    public async Task Commands_are_acknowledged_and_replies_on_a_subscription_take_its_next_seq()
    {
        await using var sim = await Sim.StartAsync();
        await using var ws = await RawSocket.ConnectAsync(sim);
        var frames = await ws.CommandAsync(1, $$$"""{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta","ticker","fill"],"market_tickers":["{{{Ticker}}}"]}}""");
        // Each channel answers "subscribed" with the same id and its own sid; the book's snapshot follows its ack.
        var acks = new List<JsonElement>(frames);
        while (acks.Count(f => f.Type() == "subscribed") < 3) acks.Add(await ws.ReceiveAsync());
        var sids = acks.Where(f => f.Type() == "subscribed").ToDictionary(f => f.Msg().Str("channel")!, f => f.Msg().GetProperty("sid").GetInt64());
        Assert.Equal(3, sids.Values.Distinct().Count());
        Assert.All(acks.Where(f => f.Type() == "subscribed"), f => Assert.Equal(1, f.GetProperty("id").GetInt32()));
        long book = sids["orderbook_delta"];
        if (!acks.Any(f => f.Type() == "orderbook_snapshot")) Assert.Equal("orderbook_snapshot", (await ws.ReceiveAsync()).Type());

        var list = Assert.Single(await ws.CommandAsync(2, """{"id":2,"cmd":"list_subscriptions"}"""));
        Assert.Equal("ok", list.Type());
        Assert.Equal(["orderbook_delta", "ticker", "fill"], list.Msg().EnumerateArray().Select(e => e.Str("channel")!));

        var ok = Assert.Single(await ws.CommandAsync(3, $$$"""{"id":3,"cmd":"update_subscription","params":{"sids":[{{{book}}}],"market_tickers":["{{{Other}}}"],"action":"add_markets"}}"""));
        Assert.Equal(("ok", book, 2L), (ok.Type(), ok.Sid()!.Value, ok.Seq()!.Value));
        Assert.Equal([Ticker, Other], ok.Msg().GetProperty("market_tickers").EnumerateArray().Select(e => e.GetString()!));
        var added = await ws.ReceiveAsync();
        Assert.Equal(("orderbook_snapshot", Other, 3L), (added.Type(), added.Msg().Str("market_ticker")!, added.Seq()!.Value));

        ok = Assert.Single(await ws.CommandAsync(4, $$$"""{"id":4,"cmd":"update_subscription","params":{"sid":{{{book}}},"market_tickers":["{{{Ticker}}}"],"action":"delete_markets"}}"""));
        Assert.Equal(4, ok.Seq());
        Assert.Equal([Other], ok.Msg().GetProperty("market_tickers").EnumerateArray().Select(e => e.GetString()!));

        ok = Assert.Single(await ws.CommandAsync(5, $$$"""{"id":5,"cmd":"update_subscription","params":{"sid":{{{book}}},"market_tickers":["{{{Other}}}"],"action":"get_snapshot"}}"""));
        Assert.Equal(5, ok.Seq());
        var fresh = await ws.ReceiveAsync();
        Assert.Equal(("orderbook_snapshot", 6L), (fresh.Type(), fresh.Seq()!.Value));

        var unsubscribed = Assert.Single(await ws.CommandAsync(6, $$$"""{"id":6,"cmd":"unsubscribe","params":{"sids":[{{{book}}}]}}"""));
        Assert.Equal(("unsubscribed", book, 7L), (unsubscribed.Type(), unsubscribed.Sid()!.Value, unsubscribed.Seq()!.Value));
        list = Assert.Single(await ws.CommandAsync(7, """{"id":7,"cmd":"list_subscriptions"}"""));
        Assert.Equal(["ticker", "fill"], list.Msg().EnumerateArray().Select(e => e.Str("channel")!));
    }

    [Theory]
    [InlineData("""{"id":10,"cmd":"subscribe"}""", 2)]
    [InlineData("""{"id":10,"cmd":"subscribe","params":{}}""", 3)]
    [InlineData("""{"id":10,"cmd":"subscribe","params":{"channels":["orderbook_v9"]}}""", 8)]
    [InlineData("""{"id":10,"cmd":"subscribe","params":{"channels":["orderbook_delta"]}}""", 14)]
    [InlineData("""{"id":10,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"NOPE-1"}}""", 16)]
    [InlineData("""{"id":10,"cmd":"subscribe","params":{"channels":["trade"],"market_ticker":"KXBTCD-26DEC01-T100000","market_tickers":["KXBTCD-26DEC01-T100000"]}}""", 11)]
    [InlineData("""{"id":10,"cmd":"unsubscribe","params":{}}""", 4)]
    [InlineData("""{"id":10,"cmd":"unsubscribe","params":{"sids":[99]}}""", 7)]
    [InlineData("""{"id":10,"cmd":"update_subscription","params":{"sid":1}}""", 15)]
    [InlineData("""{"id":10,"cmd":"update_subscription","params":{"sids":[1,2],"action":"add_markets"}}""", 12)]
    [InlineData("""{"id":10,"cmd":"update_subscription","params":{"sid":99,"action":"add_markets","market_tickers":["KXBTCD-26DEC01-T100000"]}}""", 7)]
    [InlineData("""{"id":10,"cmd":"update_subscription","params":{"sid":1,"action":"rename"}}""", 13)]
    [InlineData("""{"id":10,"cmd":"update_subscription","params":{"sid":1,"action":"add_markets"}}""", 14)]
    [InlineData("""{"id":10,"cmd":"fly"}""", 5)]
    [InlineData("""{"id":10,"cmd":""" + "\"subscribe\",", 1)]
    public async Task Bad_commands_get_kalshis_error_codes(string command, int code)
    {
        await using var sim = await Sim.StartAsync();
        await using var ws = await RawSocket.ConnectAsync(sim);
        await ws.CommandAsync(1, """{"id":1,"cmd":"subscribe","params":{"channels":["trade"]}}""");
        await ws.SendAsync(command);
        var error = await ws.ReceiveAsync();
        Assert.Equal("error", error.Type());
        Assert.Equal(code, error.ErrorCode());
        Assert.False(string.IsNullOrEmpty(error.Msg().Str("msg")));
        if (code != 1) Assert.Equal(10, error.GetProperty("id").GetInt32());
        // The connection goes on.
        Assert.Equal("ok", Assert.Single(await ws.CommandAsync(2, """{"id":2,"cmd":"list_subscriptions"}""")).Type());
    }

    [Fact]
    public async Task Every_channel_reaches_the_stream_client_as_its_messages()
    {
        await using var sim = await Sim.StartAsync();
        var me = sim.Client();
        var other = sim.Client(sim.User().Credentials);
        await using var stream = await StreamClient.ConnectAsync(sim);
        var r = stream.Recorder;
        await stream.Session.SubscribeAsync(new SubscriptionRequest(["fill", "market_positions", "user_orders", "trade", "market_lifecycle_v2"]), CancellationToken.None);
        await stream.Session.SubscribeAsync(new SubscriptionRequest(["ticker"], [Ticker], SendInitialSnapshot: true), CancellationToken.None);
        var initial = await r.WaitAsync<TickerMessage>();
        Assert.Equal(Ticker, initial.Ticker);
        Assert.Equal(Price.Zero, initial.YesBid);

        Accepted(await other.CreateOrderAsync(Order(BookSide.Ask, "0.6000", 5)));
        var mark = r.Mark();
        var ack = Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.6000", 2, "taker-1")));

        var fill = await r.WaitAsync<FillMessage>(from: mark);
        Assert.Equal((ack.OrderId, "taker-1", Quantity.FromContracts(2), Price.Parse("0.6000"), true),
            (fill.Fill.OrderId, fill.Fill.ClientOrderId, fill.Fill.Count, fill.Fill.YesPrice, fill.Fill.IsTaker));
        Assert.Equal(Quantity.FromContracts(2), fill.Fill.PostPosition);
        var position = await r.WaitAsync<MarketPositionMessage>(from: mark);
        Assert.Equal((Ticker, Quantity.FromContracts(2), Money.Parse("1.20")), (position.Ticker, position.Position, position.PositionCost));
        var order = await r.WaitAsync<UserOrderMessage>(o => o.Order?.OrderId == ack.OrderId, from: mark);
        Assert.Equal("executed", order.Status);
        var trade = await r.WaitAsync<TradeMessage>(from: mark);
        Assert.Equal((fill.Fill.TradeId, BookSide.Bid), (trade.TradeId, trade.TakerSide));
        var ticker = await r.WaitAsync<TickerMessage>(t => t.LastPrice == Price.Parse("0.6000"), from: mark);
        Assert.Equal(Quantity.FromContracts(2), ticker.Volume);
        // The other user's fill is not ours.
        Assert.Single(r.All<FillMessage>());

        mark = r.Mark();
        // An early close moves the close date (and, without its own determination time, the market is determined then).
        await sim.Control.CloseMarketAsync(Other);
        Assert.Equal(Other, (await r.WaitAsync<MarketLifecycleMessage>(m => m.EventType == "close_date_updated", from: mark)).Ticker);
        await sim.Control.DetermineMarketAsync(Ticker, MarketResult.No);
        var determined = await r.WaitAsync<MarketLifecycleMessage>(m => m.EventType == "determined" && m.Ticker == Ticker, from: mark);
        Assert.Equal(("no", Price.Zero), (determined.Result, determined.SettlementValue));
        await sim.Control.SettleMarketAsync(Ticker);
        await r.WaitAsync<MarketLifecycleMessage>(m => m.EventType == "settled" && m.Ticker == Ticker, from: mark);
        Assert.Empty(r.All<SequenceGapDetected>());
        Assert.Equal(0, stream.Session.Statistics.Malformed);
    }

    [Fact]
    public async Task The_upgrade_is_authenticated_like_a_rest_request()
    {
        await using var sim = await Sim.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(sim.Server.WebSocketUrl, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, socket.HttpStatusCode);

        using var stale = new ClientWebSocket();
        stale.Options.CollectHttpResponseDetails = true;
        var old = sim.Demo.Sign("GET", KalshiSignature.WebSocketPath, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        foreach (var (name, value) in old.AsPairs()) stale.Options.SetRequestHeader(name, value);
        await Assert.ThrowsAsync<WebSocketException>(() => stale.ConnectAsync(sim.Server.WebSocketUrl, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stale.HttpStatusCode);

        // A plain GET is not an upgrade.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await sim.Http.GetAsync("/trade-api/ws/v2")).StatusCode);
    }
}
