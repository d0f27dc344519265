using Akka.Actor;
using Akka.Configuration;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Actors.Streams;
using Trader.Core.Positions;
using Trader.Core.Status;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Streaming;
using Trader.Policy;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>
/// Runs a tape through the real actor system — the same actors, settings and policy as the recorded session
/// (<see cref="TraderActors.Start"/>) — on virtual time: every actor on the driver's thread (Akka.TestKit's
/// calling-thread dispatcher), time moved by <see cref="VirtualScheduler"/> to each entry's recorded time, exchange
/// answers from the tape (<see cref="TapeHttpHandler"/>), market data pushed into the stream at its recorded times
/// (<see cref="TapeWebSocketConnector"/>), client order ids numbered, and every source of jitter fixed. No network is
/// touched, and two replays of the same tape with the same model and settings give the same result.
/// <para>
/// A replay with another policy (<see cref="ReplayOptions.Policy"/>) runs on the same market data; its orders are
/// answered only where the recording sent the very same order at about the same time. Every other order is reported
/// as unanswered (<see cref="ReplayResult.UnansweredOrders"/>) and, inside the replay, has an unknown outcome — the
/// replay never invents an exchange answer.
/// </para>
/// </summary>
public static class Replayer
{
    /// <summary>Longest the driver waits in virtual time for the replayed trader to make a connection attempt it recorded (its reconnect backoff).</summary>
    private static readonly TimeSpan ConnectWait = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Replays <paramref name="tape"/>. Throws <see cref="PolicyConfigurationException"/> or
    /// <see cref="PolicyModelException"/> when the policy cannot be built, <see cref="SettingsException"/> for bad
    /// recorded or overridden settings.
    /// </summary>
    public static ReplayResult Run(Tape tape, ReplayOptions? options = null)
    {
        // The whole replay runs on a thread of its own, without the caller's synchronization context or task scheduler
        // (a test framework's, a UI's): every continuation — an exchange answer, a frame, a timer — then runs inline on
        // that one thread, in the order the driver releases them, which is what makes a replay deterministic. Under a
        // captured context some continuations would be posted elsewhere and never (or later) run.
        ReplayResult? result = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunOnThisThread(tape, options ?? new ReplayOptions());
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 64 * 1024 * 1024) { Name = "replay", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static ReplayResult RunOnThisThread(Tape tape, ReplayOptions options)
    {
        var config = BuildConfig(tape, options);
        int nextId = 0;
        var settings = TraderSettings.FromConfig(config) with
        {
            StatusTimeZone = TimeZoneInfo.Utc,
            NewClientOrderId = () => $"replay-{++nextId:D6}",
        };
        var decisions = DecisionSettings.FromConfig(config);
        var marketData = MarketDataSettings.FromConfig(config) with { ReconnectJitter = 0 };
        if (options.ModelPath is { } given && !IsOnnx(decisions.Policy))
            throw new PolicyConfigurationException(
                $"a model ({given}) was given, but the policy '{decisions.Policy}' does not use one: choose an ONNX policy as well (onnx, position-aware:onnx)");
        var modelPath = decisions.ResolveModelPath();
        var policy = PolicyFactory.Create(decisions.Policy, modelPath);
        var policyName = IsOnnx(decisions.Policy) && modelPath is not null ? $"{decisions.Policy} ({modelPath})" : decisions.Policy;

        var akka = ConfigurationFactory.ParseString($$"""
            akka.scheduler.implementation = "Trader.Replay.Replaying.VirtualScheduler, Trader.Replay"
            akka.scheduler.virtual-start = "{{tape.Start.UtcDateTime:O}}"
            akka.actor.default-dispatcher {
              type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
              throughput = 2147483647
            }
            # The guardians too: a top-level actor is started by its guardian, and a guardian on the thread pool would
            # run the new actor's first steps (PreStart: connecting its stream, asking the coordinator) on a pool
            # thread, racing the driver.
            akka.actor.internal-dispatcher {
              type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
              throughput = 2147483647
            }
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.log-dead-letters = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.actor.debug.unhandled = off
            """).WithFallback(config);

        var system = ActorSystem.Create("replay", akka);
        try
        {
            var scheduler = (VirtualScheduler)system.Scheduler;
            var time = new VirtualTimeProvider(scheduler);
            var ids = new ClientOrderIdMap();
            var guard = new ReplayThread();
            var http = new TapeHttpHandler(tape.Entries, time, ids, options.MatchWindow, guard);
            var books = new TapeWebSocketConnector(MarketDataActor.Name, ids, guard);
            var account = new TapeWebSocketConnector(UserStreamActor.Name, ids, guard);
            var sockets = new Dictionary<string, TapeWebSocketConnector> { [books.Stream] = books, [account.Stream] = account };
            var environment = KalshiEnvironment.FromUrl(new Uri(tape.Header.Exchange is { } url && Uri.IsWellFormedUriString(url, UriKind.Absolute)
                ? url : "https://replay.invalid/trade-api/v2"));
            using var client = new KalshiRestClient(new KalshiClientOptions
            {
                Environment = environment,
                Handler = http,
                Time = time,
                Jitter = () => 0.5,
                RateLimits = new AccountLimits("replay", 1_000_000, 1_000_000, 1_000_000, 1_000_000),
            });
            var api = new WatchingApi(client);
            var components = new TraderComponents
            {
                StartTrading = false,
                Streams = new KalshiStreamOptions { Endpoint = environment.WebSocket, Connector = books, Time = time, Jitter = () => 0.5, ContinueCommandsOnThreadPool = false },
                AccountStreams = new KalshiStreamOptions { Endpoint = environment.WebSocket, Connector = account, Time = time, Jitter = () => 0.5, ContinueCommandsOnThreadPool = false },
                Markets = tape.Header.Markets,
                MarketData = marketData,
                Policy = () => policy,
                Decisions = decisions,
            };

            var collector = system.ActorOf(Props.Create(() => new Collector()), "replay-collector");
            foreach (var type in new[] { typeof(DecisionTaken), typeof(DecisionResolved), typeof(TraderStateChanged), typeof(MarketDataEvent), typeof(PortfolioUpdated) })
                system.EventStream.Subscribe(collector, type);
            var store = new StatusLogStore();
            var actors = TraderActors.Start(system, api, settings, components, store, new TraderMetrics());
            foreach (var actor in new[] { collector, actors.Coordinator, actors.MarketData, actors.UserStream, actors.Decisions })
            {
                if (actor is not null) actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }

            // The trader starts calibrating when the recorded one did: when it sent its first request (a cut tape carries
            // its streams over just before that).
            var startAt = tape.Entries.Where(e => e.Kind == TapeEntryKind.Http).Select(e => e.Sent ?? e.At).DefaultIfEmpty(tape.Start).Min();
            bool started = false;
            foreach (var entry in tape.Entries)
            {
                if (!started && entry.At >= startAt)
                {
                    scheduler.AdvanceTo(startAt);
                    actors.Coordinator.Tell(StartTrading.Instance);
                    started = true;
                }
                scheduler.AdvanceTo(entry.At);
                if (entry.Kind is TapeEntryKind.Http or TapeEntryKind.WsSend) continue;
                if (entry.Stream is not { } stream || !sockets.TryGetValue(stream, out var connector)) continue;
                if (entry.Kind == TapeEntryKind.WsConnect)
                {
                    WaitForConnectAttempt(scheduler, connector);
                    connector.Resolve(entry);
                }
                else
                {
                    connector.Deliver(entry);
                }
            }
            if (!started) actors.Coordinator.Tell(StartTrading.Instance);
            scheduler.AdvanceTo(tape.End);

            var log = store.Current;
            var collected = collector.Ask<Collected>(Collect.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            var final = actors.Coordinator.Ask<TraderStatusReport>(GetTraderStatus.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            var positions = system.ActorSelection(actors.Coordinator.Path / "positions")
                .Ask<PositionsResponse>(GetPositions.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            var notAsked = http.UnusedEntries.ToList();
            return new ReplayResult
            {
                Tape = tape,
                Policy = policyName,
                Decisions = collected.Decisions,
                Transitions = collected.Transitions,
                StatusLog = log,
                StatusText = StatusText.Format(log.Entries, TimeZoneInfo.Utc),
                OrdersSent = api.Creates,
                CancelsSent = api.Cancels,
                CommandsSent = books.Sent.Select(f => (books.Stream, f.Frame)).Concat(account.Sent.Select(f => (account.Stream, f.Frame))).ToList(),
                MarketEvents = collected.MarketEvents,
                PositionHistory = collected.PositionHistory,
                Requests = http.Requests,
                Unanswered = http.Unanswered,
                NotAsked = notAsked,
                Notes = ReplayNotes.Describe(http.Unanswered, notAsked, books.Notes.Concat(account.Notes), guard.Strays),
                Final = final,
                Positions = positions.Positions,
            };
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            (policy as IDisposable)?.Dispose();
        }
    }

    private static bool IsOnnx(string policy) => policy.Contains("onnx", StringComparison.OrdinalIgnoreCase);

    private static Config BuildConfig(Tape tape, ReplayOptions options)
    {
        var defaults = TraderHocon.LoadDefaults(options.HoconDirectory);
        var config = tape.Header.Config is { Length: > 0 } recorded ? ConfigurationFactory.ParseString(recorded).WithFallback(defaults) : defaults;
        if (options.Overrides is { } overrides) config = overrides.WithFallback(config);
        if (options.Policy is { } policy) config = ConfigurationFactory.ParseString($"trader.decisions.policy = {Quote(policy)}").WithFallback(config);
        if (options.ModelPath is { } model) config = ConfigurationFactory.ParseString($"trader.decisions.model = {Quote(model)}").WithFallback(config);
        return config;
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// At a recorded connection attempt, the replayed trader may still be waiting out its reconnect backoff: move time
    /// on, timer by timer, until it makes the attempt, so what follows meets the connection it belongs to.
    /// </summary>
    private static void WaitForConnectAttempt(VirtualScheduler scheduler, TapeWebSocketConnector sockets)
    {
        var limit = scheduler.CurrentTime + ConnectWait;
        while (!sockets.IsAttempting && scheduler.NextDue is { } next && next <= limit)
            scheduler.AdvanceTo(next);
    }

    /// <summary>Keeps what the replayed trader sent as order creates and cancels (the replay's own, not the tape's).</summary>
    private sealed class WatchingApi(IKalshiApi inner) : IKalshiApi
    {
        public List<CreateOrderRequest> Creates { get; } = [];
        public List<string> Cancels { get; } = [];

        public Task<WriteOutcome<OrderAck>> CreateOrderAsync(CreateOrderRequest request, CancellationToken ct = default)
        {
            Creates.Add(request);
            return inner.CreateOrderAsync(request, ct);
        }

        public Task<WriteOutcome<CancelAck>> CancelOrderAsync(string orderId, string? ticker = null, CancellationToken ct = default)
        {
            Cancels.Add(orderId);
            return inner.CancelOrderAsync(orderId, ticker, ct);
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

    private sealed record Collected(IReadOnlyList<ReplayedDecision> Decisions, IReadOnlyList<TraderStateChanged> Transitions,
        IReadOnlyList<MarketDataEvent> MarketEvents, IReadOnlyList<PositionChange> PositionHistory);

    /// <summary>Gathers the decisions (with what became of their orders), the state changes and the market data events (deltas aside).</summary>
    private sealed class Collector : ReceiveActor
    {
        public Collector()
        {
            var decisions = new List<ReplayedDecision>();
            var byId = new Dictionary<string, int>(StringComparer.Ordinal);
            var transitions = new List<TraderStateChanged>();
            var market = new List<MarketDataEvent>();
            var history = new List<PositionChange>();
            var contracts = new Dictionary<string, Trader.Core.Numbers.Quantity>(StringComparer.Ordinal);
            Receive<DecisionTaken>(d =>
            {
                byId[d.DecisionId] = decisions.Count;
                decisions.Add(new ReplayedDecision(d.DecisionId, d.At, d.Ticker, d.Observation, d.Logits, d.Action, d.ActionName, d.Outcome, null));
            });
            Receive<DecisionResolved>(r =>
            {
                if (byId.TryGetValue(r.DecisionId, out int i))
                    decisions[i] = decisions[i] with { Result = new ReplayedOrderResult(r.Result.Outcome, r.Result.ClientOrderId, r.Result.Code, r.Result.Message) };
            });
            Receive<TraderStateChanged>(transitions.Add);
            Receive<MarketDataEvent>(e =>
            {
                if (e is not BookDeltaApplied) market.Add(e);
            });
            Receive<PortfolioUpdated>(p =>
            {
                var now = Context.System.Scheduler.Now;
                foreach (var ticker in contracts.Keys.Union(p.Positions.Keys).Order(StringComparer.Ordinal).ToList())
                {
                    var held = p.Positions.TryGetValue(ticker, out var position) ? position.Contracts : Trader.Core.Numbers.Quantity.Zero;
                    if (contracts.GetValueOrDefault(ticker) == held) continue;
                    contracts[ticker] = held;
                    history.Add(new PositionChange(now, ticker, held));
                }
            });
            Receive<Collect>(_ => Sender.Tell(new Collected(decisions.ToList(), transitions.ToList(), market.ToList(), history.ToList())));
        }
    }
}
