using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Actors.Streams;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Server;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using Trader.Policy;
using Trader.Replay.Recording;

namespace Trader.Scenarios.Recorder;

/// <summary>
/// One scenario being recorded: the simulated exchange in process (no liquidity agents: the books hold only what the
/// scenario's counterparty places, so every decision has a reason), a funded counterparty user, and the real trader
/// actors (<see cref="TraderActors.Start"/>) against the exchange over loopback, their Kalshi client's HTTP handler
/// and both WebSocket connectors wrapped by <see cref="SessionRecorder"/> exactly as a live <c>trader run --record</c>
/// wraps them. The scenario drives the session through the exchange (<see cref="Place"/>, <see cref="Faults"/>,
/// <see cref="Exchange"/>) and waits for the trader to react (<see cref="WaitUntilAsync"/>): real conditions with a
/// timeout, since this is a real-time session.
/// </summary>
internal sealed class ScenarioSession : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly SimulatedExchangeServer _sim;
    private readonly SimulatedUser _counterparty;
    private readonly KalshiCredentials _credentials;
    private readonly SocketsHttpHandler _http;
    private readonly KalshiRestClient _client;
    private readonly SessionRecorder _recorder;
    private readonly ActorSystem _system;
    private readonly StatusLogStore _store;
    private readonly TextWriter _log;
    private int _nextOrder;

    private ScenarioSession(SimulatedExchangeServer sim, SimulatedUser counterparty, KalshiCredentials credentials, SocketsHttpHandler http,
        KalshiRestClient client, SessionRecorder recorder, ActorSystem system, StatusLogStore store, TraderActorRefs actors, Events events, TextWriter log)
    {
        _sim = sim;
        _counterparty = counterparty;
        _credentials = credentials;
        _http = http;
        _client = client;
        _recorder = recorder;
        _system = system;
        _store = store;
        Actors = actors;
        Seen = events;
        _log = log;
    }

    public TraderActorRefs Actors { get; }

    /// <summary>What the trader published while recording (decisions, their outcomes, book events).</summary>
    public Events Seen { get; }

    public FaultInjector Faults => _sim.Faults;

    public string TraderUserId => _sim.DemoUserId;

    /// <summary>Calls the exchange's engine directly (market control, the counterparty's orders, reads).</summary>
    public T Exchange<T>(Func<Trader.Exchange.SimulatedExchange, T> call) => _sim.Execute(call);

    public int DropWebSockets() => _sim.DropWebSockets();

    public static async Task<ScenarioSession> StartAsync(Scenario scenario, string tapePath, TextWriter log)
    {
        var sim = await SimulatedExchangeServer.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Seed = scenario.Seed,
            KeyDirectory = null,
            LiquidityInterval = null,
            StartingBalance = Money.FromDollars(1000),
            Faults = scenario.InitialFaults,
        });
        var counterparty = sim.AddUser(Money.FromDollars(100_000), "counterparty");
        var config = ConfigurationFactory.ParseString(scenario.Hocon)
            .WithFallback(ConfigurationFactory.ParseString($"trader.market-data.markets = [{string.Join(", ", scenario.Markets.Select(m => $"\"{m}\""))}]"))
            .WithFallback(TraderHocon.LoadDefaults());

        var recorder = SessionRecorder.Start(tapePath, sim.RestBase.AbsoluteUri, scenario.Markets, config);
        var credentials = sim.DemoKey.CreateCredentials();
        var http = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new KalshiRestClient(new KalshiClientOptions { Environment = sim.Environment, Credentials = credentials, Handler = recorder.WrapHttp(http) });
        var streams = KalshiStreamOptions.For(sim.Environment, credentials);

        var settings = TraderSettings.FromConfig(config);
        var decisions = DecisionSettings.FromConfig(config);
        var components = new TraderComponents
        {
            StartTrading = true,
            Streams = recorder.WrapStream(streams, MarketDataActor.Name),
            AccountStreams = recorder.WrapStream(streams, UserStreamActor.Name),
            Markets = scenario.Markets,
            MarketData = MarketDataSettings.FromConfig(config),
            Policy = () => PolicyFactory.Create(decisions.Policy, decisions.ResolveModelPath()),
            Decisions = decisions,
        };
        var system = ActorSystem.Create("scenario", ConfigurationFactory.ParseString("""
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.log-dead-letters = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(config));
        var events = new Events();
        var listener = system.ActorOf(Props.Create(() => new Listener(events)), "scenario-listener");
        foreach (var type in new[] { typeof(DecisionTaken), typeof(DecisionResolved), typeof(MarketDataEvent), typeof(TraderStateChanged) })
            system.EventStream.Subscribe(listener, type);
        var store = new StatusLogStore();
        var actors = TraderActors.Start(system, client, settings, components, store, new TraderMetrics());
        actors.Coordinator.Tell(StartTrading.Instance);
        log.WriteLine($"  exchange {sim.RestBase} (seed {scenario.Seed}), trader {sim.DemoUserId}, markets {string.Join(", ", scenario.Markets)}");
        return new ScenarioSession(sim, counterparty, credentials, http, client, recorder, system, store, actors, events, log);
    }

    // ---- driving ---------------------------------------------------------------------------------------------

    /// <summary>The counterparty places a good-till-canceled order (a YES-leg bid or ask); returns its order id.</summary>
    public string Place(string ticker, BookSide side, string yesPrice, int contracts)
    {
        var request = new CreateOrderRequest(ticker, $"counterparty-{++_nextOrder}", side, Price.Parse(yesPrice), Quantity.FromContracts(contracts));
        var ack = _sim.Execute(x => x.CreateOrder(_counterparty.UserId, request)).Value;
        Note($"counterparty {side.ToString().ToLowerInvariant()} {contracts} @ {yesPrice} on {ticker}: order {ack.OrderId}, {ack.FillCount.ToWireString()} filled");
        return ack.OrderId;
    }

    public void Cancel(string orderId)
    {
        _sim.Execute(x => x.CancelOrder(_counterparty.UserId, orderId)).Value.ToString();
        Note($"counterparty canceled {orderId}");
    }

    public void Note(string text) => _log.WriteLine($"    {DateTimeOffset.UtcNow:HH:mm:ss.fff} {text}");

    // ---- observing -------------------------------------------------------------------------------------------

    public Task<TraderStatusReport> StatusAsync() => Actors.Coordinator.Ask<TraderStatusReport>(GetTraderStatus.Instance, TimeSpan.FromSeconds(10));

    public IReadOnlyList<Core.Status.StatusEntry> StatusLog => _store.Current.Entries;

    public bool HasStatus(string status, int atLeast = 1) => StatusLog.Count(e => e.Status == status) >= atLeast;

    /// <summary>The trader's position in contracts as the exchange holds it.</summary>
    public Quantity ExchangePosition(string ticker) =>
        _sim.Execute(x => x.GetPositions(_sim.DemoUserId, ticker).Value).FirstOrDefault()?.Position ?? Quantity.Zero;

    /// <summary>The trader's own idea of its position (its position actor, through the coordinator).</summary>
    public async Task<Quantity> TraderPositionAsync(string ticker) =>
        (await StatusAsync().ConfigureAwait(false)).Trading.Positions.GetValueOrDefault(ticker);

    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultWait);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                string stats = Actors.Decisions is { } d
                    ? Describe(await d.Ask<DecisionStats>(GetDecisionStats.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false))
                    : "no decision loop";
                throw new TimeoutException($"scenario: waited {(timeout ?? DefaultWait).TotalSeconds:0}s for {what}; decisions: {stats}; status log:\n" +
                                           Core.Status.StatusText.Format(StatusLog, TimeZoneInfo.Utc));
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
        Note($"reached: {what}");
    }

    private static string Describe(DecisionStats s) =>
        $"{s.Decisions} by {s.Policy}, actions [{string.Join(", ", s.Actions.Select(a => $"{a.Key} {a.Value}"))}], " +
        $"skipped [{string.Join(", ", s.Skipped.Select(a => $"{a.Key} {a.Value}"))}]";

    public Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? timeout = null) =>
        WaitUntilAsync(what, () => Task.FromResult(condition()), timeout);

    public Task WaitForStateAsync(TraderState state, TimeSpan? timeout = null) =>
        WaitUntilAsync($"state {state}", async () => (await StatusAsync().ConfigureAwait(false)).State == state, timeout);

    /// <summary>Lets the session run on (fill polls, balance reads) so the tape shows the trader settled after the last step.</summary>
    public async Task RunOnAsync(TimeSpan time)
    {
        await Task.Delay(time).ConfigureAwait(false);
        Note($"ran on for {time.TotalSeconds:0.#}s");
    }

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate().ConfigureAwait(false);
        _recorder.Dispose();
        _client.Dispose();
        _http.Dispose();
        _credentials.Dispose();
        _counterparty.Dispose();
        await _sim.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>What the trader published, for the scenario to wait on.</summary>
    internal sealed class Events
    {
        public ConcurrentQueue<DecisionTaken> Decisions { get; } = new();
        public ConcurrentQueue<DecisionResolved> Outcomes { get; } = new();
        public ConcurrentQueue<MarketDataEvent> Books { get; } = new();

        public int Snapshots => Books.Count(b => b is BookSnapshotApplied);
        public int Gaps => Books.Count(b => b is BookGapDetected);
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(Events events)
        {
            Receive<DecisionTaken>(events.Decisions.Enqueue);
            Receive<DecisionResolved>(events.Outcomes.Enqueue);
            Receive<MarketDataEvent>(e =>
            {
                if (e is not BookDeltaApplied) events.Books.Enqueue(e);
            });
            Receive<TraderStateChanged>(_ => { });
        }
    }
}
