using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using Trader.Policy;
using Xunit.Abstractions;

namespace Trader.Integration.Tests.Infrastructure;

/// <summary>How a test's trader is set up, on top of <see cref="TraderUnderTest.TestHocon"/>.</summary>
public sealed record TraderSetup
{
    /// <summary>More HOCON, in front of the test defaults (e.g. <c>trader.decisions.policy = heuristic</c>).</summary>
    public string Hocon { get; init; } = "";

    /// <summary>Open the WebSocket streams (account stream always; the orderbook stream when <see cref="Markets"/> is not empty).</summary>
    public bool Streams { get; init; } = true;

    /// <summary>Markets to stream order books for (and decide on, with <see cref="Decisions"/>).</summary>
    public IReadOnlyList<string> Markets { get; init; } = [];

    /// <summary>Run the decision loop with the policy <c>trader.decisions</c> names, built by <see cref="PolicyFactory"/>.</summary>
    public bool Decisions { get; init; }

    /// <summary>Name of the actor system (a second "process" in one test gets another).</summary>
    public string SystemName { get; init; } = "trader";
}

/// <summary>
/// One trader "process" against an <see cref="ExchangeUnderTest"/>: its own actor system (the HOCON defaults of
/// <c>hocon/</c> with the test's overrides in front), settings read from that configuration, its own REST client
/// and WebSocket streams signing with the demo key read from the key file, its own status log store and metrics, and
/// the actors started by <see cref="TraderActors.Start"/> — everything a host starts, nothing shared with another
/// instance. The actor system is a TestKit's, so the test gets probes, <c>AwaitAssertAsync</c> and <c>ExpectMsg</c>.
/// </summary>
public sealed class TraderUnderTest : IDisposable
{
    /// <summary>The longest a test waits for something the trader or the exchange will do; CI runs on two loaded cores.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The test's settings over <c>hocon/trader.conf</c>: fast recovery (backoff 200 ms to 1 s), fills polled every
    /// 300 ms, unknown orders looked up after 200 ms, streams reconnecting within a second, no periodic recalibration
    /// during a test, and a generous stash age and acting timeout for a slow machine.
    /// </summary>
    public const string TestHocon = """
        trader {
          calibration { interval = 10m, backoff-min = 200ms, backoff-max = 1s, timeout = 20s }
          orders { acting-timeout = 20s, unknown-lookup-delay = 200ms }
          sync.fill-poll-interval = 300ms
          stash.max-age = 30s
          market-data { reconnect-min = 100ms, reconnect-max = 1s }
          status.time-zone = UTC
        }
        akka {
          loglevel = INFO
          log-dead-letters = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          test.single-expect-default = 20s
        }
        """;

    private readonly TestKit _kit;
    private readonly KalshiCredentials _credentials;
    private readonly KalshiRestClient _api;
    private int _decisions;

    private TraderUnderTest(TestKit kit, KalshiCredentials credentials, KalshiRestClient api, TraderSettings settings, TraderActorRefs actors,
        StatusLogStore status, TraderMetrics metrics, TestProbe states, TestProbe events)
    {
        _kit = kit;
        _credentials = credentials;
        _api = api;
        Settings = settings;
        Actors = actors;
        Status = status;
        Metrics = metrics;
        States = states;
        Events = events;
    }

    public TestKit Kit => _kit;
    public ActorSystem System => _kit.Sys;
    public TraderSettings Settings { get; }
    public TraderActorRefs Actors { get; }
    public IActorRef Coordinator => Actors.Coordinator;
    public StatusLogStore Status { get; }
    public TraderMetrics Metrics { get; }

    /// <summary>Every <see cref="TraderStateChanged"/> since the trader was created (subscribed before it started).</summary>
    public TestProbe States { get; }

    /// <summary>Every market-data event and decision (<see cref="MarketDataEvent"/>, <see cref="DecisionTaken"/>) since the trader was created.</summary>
    public TestProbe Events { get; }

    /// <summary>Creates the trader's actors and starts trading (calibration begins at once).</summary>
    public static TraderUnderTest Start(ExchangeUnderTest exchange, ITestOutputHelper output, TraderSetup? setup = null)
    {
        setup ??= new TraderSetup();
        var config = ConfigurationFactory.ParseString(setup.Hocon)
            .WithFallback(ConfigurationFactory.ParseString(TestHocon))
            .WithFallback(TraderHocon.LoadDefaults());
        var kit = new TestKit(config, setup.SystemName, output);
        try
        {
            var settings = TraderSettings.FromConfig(config);
            var marketData = MarketDataSettings.FromConfig(config);
            var decisions = DecisionSettings.FromConfig(config);

            // As a process would: the key id and the private key file from the key directory.
            var demo = exchange.Server.DemoKey;
            var credentials = KalshiCredentials.FromFile(demo.KeyId, demo.PrivateKeyPath
                ?? throw new InvalidOperationException("the exchange keeps its demo key in memory; the tests give it a key directory"));
            var api = new KalshiRestClient(new KalshiClientOptions
            {
                Environment = exchange.Server.Environment,
                Credentials = credentials,
                // Quick retries: a test of an exchange that is down should not wait out production's 8 s backoff.
                Retry = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), 3),
                RequestTimeout = TimeSpan.FromSeconds(10),
            });
            var components = new TraderComponents
            {
                StartTrading = false,
                Streams = setup.Streams ? KalshiStreamOptions.For(exchange.Server.Environment, credentials) : null,
                Markets = setup.Markets,
                MarketData = marketData,
                Decisions = decisions,
                Policy = setup.Decisions ? () => PolicyFactory.Create(decisions.Policy, decisions.ResolveModelPath()) : null,
            };

