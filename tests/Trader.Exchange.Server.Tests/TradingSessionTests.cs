using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Trader.Kalshi.Streaming;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>A whole session against the exchange trading by itself: the liquidity agents on their timer, our order resting and filled.</summary>
public sealed class TradingSessionTests
{
    [Fact]
    public async Task A_resting_bid_is_filled_by_the_agents_and_fills_positions_balance_and_settlement_agree()
    {
        // The agents trade on their own timer, driven here by a fake clock: the book cannot move between reading it and
        // placing the bid (with a real 10 ms timer it sometimes did, and the bid crossed as a taker).
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var every = TimeSpan.FromMilliseconds(10);
        await using var sim = await Sim.StartAsync(o => o with
        {
            Time = time,
            LiquidityInterval = every,
            StartingBalance = Money.FromDollars(500),
            Seed = 7,
            TimestampWindow = TimeSpan.FromMinutes(10), // the fake clock runs ahead of the real one by the time advanced
        });
        var client = sim.Client();
        await using var stream = await StreamClient.ConnectAsync(sim);
        var r = stream.Recorder;
        await stream.Session.SubscribeAsync(new SubscriptionRequest(["fill", "market_positions"], [Ticker]), CancellationToken.None);
        await stream.Session.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        await r.WaitAsync<OrderBookSnapshotMessage>();

        time.Advance(every); // one tick of the agents' timer
        var book = await client.GetOrderBookAsync(Ticker);
        Assert.NotEmpty(book.YesBids);
        Assert.NotEmpty(book.NoBids);
        var bestBid = book.YesBids[^1].Price;
        var bestAsk = book.NoBids[^1].Price.Complement;
        // One cent above the best bid when that is still below the ask: first in line for the agents' sells.
        var price = Price.FromTicks(bestBid.Ticks + 100) < bestAsk ? Price.FromTicks(bestBid.Ticks + 100) : bestBid;
        var ack = Accepted(await client.CreateOrderAsync(new CreateOrderRequest(Ticker, "session-bid", BookSide.Bid, price, Quantity.FromContracts(5))));
        Assert.Equal(Quantity.Zero, (await client.GetOrderAsync(ack.OrderId))!.FillCount); // it rests: below the ask

        // The timer ticks (each Advance runs the agents' step) until some agent sells into the bid; bounded, so a bid
        // nobody ever fills fails on the wait below rather than spinning.
        for (int round = 0; round < 2_000 && (await client.GetOrderAsync(ack.OrderId))!.FillCount == Quantity.Zero; round++)
            for (int tick = 0; tick < 10; tick++)
                time.Advance(every);
        var fill = await r.WaitAsync<FillMessage>(f => f.Fill.OrderId == ack.OrderId);
        Assert.False(fill.Fill.IsTaker);
        Assert.Equal(price, fill.Fill.YesPrice);
        await client.CancelOrderAsync(ack.OrderId); // whatever is left (404 when all of it filled)

        var order = (await client.GetOrderAsync(ack.OrderId))!;
        var fills = await client.GetFillsAsync(new FillQuery(OrderId: ack.OrderId));
        var filled = fills.Aggregate(Quantity.Zero, (s, f) => s + f.Count);
        Assert.Equal(order.FillCount, filled);
        Assert.True(filled.IsPositive);
        var cost = fills.Aggregate(Money.Zero, (s, f) => s + f.YesPrice * f.Count);
        var fees = fills.Aggregate(Money.Zero, (s, f) => s + f.Fee);
        Assert.Equal(order.MakerFillCost, cost);
        Assert.Equal(order.MakerFees, fees);

        var position = Assert.Single(await client.GetPositionsAsync());
        Assert.Equal(filled, position.Position);
        Assert.Equal(cost, position.MarketExposure);
        Assert.Equal(fees, position.FeesPaid);
        Assert.Equal(Money.FromDollars(500) - cost - fees, (await client.GetBalanceAsync()).Cash);
        var streamed = await r.WaitAsync<MarketPositionMessage>(p => p.Position == filled);
        Assert.Equal(cost, streamed.PositionCost);

        await sim.Control.DetermineMarketAsync(Ticker, MarketResult.Yes);
        await sim.Control.SettleMarketAsync(Ticker);
        var settlement = Assert.Single(await client.GetSettlementsAsync());
        Assert.Equal(Price.One * filled, settlement.Revenue);
        Assert.Equal(Money.FromDollars(500) - cost - fees + Price.One * filled, (await client.GetBalanceAsync()).Cash);
        Assert.Empty(await client.GetPositionsAsync());
        var ledger = await sim.Control.GetLedgerAsync();
        Assert.True(ledger.Balanced, $"ledger: {ledger}");
    }
}

