using Microsoft.Extensions.Time.Testing;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Agents;
using Trader.Exchange.Events;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class LiquidityAgentTests
{
    private static (SimulatedExchange Exchange, LiquiditySimulation Agents, FakeTimeProvider Time) Session(int seed, LiquidityOptions? options = null)
    {
        var time = new FakeTimeProvider(Start);
        var exchange = SimulatedExchange.WithDefaultMarkets(time, new ExchangeOptions { Seed = seed });
        var agents = new LiquiditySimulation(exchange, (options ?? new LiquidityOptions()) with { Seed = seed });
        return (exchange, agents, time);
    }

    private static List<ExchangeEvent> Run(int seed, int steps)
    {
        var (exchange, agents, time) = Session(seed);
        var events = new List<ExchangeEvent>();
        for (int i = 0; i < steps; i++)
        {
            agents.Step();
            time.Advance(TimeSpan.FromSeconds(1));
            events.AddRange(exchange.Events!.Drain());
        }
        return events;
    }

    [Fact]
    public void The_same_seed_gives_the_same_session_and_another_seed_another()
    {
        var first = Run(seed: 42, steps: 150);
        var second = Run(seed: 42, steps: 150);
        Assert.True(first.Count > 1000, $"only {first.Count} events");
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);

        var other = Run(seed: 43, steps: 150);
        Assert.NotEqual(first.OfType<PublicTrade>().Select(t => (t.YesPrice, t.Count)), other.OfType<PublicTrade>().Select(t => (t.YesPrice, t.Count)));
    }

    [Fact]
    public void Books_move_trades_print_and_nothing_is_created_or_destroyed()
    {
        var (exchange, agents, time) = Session(seed: 7);
        var firstBids = new Dictionary<string, Price?>();
        for (int i = 0; i < 300; i++)
        {
            agents.Step();
            if (i == 0) foreach (var m in exchange.GetMarkets()) firstBids[m.Ticker] = m.YesBid;
            time.Advance(TimeSpan.FromSeconds(1));
        }
        foreach (var market in exchange.GetMarkets())
        {
            Assert.True(market.YesBid is not null, $"{market.Ticker} has no bid; fair {agents.FairValueOf(market.Ticker)}, ask {market.YesAsk}, " +
                string.Join(", ", agents.AgentUserIds.Select(id => $"{id}: {exchange.GetPositions(id, market.Ticker).Value.FirstOrDefault()?.Position}")));
            Assert.NotNull(market.YesAsk);
            Assert.True(market.YesBid < market.YesAsk, $"{market.Ticker} crossed: {market.YesBid} / {market.YesAsk}");
            Assert.True(market.Volume.IsPositive, $"{market.Ticker} never traded");
            Assert.NotEmpty(exchange.GetTrades(market.Ticker));
        }
        Assert.Contains(exchange.GetMarkets(), m => m.YesBid != firstBids[m.Ticker]);
        Assert.True(exchange.GetLedgerTotals().IsBalanced);
        var sub = exchange.GetOrderBook("KXGREENLAND-29").Value;
        Assert.Contains(sub.YesBids.Concat(sub.NoBids), l => !l.Price.IsWholeCent); // quoting sub-penny near the edge
    }

    [Fact]
    public void A_users_resting_order_at_the_touch_gets_filled_by_the_takers()
    {
        var (exchange, agents, time) = Session(seed: 3);
        exchange.Deposit("me", M("1000"));
        for (int i = 0; i < 5; i++) agents.Step();
        var market = exchange.GetMarket("KXNFLGAME-26NOV29KCBUF-KC").Value;
        var request = new CreateOrderRequest(market.Ticker, "mine", BookSide.Bid, market.YesBid!.Value, Quantity.FromContracts(2));
        var ack = exchange.CreateOrder("me", request).Value;
        Assert.Equal(Quantity.Zero, ack.FillCount);
        for (int i = 0; i < 1000 && exchange.GetOrder("me", ack.OrderId).Value.FillCount.IsZero; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            agents.Step();
        }
        var order = exchange.GetOrder("me", ack.OrderId).Value;
        Assert.True(order.FillCount.IsPositive, "the resting order never filled");
        Assert.All(exchange.GetFills("me").Value, f => Assert.False(f.IsTaker));
    }

    [Fact]
    public void Makers_stay_within_their_risk_limit()
    {
        var options = new LiquidityOptions { MaxPosition = 20, TakerChancePerMille = 1000, MaxTakerSize = 10 };
        var (exchange, agents, time) = Session(seed: 11, options);
        for (int i = 0; i < 400; i++)
        {
            agents.Step();
            time.Advance(TimeSpan.FromSeconds(1));
        }
        // past the limit a maker stops quoting the side that adds; what was resting can still fill once
        long bound = options.MaxPosition + options.LevelsPerSide * options.MaxQuoteSize;
        foreach (var id in agents.AgentUserIds.Where(id => id.StartsWith("agent-mm", StringComparison.Ordinal)))
            foreach (var p in exchange.GetPositions(id).Value)
                Assert.True(Math.Abs(p.Position.ToWholeContracts()) <= bound, $"{id} holds {p.Position} in {p.Ticker}");
        Assert.True(exchange.GetLedgerTotals().IsBalanced);
    }

    [Fact]
    public void Agents_stop_when_a_market_closes()
    {
        var (exchange, agents, time) = Session(seed: 5);
        for (int i = 0; i < 10; i++) agents.Step();
        exchange.CloseMarket("KXBTCD-26DEC01-T100000");
        exchange.Events!.Drain();
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            agents.Step();
        }
        Assert.DoesNotContain(exchange.Events.Drain(), e => e is OrderUpdated u && u.Order.Ticker == "KXBTCD-26DEC01-T100000");
        var book = exchange.GetOrderBook("KXBTCD-26DEC01-T100000").Value;
        Assert.Empty(book.YesBids);
        Assert.Empty(book.NoBids);
    }
}
