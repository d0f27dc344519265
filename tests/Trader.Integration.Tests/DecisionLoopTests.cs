using Akka.Actor;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Integration.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>
/// The decision loop end to end: the exchange's book moves, the orderbook stream carries the delta, the decision actor
/// asks a real policy, the coordinator places the order, the exchange fills it, and the fill becomes the trader's position.
/// </summary>
public sealed class DecisionLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_book_move_leads_through_the_heuristic_policy_to_an_order_a_fill_and_a_position()
    {
        await using var exchange = await StartAsync();
        var maker = exchange.AddUser();
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup
        {
            Markets = [Ticker],
            Decisions = true,
            Hocon = "trader.decisions.policy = heuristic",
        });
        await trader.ExpectStateAsync(TraderState.Ready);
        await trader.Events.FishForMessageAsync<BookSnapshotApplied>(s => s.Ticker == Ticker, TraderUnderTest.Patience);

        // Heavy bids and no offer: a one-sided book, which the policy does not trade.
        exchange.Place(maker.UserId, BookSide.Bid, "0.5000", 300);
        await trader.Events.FishForMessageAsync<BookDeltaApplied>(d => d.Leg == BookLeg.Yes && d.Price == Price.Parse("0.50"), TraderUnderTest.Patience);
        var hold = await trader.Events.FishForMessageAsync<DecisionTaken>(d => d.Ticker == Ticker, TraderUnderTest.Patience);
        Assert.Equal("HOLD", hold.ActionName);

        // A small offer 2¢ above: a tight spread under buying pressure. The policy buys YES at the offer.
        exchange.Place(maker.UserId, BookSide.Ask, "0.5200", 5);
        await trader.Events.FishForMessageAsync<BookDeltaApplied>(d => d.Leg == BookLeg.No && d.Price == Price.Parse("0.48"), TraderUnderTest.Patience);
        var buy = await trader.Events.FishForMessageAsync<DecisionTaken>(d => d.Ticker == Ticker, TraderUnderTest.Patience);
        Assert.Equal("BUY_YES×5.00", buy.ActionName);
        Assert.Contains("0.5200", buy.Outcome);

        // The order took the whole offer; the trader holds the 5 contracts the exchange says it holds.
        await trader.Kit.AwaitAssertAsync(async () =>
            Assert.Equal(Quantity.FromContracts(5), (await trader.PositionsAsync()).Positions.GetValueOrDefault(Ticker)?.Contracts), TraderUnderTest.Patience);
        await trader.AwaitAgreementAsync(exchange);
        var order = Assert.Single(exchange.Orders());
        Assert.Equal((ExchangeOrderStatus.Executed, Quantity.FromContracts(5), Price.Parse("0.52")), (order.Status, order.FillCount, order.YesPrice));
        var fill = Assert.Single(exchange.Fills());
        Assert.True(fill.IsTaker);
        Assert.Equal(1, trader.Metrics.Orders.Value("placed"));

        var stats = await trader.Actors.Decisions!.Ask<DecisionStats>(GetDecisionStats.Instance, TraderUnderTest.Patience);
        Assert.Equal(1, stats.Actions["buy_yes"]);
        Assert.StartsWith("heuristic", stats.Policy);
    }

    [Fact]
    public async Task The_shipped_onnx_policy_decides_on_the_books_the_liquidity_agents_move_and_the_trader_stays_in_agreement_with_the_exchange()
    {
        await using var exchange = await StartAsync(liquidityAgents: true);
        // The default configuration's policy: position-aware:onnx with models/default.onnx. No throttle to speak of, so
        // that an order in one round cannot silence the market in the next.
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup
        {
            Markets = [Ticker, OtherTicker],
            Decisions = true,
            Hocon = "trader.decisions.throttle = 1ms",
        });
        await trader.ExpectStateAsync(TraderState.Ready);

        // Each round the agents requote (their fair values move every step): the deltas reach the trader, which decides.
        var decided = new List<DecisionTaken>();
        for (int round = 0; round < 5; round++)
        {
            await exchange.Control.StepLiquidityAsync(5);
            decided.Add(await trader.Events.FishForMessageAsync<DecisionTaken>(_ => true, TraderUnderTest.Patience));
        }
        Assert.All(decided, d =>
        {
            Assert.Equal(52, d.Observation.Length);
            Assert.Equal(5, d.Logits.Length); // the model's logits: the ONNX policy decided, not a heuristic
        });
        var stats = await trader.Actors.Decisions!.Ask<DecisionStats>(GetDecisionStats.Instance, TraderUnderTest.Patience);
        Assert.Contains("onnx", stats.Policy, StringComparison.OrdinalIgnoreCase);
        output.WriteLine($"decisions: {stats.Decisions}, actions: {string.Join(", ", stats.Actions.Select(a => $"{a.Key} {a.Value}"))}, " +
            $"skipped: {string.Join(", ", stats.Skipped.Select(a => $"{a.Key} {a.Value}"))}");

        // Whatever it traded, once it stops acting it agrees with the exchange on cash, positions and resting orders.
        trader.Coordinator.Tell(new PauseTrading("end of the test"));
        await trader.AwaitAgreementAsync(exchange);
        // Every order the exchange holds went through the coordinator (placed, or sent with its answer lost).
        Assert.Equal(exchange.Orders().Count, trader.Metrics.Orders.Value("placed") + trader.Metrics.Orders.Value("unknown"));
        output.WriteLine($"orders: {exchange.Orders().Count} on the exchange, {trader.Metrics.Orders.Value("refused")} refused by the trader");
    }
}
