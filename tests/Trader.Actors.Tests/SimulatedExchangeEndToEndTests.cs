using Akka.Actor;
using Akka.TestKit.Xunit2;
using Trader.Actors.Coordinator;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Server;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using Trader.Policy;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

/// <summary>
/// The trader's actors against the real simulated exchange over loopback (REST and WebSocket, real time): a book that
/// moves leads to a decision, an order, a fill and a position; an orderbook socket refused with 503 leaves the trader
/// up, degraded, with its markets stale until the socket is allowed again. The liquidity agents are off, so the only
/// orders are the test's and the trader's.
/// </summary>
public sealed class SimulatedExchangeEndToEndTests(ITestOutputHelper output) : TestKit(Config, output), IAsyncLifetime
{
    private const string Config = """
        akka.loglevel = INFO
        akka.test.single-expect-default = 10s
        """;

    private const string Ticker = "KXBTCD-26DEC01-T100000";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private SimulatedExchangeServer _sim = null!;
    private KalshiCredentials _credentials = null!;
    private KalshiRestClient _api = null!;
    private SimulatedUser _other = null!;
    private readonly StatusLogStore _store = new();
    private readonly TraderMetrics _metrics = new();
    private int _orders;

    /// <summary>
    /// Buys YES on its first decision and holds ever after: one order, whatever the timing of the deltas its own fill
    /// causes (on a slow machine they may come after the decision throttle and before the position is known).
    /// </summary>
    private sealed class BuyYesOnce : IPolicy
    {
        private int _decisions;

        public string Name => "buy-yes-once";
        public int ActionCount => 5;

