using Akka.Actor;
using Akka.Configuration;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Core.Status;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Streaming;
using Trader.Policy;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>How to replay a tape: as recorded, or with another policy or model.</summary>
public sealed record ReplayOptions
{
    /// <summary>Replaces the recorded <c>trader.decisions.policy</c>.</summary>
    public string? Policy { get; init; }

    /// <summary>Replaces the recorded <c>trader.decisions.model</c>.</summary>
    public string? ModelPath { get; init; }

    /// <summary>More HOCON over the recorded settings.</summary>
    public Config? Overrides { get; init; }

    /// <summary>Where the HOCON defaults are (<c>hocon/</c> next to the program when null).</summary>
    public string? HoconDirectory { get; init; }
}

/// <summary>One decision of the replayed trader.</summary>
public sealed record ReplayedDecision(DateTimeOffset At, string Ticker, float[] Observation, float[] Logits, int Action, string ActionName, string Outcome);

/// <summary>What a replay did.</summary>
public sealed record ReplayResult(
    IReadOnlyList<ReplayedDecision> Decisions,
    IReadOnlyList<TraderStateChanged> Transitions,
    StatusLog StatusLog,
    string StatusText,
    IReadOnlyList<UnansweredRequest> Unanswered,
    IReadOnlyList<CreateOrderRequest> OrdersSent,
    IReadOnlyList<string> Notes,
    string Policy);

/// <summary>
/// Runs a tape through the real actor system — the same actors, settings and policy as the recorded session
/// (<see cref="TraderActors.Start"/>) — on virtual time: every actor on the driver's thread (Akka.TestKit's
/// calling-thread dispatcher), time moved by <see cref="VirtualScheduler"/> to each entry's recorded time, exchange
/// answers from the tape (<see cref="TapeHttpHandler"/>), market data pushed into the stream at its recorded times
/// (<see cref="TapeWebSocketConnector"/>), client order ids numbered, and every source of jitter fixed. No network is
/// touched, and two replays of the same tape with the same model and settings give the same result.
/// </summary>
public static class Replayer
{
    /// <summary>Longest the driver waits in virtual time for the replayed trader to make a connection attempt it recorded (its reconnect backoff).</summary>
    private static readonly TimeSpan ConnectWait = TimeSpan.FromMinutes(3);

