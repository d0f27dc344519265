using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Actors.Streams;
using Trader.Kalshi.Api;
using Trader.Kalshi.Streaming;
using Trader.Policy;

namespace Trader.Actors.Hosting;

/// <summary>ActorRegistry key of the coordinator (<c>/user/trader</c>).</summary>
public sealed class TraderCoordinator;

/// <summary>ActorRegistry key of the orderbook stream's supervisor (<c>/user/market-data</c>).</summary>
public sealed class MarketDataStream;

/// <summary>ActorRegistry key of the decision actor (<c>/user/decisions</c>).</summary>
public sealed class DecisionLoop;

/// <summary>ActorRegistry key of the market watch (<c>/user/market-watch</c>): every market's latest view, for the status endpoint and live view.</summary>
public sealed class MarketWatcher;

/// <summary>The HOCON files in <c>hocon/</c> (copied next to every program that references the actor system).</summary>
public static class TraderHocon
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary><c>trader.conf</c> over <c>akka.conf</c> from a directory; a missing file is an error naming it.</summary>
    public static Config LoadDefaults(string? directory = null)
    {
        directory ??= DefaultDirectory;
        Config config = Config.Empty;
        foreach (var name in new[] { "trader.conf", "akka.conf" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"HOCON defaults not found: {path}", path);
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(path)));
        }
        return config;
    }
}

/// <summary>
/// What the trader runs besides its coordinator: the WebSocket streams and the decision loop. Everything optional, so
/// tests (and a REST-only deployment) can run the coordinator alone.
/// </summary>
public sealed record TraderComponents
{
    /// <summary>Tell the coordinator to start calibrating as soon as the system is up.</summary>
    public bool StartTrading { get; init; } = true;

    /// <summary>How to open WebSocket connections; null runs without streams (fills by REST polling only, no market data).</summary>
    public KalshiStreamOptions? Streams { get; init; }

    /// <summary>How the account stream (fills, orders) connects, when it must differ from <see cref="Streams"/> (recording tells the streams apart).</summary>
    public KalshiStreamOptions? AccountStreams { get; init; }

    /// <summary>The markets to stream and trade (already resolved and validated against the exchange).</summary>
    public IReadOnlyList<string> Markets { get; init; } = [];

    public MarketDataSettings MarketData { get; init; } = new();

    /// <summary>Builds the policy of the decision loop; null runs without one (the trader then only acts on commands).</summary>
    public Func<IPolicy>? Policy { get; init; }

    public DecisionSettings Decisions { get; init; } = new();
}

/// <summary>The trader's top-level actors.</summary>
public sealed record TraderActorRefs(IActorRef Coordinator, IActorRef? MarketData, IActorRef? UserStream, IActorRef? Decisions);

/// <summary>Creates the trader's actors in an actor system: shared by the host (<c>AddTrader</c>) and by replays.</summary>
public static class TraderActors
{
    public static TraderActorRefs Start(ActorSystem system, IKalshiApi api, TraderSettings settings, TraderComponents components,
        StatusLogStore store, TraderMetrics metrics)
    {
        var coordinator = system.ActorOf(CoordinatorActor.Props(api, settings, store, metrics), "trader");
        IActorRef? marketData = null, userStream = null, decisions = null;
        if (components.Streams is { } streams)
        {
            var md = components.MarketData;
            if (md.UserStream)
            {
                userStream = system.ActorOf(StreamSupervisor.Props(UserStreamActor.Props(components.AccountStreams ?? streams, new StreamContext(), coordinator, metrics),
                    UserStreamActor.Name, md.ReconnectMin, md.ReconnectMax, md.ReconnectJitter), "user-stream");
            }
            if (components.Markets.Count > 0)
            {
                marketData = system.ActorOf(StreamSupervisor.Props(
                    MarketDataActor.Props(components.Markets, md.UseYesPrice, streams, new StreamContext(), coordinator, metrics),
                    MarketDataActor.Name, md.ReconnectMin, md.ReconnectMax, md.ReconnectJitter), "market-data");
            }
        }
        if (components.Policy is { } makePolicy)
        {
            var policy = makePolicy();
            var space = components.Decisions.ActionSpaceFor(policy.ActionCount);
            decisions = system.ActorOf(DecisionActor.Props(policy, space, components.Decisions, coordinator, metrics), "decisions");
        }
        return new TraderActorRefs(coordinator, marketData, userStream, decisions);
    }
}