        public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context) =>
            new(Interlocked.Increment(ref _decisions) == 1 ? PolicyActions.BuyYes : PolicyActions.Hold);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Sys.Terminate();
        _api?.Dispose();
        _credentials?.Dispose();
        _other?.Dispose();
        if (_sim is not null) await _sim.DisposeAsync();
    }

    private async Task StartExchangeAsync(FaultSettings? faults = null)
    {
        _sim = await SimulatedExchangeServer.StartAsync(new SimulatorOptions
        {
            LiquidityInterval = null,
            RateLimits = null,
            ClockInterval = TimeSpan.FromMilliseconds(50),
            Faults = faults,
        });
        _credentials = _sim.DemoKey.CreateCredentials();
        _api = new KalshiRestClient(new KalshiClientOptions { Environment = _sim.Environment, Credentials = _credentials });
        _other = _sim.AddUser(Money.FromDollars(1000));
    }

    /// <summary>Another trader's resting order, placed straight in the exchange.</summary>
    private void Rest(BookSide side, string price, long contracts)
    {
        var result = _sim.Execute(x => x.CreateOrder(_other.UserId,
            new CreateOrderRequest(Ticker, $"other-{++_orders}", side, Price.Parse(price), Quantity.FromContracts(contracts))));
        Assert.True(result.IsSuccess, result.ToString());
    }

    /// <summary>Starts the trader's actors and, unless <paramref name="startTrading"/> is false, its calibration.</summary>
    private TraderActorRefs StartTrader(bool startTrading = true)
    {
        var actors = TraderActors.Start(Sys, _api, Settings, new TraderComponents
        {
            Streams = KalshiStreamOptions.For(_sim.Environment, _credentials),
            Markets = [Ticker],
            MarketData = new MarketDataSettings { ReconnectMin = TimeSpan.FromMilliseconds(100), ReconnectMax = TimeSpan.FromMilliseconds(500) },
            Policy = () => new BuyYesOnce(),
        }, _store, _metrics);
        if (startTrading) actors.Coordinator.Tell(StartTrading.Instance);
        return actors;
    }

    private static TraderSettings Settings => new() { StatusTimeZone = TimeZoneInfo.Utc, FillPollInterval = TimeSpan.FromSeconds(1) };

    private TraderStatusReport Status(IActorRef coordinator) =>
        coordinator.Ask<TraderStatusReport>(GetTraderStatus.Instance, Patience).GetAwaiter().GetResult();

    private List<string> StatusLines() => _store.Current.Entries.Select(e => e.Status + (e.Result is null ? "" : " " + e.Result)).ToList();

    [Fact]
    public async Task A_book_that_moves_leads_to_a_decision_an_order_a_fill_and_a_position()
    {
        await StartExchangeAsync();
        Rest(BookSide.Bid, "0.45", 20); // YES bid 0.45
        Rest(BookSide.Ask, "0.55", 20); // YES ask 0.55 (a NO bid at 0.45)
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(BookSnapshotApplied));
        Sys.EventStream.Subscribe(events.Ref, typeof(PortfolioUpdated));

        var trader = StartTrader();
        AwaitAssert(() =>
        {
            var report = Status(trader.Coordinator);
            Assert.Equal(TraderState.Ready, report.State);
            Assert.False(report.IsDegraded, string.Join(", ", report.Streams));
        }, Patience);
        events.FishForMessage<BookSnapshotApplied>(s => s.Ticker == Ticker, Patience);

        // The book moves: another bid joins. The delta reaches the decision actor, whose policy buys YES at the best
        // YES ask, 0.55, which crosses the other trader's resting ask.
        Rest(BookSide.Bid, "0.46", 3);

        var portfolio = events.FishForMessage<PortfolioUpdated>(p => p.Positions.TryGetValue(Ticker, out var pos) && !pos.Contracts.IsZero, Patience);
        var position = portfolio.Positions[Ticker];
        Assert.Equal(Quantity.FromContracts(5), position.Contracts); // one order of the configured 5 contracts
        Assert.Equal(Money.Parse("2.75"), position.CostBasis);        // 5 × 0.55, the maker's price
        Assert.True(position.FeesPaid.IsPositive);                     // the trader took liquidity

        // The exchange agrees: the demo user holds +5 YES, bought from the other trader at 0.55.
        var atExchange = Assert.Single(await _api.GetPositionsAsync(Ticker));
        Assert.Equal(position.Contracts, atExchange.Position);
        var fill = Assert.Single(await _api.GetFillsAsync(new FillQuery(Ticker: Ticker)));
        Assert.Equal(Price.Parse("0.55"), fill.YesPrice);
        Assert.Equal(BookSide.Bid, fill.Side);
        // The fill reaches the trader by the account stream, which may beat the REST answer to the order: the position
        // can be known before the coordinator has counted the order as placed.
        AwaitAssert(() => Assert.Equal(1, _metrics.Orders.Value("placed")), Patience);
        Assert.True(_metrics.Decisions.Value() >= 1);
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("ready", StringComparison.Ordinal)), Patience);
    }

    [Fact]
    public async Task An_orderbook_socket_refused_with_503_leaves_the_trader_up_degraded_with_stale_markets_until_it_recovers()
    {
        await StartExchangeAsync(new FaultSettings { WebsocketUpgrade503 = -1 });
        Rest(BookSide.Bid, "0.45", 20);
        Rest(BookSide.Ask, "0.55", 20);
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(MarketDataEvent));

        // Calibration starts once the coordinator knows the orderbook socket is refused. Started together, the REST
        // calibration and the refused upgrade race: when calibration wins, the "ready" line says nothing of the
        // degradation (a later "ready -> orderbook down" line does), and the check of the "ready" line below fails.
        var trader = StartTrader(startTrading: false);
        Assert.Contains("503", events.FishForMessage<MarketStale>(s => s.Ticker == Ticker, Patience).Reason);
        AwaitAssert(() => Assert.Contains(Status(trader.Coordinator).Streams, s => s.Stream == MarketDataActor.Name && !s.Connected), Patience);
        trader.Coordinator.Tell(StartTrading.Instance);
        AwaitAssert(() =>
        {
            var report = Status(trader.Coordinator);
            Assert.Equal(TraderState.Ready, report.State);
            Assert.True(report.IsDegraded);
            Assert.Contains(report.OptionalStreamsDown, s => s.Stream == MarketDataActor.Name);
        }, Patience);
        // The status actor writes what the coordinator told it, a moment after the coordinator's own state changed.
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("ready cash $1000.00 | degraded: ", StringComparison.Ordinal) && l.Contains("orderbook down")), Patience);
        Assert.Equal(1, _metrics.Degraded.Value());
        Assert.Equal(1, _metrics.StaleMarkets.Value());
        Assert.True(_sim.Execute(x => x.GetOrders(_sim.DemoUserId).Value.Count) == 0, "no order may be placed on a stale market");

        // Kalshi lets the socket through again: the stream reconnects by itself, the market recovers, trading is whole.
        _sim.Faults.Clear();
        events.FishForMessage<MarketRecovered>(r => r.Ticker == Ticker, Patience);
        AwaitAssert(() =>
        {
            var report = Status(trader.Coordinator);
            Assert.Equal(TraderState.Ready, report.State);
            Assert.False(report.IsDegraded, string.Join(", ", report.Streams));
        }, Patience);
        Assert.Equal(0, _metrics.Degraded.Value());
        Assert.Equal(0, _metrics.StaleMarkets.Value());
        AwaitAssert(() => Assert.Contains(StatusLines(), l => l.StartsWith("ready -> orderbook up", StringComparison.Ordinal)), Patience);
    }
}
