using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trader.Actors.Coordinator;
using Trader.Actors.Hosting;
using Trader.Actors.Status;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Actors.Monitoring;
using Trader.Kalshi.Api;
using Trader.Kalshi.Streaming;
using Trader.Policy;

namespace Trader.Actors.Tests;

public class TraderHostingTests
{
    /// <summary>
    /// These kits run on the host's actor system, whose configuration sets no expectation default (Akka's is 3 s):
    /// waits name this one, as patient as the other actor tests.
    /// </summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddTrader_starts_the_coordinator_registers_it_and_shutdown_cancels_resting_orders()
    {
        var api = new FakeKalshiApi();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKalshiApi>(api);
        builder.Services.AddTrader(TraderHocon.LoadDefaults());
        using var host = builder.Build();
        await host.StartAsync();

        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var coordinator = await registry.GetAsync<TraderCoordinator>();
        var probe = new TestKit(system);

        probe.AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance, probe.TestActor);
            Assert.Equal(TraderState.Ready, probe.ExpectMsg<TraderStatusReport>(Patience).State);
        }, Patience);

        coordinator.Tell(new SubmitAction("d1", "MKT", OrderIntent.BuyYes, Price.Parse("0.40"), Quantity.FromContracts(2)), probe.TestActor);
        Assert.Equal(ActionOutcome.Placed, probe.ExpectMsg<ActionResult>(Patience).Outcome);
        // The status actor writes the log after the coordinator has moved on: awaited, not read at once.
        probe.AwaitAssert(() => Assert.Contains(host.Services.GetRequiredService<StatusLogStore>().Current.Entries, e => e.Status == "ready"), Patience);

        await host.StopAsync();
        Assert.Single(api.Cancels);
        Assert.Equal(ExchangeOrderStatus.Canceled, api.Orders.Single().Status);
    }
}

public class TraderCompositionTests
{
    private sealed class AlwaysBuyYes : IPolicy
    {
        public string Name => "always-buy-yes";
        public int ActionCount => 5;
        public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context) =>
            new(context.Position.IsZero ? 1 : 0);
    }

    [Fact]
    public async Task Streams_and_decisions_turn_a_book_into_an_order()
    {
        const string ticker = "MKT-1";
        var api = new FakeKalshiApi();
        var ws = new FakeWebSocket();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKalshiApi>(api);
        builder.Services.AddTrader(TraderHocon.LoadDefaults(), new TraderComponents
        {
            Streams = new KalshiStreamOptions { Endpoint = new Uri("wss://exchange.test/trade-api/ws/v2"), Connector = ws },
            Markets = [ticker],
            Policy = () => new AlwaysBuyYes(),
        });
        using var host = builder.Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var probe = new TestKit(system);

        probe.AwaitCondition(() => ws.Sids.ContainsKey("orderbook_delta") && ws.Sids.ContainsKey("fill"), TraderHostingTests.Patience);
        var coordinator = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<TraderCoordinator>();
        probe.AwaitAssert(() =>
        {
            coordinator.Tell(GetTraderStatus.Instance, probe.TestActor);
            var report = probe.ExpectMsg<TraderStatusReport>(TraderHostingTests.Patience);
            Assert.Equal(TraderState.Ready, report.State);
            Assert.Contains(report.Streams, s => s.Stream == "orderbook" && s.Connected);
        }, TraderHostingTests.Patience);

        // The books arrive on the connection that subscribed to orderbook_delta.
        var sid = ws.Sids["orderbook_delta"];
        var books = ws.For("orderbook_delta");
        books.Push($$$"""{"type":"orderbook_snapshot","sid":{{{sid}}},"seq":1,"msg":{"market_ticker":"{{{ticker}}}","yes_dollars_fp":[["0.4500","100.00"]],"no_dollars_fp":[["0.5300","150.00"]]}}""");
        books.Push($$$"""{"type":"orderbook_delta","sid":{{{sid}}},"seq":2,"msg":{"market_ticker":"{{{ticker}}}","price_dollars":"0.4400","delta_fp":"10.00","side":"yes","ts_ms":1781159489957}}""");

        probe.AwaitCondition(() => !api.Creates.IsEmpty, TraderHostingTests.Patience);
        Assert.True(api.Creates.TryPeek(out var create));
        Assert.Equal(ticker, create.Ticker);
        Assert.Equal(BookSide.Bid, create.Side);
        Assert.Equal(Price.Parse("0.47"), create.YesPrice);
        Assert.Equal(Quantity.FromContracts(5), create.Count);
        // The exchange has the order as soon as it is sent; the coordinator counts it once the answer is back.
        probe.AwaitAssert(() => Assert.Equal(1, host.Services.GetRequiredService<TraderMetrics>().Orders.Value("placed")), TraderHostingTests.Patience);

        await host.StopAsync();
    }
}