/// <summary>Wires the trader's actor system into Akka.Hosting.</summary>
public static class TraderHostingExtensions
{
    /// <summary>
    /// Registers the trader: its settings, status log store and metrics as singletons, and the actor system named
    /// <c>trader</c> with <paramref name="hocon"/> (usually <see cref="TraderHocon.LoadDefaults"/> with overrides in
    /// front), Akka's logs routed through Microsoft.Extensions.Logging, the actors (and the market watch) started and
    /// registered in the ActorRegistry, and a CoordinatedShutdown task that stops trading and, when configured, cancels resting orders.
    /// An <see cref="IKalshiApi"/> must be registered.
    /// </summary>
    public static IServiceCollection AddTrader(this IServiceCollection services, Config hocon, TraderComponents? components = null,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configure = null)
    {
        var settings = TraderSettings.FromConfig(hocon);
        components ??= new TraderComponents();
        services.AddSingleton(settings);
        services.AddSingleton(components);
        services.AddSingleton<StatusLogStore>();
        services.AddSingleton<TraderMetrics>();
        services.AddAkka("trader", (builder, provider) =>
        {
            builder.AddHocon(hocon, HoconAddMode.Prepend);
            builder.ConfigureLoggers(l =>
            {
                l.ClearLoggers();
                l.AddLoggerFactory();
            });
            builder.AddTrader(provider);
            configure?.Invoke(builder, provider);
        });
        return services;
    }

    /// <summary>The actor part of <c>AddTrader</c>, for hosts that configure Akka themselves.</summary>
    public static AkkaConfigurationBuilder AddTrader(this AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var settings = provider.GetRequiredService<TraderSettings>();
        var components = provider.GetRequiredService<TraderComponents>();
        return builder.WithActors((system, registry) =>
        {
            // Before the streams start, so that it sees their first snapshots.
            registry.Register<MarketWatcher>(system.ActorOf(MarketWatchActor.Props(components.Markets), "market-watch"));
            var actors = TraderActors.Start(system, provider.GetRequiredService<IKalshiApi>(), settings, components,
                provider.GetRequiredService<StatusLogStore>(), provider.GetRequiredService<TraderMetrics>());
            registry.Register<TraderCoordinator>(actors.Coordinator);
            if (actors.MarketData is { } marketData) registry.Register<MarketDataStream>(marketData);
            if (actors.Decisions is { } decisions) registry.Register<DecisionLoop>(decisions);

            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "trader-stop-trading", async () =>
            {
                try
                {
                    await actors.Coordinator.Ask<TradingStopped>(new StopTrading(settings.CancelRestingOnShutdown), TimeSpan.FromSeconds(8)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
                {
                    system.Log.Warning("Stopping trading did not finish in time: {0}", ex.Message);
                }
                return Done.Instance;
            });
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "trader-flush-logs", () => FlushLogsAsync(system));
            if (components.StartTrading) actors.Coordinator.Tell(StartTrading.Instance);
        });
    }

    /// <summary>
    /// Akka's logging is asynchronous: events wait in the logger actors' mailboxes. Before the system terminates, each
    /// logger is asked to identify itself — it answers after every event queued before the question — so the last
    /// lines (the status log's "stopped" entry among them) reach the log instead of being dropped at termination.
    /// </summary>
    internal static async Task<Done> FlushLogsAsync(ActorSystem system)
    {
        try
        {
            await system.ActorSelection("/system/log*").Ask<ActorIdentity>(new Identify("flush"), TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException or ActorNotFoundException)
        {
            // No logger answered in time: nothing more can be done for the last lines.
        }
        return Done.Instance;
    }
}