    public static ReplayResult Run(Tape tape, ReplayOptions? options = null)
    {
        options ??= new ReplayOptions();
        var config = BuildConfig(tape, options);
        int nextId = 0;
        var settings = TraderSettings.FromConfig(config) with
        {
            StatusTimeZone = TimeZoneInfo.Utc,
            NewClientOrderId = () => $"replay-{Interlocked.Increment(ref nextId):D6}",
        };
        var decisions = DecisionSettings.FromConfig(config);
        var marketData = MarketDataSettings.FromConfig(config) with { ReconnectJitter = 0 };

        var akka = ConfigurationFactory.ParseString($$"""
            akka.scheduler.implementation = "Trader.Replay.Replaying.VirtualScheduler, Trader.Replay"
            akka.scheduler.virtual-start = "{{tape.Start.UtcDateTime:O}}"
            akka.actor.default-dispatcher {
              type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
              throughput = 2147483647
            }
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(config);

        var system = ActorSystem.Create("replay", akka);
        try
        {
            var scheduler = (VirtualScheduler)system.Scheduler;
            var time = new VirtualTimeProvider(scheduler);
            var http = new TapeHttpHandler(tape.Entries, () => scheduler.CurrentTime);
            var books = new TapeWebSocketConnector(tape.Entries, MarketDataActor.Name);
            var account = new TapeWebSocketConnector(tape.Entries, Trader.Actors.Streams.UserStreamActor.Name);
            var sockets = new Dictionary<string, TapeWebSocketConnector> { [books.Stream] = books, [account.Stream] = account };
            var environment = KalshiEnvironment.FromUrl(new Uri(tape.Header.Exchange is { } url && Uri.IsWellFormedUriString(url, UriKind.Absolute)
                ? url : "https://replay.invalid/trade-api/v2"));
            var recording = new RecordingApi(new KalshiRestClient(new KalshiClientOptions
            {
                Environment = environment,
                Handler = http,
                Time = time,
                Jitter = () => 0.5,
                RateLimits = new AccountLimits("replay", 1_000_000, 1_000_000, 1_000_000, 1_000_000),
            }));
            var components = new TraderComponents
            {
                StartTrading = false,
                Streams = new KalshiStreamOptions { Endpoint = environment.WebSocket, Connector = books, Time = time, Jitter = () => 0.5 },
                AccountStreams = new KalshiStreamOptions { Endpoint = environment.WebSocket, Connector = account, Time = time, Jitter = () => 0.5 },
                Markets = tape.Header.Markets,
                MarketData = marketData,
                Policy = () => PolicyFactory.Create(decisions.Policy, decisions.ResolveModelPath()),
                Decisions = decisions,
            };

            var collector = system.ActorOf(Props.Create(() => new Collector()), "replay-collector");
            system.EventStream.Subscribe(collector, typeof(DecisionTaken));
            system.EventStream.Subscribe(collector, typeof(TraderStateChanged));
            var store = new StatusLogStore();
            var actors = TraderActors.Start(system, recording, settings, components, store, new TraderMetrics());
            foreach (var actor in new[] { collector, actors.Coordinator, actors.MarketData, actors.UserStream, actors.Decisions })
            {
                if (actor is not null) actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }

            actors.Coordinator.Tell(StartTrading.Instance);
            var connects = new Dictionary<string, int>();
            foreach (var entry in tape.Entries)
            {
                scheduler.AdvanceTo(entry.At);
                if (entry.Kind is TapeEntryKind.Http or TapeEntryKind.WsSend) continue;
                if (entry.Stream is not { } stream || !sockets.TryGetValue(stream, out var connector)) continue;
                if (entry.Kind == TapeEntryKind.WsConnect)
                {
                    connects[stream] = connects.GetValueOrDefault(stream) + 1;
                    WaitForConnectAttempt(scheduler, connector, connects[stream]);
                }
                else
                {
                    connector.Deliver(entry);
                }
            }
            scheduler.AdvanceTo(tape.End);

            var log = store.Current;
            var result = collector.Ask<Collected>(Collect.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            var notes = books.Notes.Concat(account.Notes).ToList();
            if (http.Unused > 0) notes.Add($"{http.Unused} recorded REST answers were not asked for by the replay");
            return new ReplayResult(result.Decisions, result.Transitions, log, StatusText.Format(log.Entries, TimeZoneInfo.Utc),
                http.Unanswered, recording.Creates, notes, $"{decisions.Policy}{(decisions.ModelPath is { } m && decisions.Policy.Contains("onnx", StringComparison.OrdinalIgnoreCase) ? $" ({m})" : "")}");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static Config BuildConfig(Tape tape, ReplayOptions options)
    {
        var defaults = TraderHocon.LoadDefaults(options.HoconDirectory);
        var config = tape.Header.Config is { } recorded ? ConfigurationFactory.ParseString(recorded).WithFallback(defaults) : defaults;
        if (options.Overrides is { } overrides) config = overrides.WithFallback(config);
        if (options.Policy is { } policy) config = ConfigurationFactory.ParseString($"trader.decisions.policy = \"{policy}\"").WithFallback(config);
        if (options.ModelPath is { } model)
            config = ConfigurationFactory.ParseString($"trader.decisions.model = \"{model.Replace("\\", "\\\\")}\"").WithFallback(config);
        return config;
    }

    /// <summary>
    /// At a recorded connection attempt, the replayed trader may still be waiting out its reconnect backoff: move time
    /// on, timer by timer, until it makes the attempt, so what follows meets the connection it belongs to.
    /// </summary>
    private static void WaitForConnectAttempt(VirtualScheduler scheduler, TapeWebSocketConnector sockets, int attempt)
    {
        var limit = scheduler.CurrentTime + ConnectWait;
        while (!sockets.HasAttempted(attempt) && scheduler.NextDue is { } next && next <= limit)
            scheduler.AdvanceTo(next);
    }

    /// <summary>Keeps what the replayed trader sent as order creates (the replay's own, not the tape's).</summary>
    private sealed class RecordingApi(IKalshiApi inner) : IKalshiApi
    {
        public List<CreateOrderRequest> Creates { get; } = [];

        public Task<WriteOutcome<OrderAck>> CreateOrderAsync(CreateOrderRequest request, CancellationToken ct = default)
        {
            Creates.Add(request);
            return inner.CreateOrderAsync(request, ct);
        }

        public Task<ExchangeStatus> GetExchangeStatusAsync(CancellationToken ct = default) => inner.GetExchangeStatusAsync(ct);
        public Task<AccountBalance> GetBalanceAsync(CancellationToken ct = default) => inner.GetBalanceAsync(ct);
        public Task<IReadOnlyList<ExchangePosition>> GetPositionsAsync(string? ticker = null, CancellationToken ct = default) => inner.GetPositionsAsync(ticker, ct);
        public Task<IReadOnlyList<ExchangeOrder>> GetOrdersAsync(OrderQuery query, CancellationToken ct = default) => inner.GetOrdersAsync(query, ct);
        public Task<ExchangeOrder?> GetOrderAsync(string orderId, CancellationToken ct = default) => inner.GetOrderAsync(orderId, ct);
        public Task<ExchangeOrder?> FindOrderByClientOrderIdAsync(string ticker, string clientOrderId, DateTimeOffset createdAfter, CancellationToken ct = default) =>
            inner.FindOrderByClientOrderIdAsync(ticker, clientOrderId, createdAfter, ct);
        public Task<IReadOnlyList<Core.Orders.Fill>> GetFillsAsync(FillQuery query, CancellationToken ct = default) => inner.GetFillsAsync(query, ct);
        public Task<IReadOnlyList<Settlement>> GetSettlementsAsync(DateTimeOffset? since = null, CancellationToken ct = default) => inner.GetSettlementsAsync(since, ct);
        public Task<IReadOnlyList<MarketInfo>> GetMarketsAsync(MarketQuery query, CancellationToken ct = default) => inner.GetMarketsAsync(query, ct);
        public Task<MarketInfo?> GetMarketAsync(string ticker, CancellationToken ct = default) => inner.GetMarketAsync(ticker, ct);
        public Task<OrderBookSnapshot> GetOrderBookAsync(string ticker, int? depth = null, CancellationToken ct = default) => inner.GetOrderBookAsync(ticker, depth, ct);
        public Task<AccountLimits> GetAccountLimitsAsync(CancellationToken ct = default) => inner.GetAccountLimitsAsync(ct);
        public Task<WriteOutcome<CancelAck>> CancelOrderAsync(string orderId, string? ticker = null, CancellationToken ct = default) => inner.CancelOrderAsync(orderId, ticker, ct);
        public Task<WriteOutcome<OrderAck>> AmendOrderAsync(AmendOrderRequest request, CancellationToken ct = default) => inner.AmendOrderAsync(request, ct);
        public Task<WriteOutcome<DecreaseAck>> DecreaseOrderAsync(DecreaseOrderRequest request, CancellationToken ct = default) => inner.DecreaseOrderAsync(request, ct);
        public Task<WriteOutcome<IReadOnlyList<BatchItem<OrderAck>>>> BatchCreateOrdersAsync(IReadOnlyList<CreateOrderRequest> requests, CancellationToken ct = default) =>
            inner.BatchCreateOrdersAsync(requests, ct);
        public Task<WriteOutcome<IReadOnlyList<BatchItem<CancelAck>>>> BatchCancelOrdersAsync(IReadOnlyList<(string OrderId, string? Ticker)> orders, CancellationToken ct = default) =>
            inner.BatchCancelOrdersAsync(orders, ct);
        public Task<WriteOutcome<NoContent>> CancelAllOrdersAsync(CancellationToken ct = default) => inner.CancelAllOrdersAsync(ct);
    }

    private sealed record Collect
    {
        public static readonly Collect Instance = new();
    }

    private sealed record Collected(IReadOnlyList<ReplayedDecision> Decisions, IReadOnlyList<TraderStateChanged> Transitions);

    private sealed class Collector : ReceiveActor
    {
        public Collector()
        {
            var decisions = new List<ReplayedDecision>();
            var transitions = new List<TraderStateChanged>();
            Receive<DecisionTaken>(d => decisions.Add(new ReplayedDecision(d.At, d.Ticker, d.Observation, d.Logits, d.Action, d.ActionName, d.Outcome)));
            Receive<TraderStateChanged>(transitions.Add);
            Receive<Collect>(_ => Sender.Tell(new Collected(decisions.ToList(), transitions.ToList())));
        }
    }
}
