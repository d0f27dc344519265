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
        await using var sim = await Sim.StartAsync(o => o with
        {
            LiquidityInterval = TimeSpan.FromMilliseconds(10),
            StartingBalance = Money.FromDollars(500),
            Seed = 7,
        });
        var client = sim.Client();
        await using var stream = await StreamClient.ConnectAsync(sim);
        var r = stream.Recorder;
        await stream.Session.SubscribeAsync(new SubscriptionRequest(["fill", "market_positions"], [Ticker]), CancellationToken.None);
        await stream.Session.SubscribeAsync(SubscriptionRequest.OrderBook([Ticker]), CancellationToken.None);
        await r.WaitAsync<OrderBookSnapshotMessage>();

        await sim.Control.StepLiquidityAsync(1);
        var book = await client.GetOrderBookAsync(Ticker);
        Assert.NotEmpty(book.YesBids);
        Assert.NotEmpty(book.NoBids);
        var bestBid = book.YesBids[^1].Price;
        var bestAsk = book.NoBids[^1].Price.Complement;
        // One cent above the best bid when that is still below the ask: first in line for the agents' sells.
        var price = Price.FromTicks(bestBid.Ticks + 100) < bestAsk ? Price.FromTicks(bestBid.Ticks + 100) : bestBid;
        var ack = Accepted(await client.CreateOrderAsync(new CreateOrderRequest(Ticker, "session-bid", BookSide.Bid, price, Quantity.FromContracts(5))));

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