            var states = kit.CreateTestProbe("states");
            kit.Sys.EventStream.Subscribe(states.Ref, typeof(TraderStateChanged));
            var events = kit.CreateTestProbe("events");
            kit.Sys.EventStream.Subscribe(events.Ref, typeof(MarketDataEvent));
            kit.Sys.EventStream.Subscribe(events.Ref, typeof(DecisionTaken));
            var status = new StatusLogStore();
            var metrics = new TraderMetrics();
            var actors = TraderActors.Start(kit.Sys, api, settings, components, status, metrics);
            actors.Coordinator.Tell(StartTrading.Instance);
            return new TraderUnderTest(kit, credentials, api, settings, actors, status, metrics, states, events);
        }
        catch
        {
            kit.Dispose();
            throw;
        }
    }

    // ---- asking the trader ---------------------------------------------------------------------------------------

    public Task<TraderStatusReport> StatusAsync() => Coordinator.Ask<TraderStatusReport>(GetTraderStatus.Instance, Patience);

    public Task<PositionsResponse> PositionsAsync() =>
        System.ActorSelection("/user/trader/positions").Ask<PositionsResponse>(GetPositions.Instance, Patience);

    public async Task<IReadOnlyList<Order>> OpenOrdersAsync(string? ticker = null) =>
        (await System.ActorSelection("/user/trader/orders").Ask<OpenOrdersResponse>(new GetOpenOrders(ticker), Patience)).Orders;

    /// <summary>Cancels one order through the order actor, as an operator's command would.</summary>
    public Task<CancelResult> CancelAsync(string clientOrderId) =>
        System.ActorSelection("/user/trader/orders").Ask<CancelResult>(new CancelOrder(clientOrderId), Patience);

    /// <summary>Submits an action to the coordinator and returns its one <see cref="ActionResult"/>.</summary>
    public Task<ActionResult> SubmitAsync(SubmitAction action) => Coordinator.Ask<ActionResult>(action, Patience);

    public SubmitAction Action(OrderIntent intent, string contractPrice, int contracts, string ticker = ExchangeUnderTest.Ticker) =>
        new($"test-{Interlocked.Increment(ref _decisions)}", ticker, intent, Price.Parse(contractPrice), Quantity.FromContracts(contracts));

    /// <summary>The status log as "status result" lines, oldest first.</summary>
    public IReadOnlyList<string> StatusLines() =>
        Status.Current.Entries.Select(e => e.Status + (e.Result is null ? "" : " " + e.Result)).ToList();

    /// <summary>
    /// Waits for a status log line that matches and returns it. The status actor writes the log after the coordinator
    /// has moved on (a state change is published at once), so a line is awaited, never read straight after an event.
    /// </summary>
    public async Task<string> AwaitStatusLineAsync(Func<string, bool> match, string what)
    {
        string? found = null;
        await Kit.AwaitAssertAsync(() =>
        {
            found = StatusLines().FirstOrDefault(match);
            Assert.True(found is not null, $"no status line {what} in:\n{string.Join("\n", StatusLines())}");
        }, Patience, TimeSpan.FromMilliseconds(50));
        return found!;
    }

    // ---- waiting -------------------------------------------------------------------------------------------------

    /// <summary>Waits for the next change to <paramref name="state"/> (earlier changes to other states are passed over).</summary>
    public Task<TraderStateChanged> ExpectStateAsync(TraderState state) =>
        States.FishForMessageAsync<TraderStateChanged>(s => s.To == state, Patience, $"the trader to reach {state}").AsTask();

    /// <summary>
    /// Waits until the trader agrees with the exchange on everything it keeps: READY, cash, every position (contracts,
    /// cost basis, realized P&amp;L, fees) and every resting order (exchange id, client order id, filled, remaining).
    /// </summary>
    public Task AwaitAgreementAsync(ExchangeUnderTest exchange) => Kit.AwaitAssertAsync(async () =>
    {
        var report = await StatusAsync();
        Assert.Equal(TraderState.Ready, report.State);
        Assert.Equal(exchange.Balance().Cash, report.Trading.Cash);

        var expected = exchange.Positions();
        var positions = (await PositionsAsync()).Positions.Values.Where(p => !p.IsFlat).ToDictionary(p => p.Ticker, StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), positions.Keys.Order(StringComparer.Ordinal));
        foreach (var (ticker, e) in expected)
        {
            var p = positions[ticker];
            Assert.Equal((e.Position, Money.Abs(e.MarketExposure), e.RealizedPnl, e.FeesPaid), (p.Contracts, p.CostBasis, p.RealizedPnl, p.FeesPaid));
            Assert.Equal(e.Position, report.Trading.Positions.GetValueOrDefault(ticker));
        }

        var resting = exchange.RestingOrders()
            .Select(o => (Id: (string?)o.OrderId, Cid: o.ClientOrderId, Filled: o.FillCount, Remaining: o.RemainingCount)).OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
        var open = (await OpenOrdersAsync())
            .Select(o => (Id: o.ExchangeOrderId, Cid: (string?)o.ClientOrderId, o.Filled, o.Remaining)).OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(resting, open);
    }, Patience, TimeSpan.FromMilliseconds(100));

    // ---- ending ----------------------------------------------------------------------------------------------

    /// <summary>
    /// The nearest thing to killing the process: the actor system is aborted (no coordinated shutdown, so no stop of
    /// trading and no cancel of resting orders) and the REST client is disposed under any request still in flight.
    /// </summary>
    public async Task KillAsync()
    {
        ((ActorSystemImpl)System).Abort();
        await System.WhenTerminated.WaitAsync(Patience);
        _api.Dispose();
    }

    public void Dispose()
    {
        _kit.Dispose();
        _api.Dispose();
        _credentials.Dispose();
    }
}