/// <summary>The server's clock timer drives the market schedule: opens, closes, determinations and payouts happen without traffic.</summary>
public sealed class ScheduleTests
{
    [Fact]
    public async Task A_market_closes_is_determined_and_settles_on_its_schedule_streamed_as_lifecycle_events()
    {
        string dir = Directory.CreateTempSubdirectory("sim-markets-").FullName;
        try
        {
            string file = Path.Combine(dir, "markets.json");
            await File.WriteAllTextAsync(file, """
                {"markets":[{"ticker":"KXQUICK-1","event_ticker":"KXQUICK","close_after_seconds":2,"determination_after_seconds":3,
                             "settlement_timer_seconds":1,"result":"yes"}]}
                """);
            // A fake clock that starts now (signatures are checked against it) and moves only when told.
            var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
            await using var sim = await Sim.StartAsync(o => o with
            {
                MarketsFile = file,
                Time = time,
                ClockInterval = TimeSpan.FromMilliseconds(100),
                TimestampWindow = TimeSpan.FromMinutes(1), // the fake clock runs ahead of the real one by the seconds it is advanced
            });
            var client = sim.Client();
            var maker = sim.User(100m);
            Accepted(await sim.Client(maker.Credentials).CreateOrderAsync(Order(BookSide.Ask, "0.3000", 2, ticker: "KXQUICK-1")));
            Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.3000", 2, ticker: "KXQUICK-1")));
            var resting = Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.1000", 1, ticker: "KXQUICK-1")));

            await using var stream = await StreamClient.ConnectAsync(sim);
            await stream.Session.SubscribeAsync(new SubscriptionRequest(["market_lifecycle_v2", "user_orders"]), CancellationToken.None);
            var r = stream.Recorder;
            var before = (await client.GetBalanceAsync()).Cash;

            time.Advance(TimeSpan.FromSeconds(2.1)); // past close: the timer closes the market, the resting bid is canceled
            var canceled = await r.WaitAsync<UserOrderMessage>(o => o.Order?.OrderId == resting.OrderId);
            Assert.Equal(("canceled", "CloseCancel"), (canceled.Status, canceled.LastUpdateReason));
            time.Advance(TimeSpan.FromSeconds(1)); // determination
            Assert.Equal("yes", (await r.WaitAsync<MarketLifecycleMessage>(m => m.EventType == "determined")).Result);
            time.Advance(TimeSpan.FromSeconds(1)); // the settlement timer
            await r.WaitAsync<MarketLifecycleMessage>(m => m.EventType == "settled");

            Assert.Equal("finalized", (await client.GetMarketAsync("KXQUICK-1"))!.Status);
            Assert.Equal(Money.FromDollars(2), Assert.Single(await client.GetSettlementsAsync()).Revenue);
            // Nothing is held back any more: the canceled bid's reservation came back, the two contracts paid $1 each.
            var fill = Assert.Single(await client.GetFillsAsync(new FillQuery()));
            Assert.True(before < Money.FromDollars(1000) - Money.Parse("0.60") - fill.Fee);
            Assert.Equal(Money.FromDollars(1000) - Money.Parse("0.60") - fill.Fee + Money.FromDollars(2), (await client.GetBalanceAsync()).Cash);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
