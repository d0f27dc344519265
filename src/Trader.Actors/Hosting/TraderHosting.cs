using Akka.Actor;
using Akka;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Trader.Actors.Coordinator;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Kalshi.Api;

namespace Trader.Actors.Hosting;

/// <summary>ActorRegistry key of the coordinator (<c>/user/trader</c>).</summary>
public sealed class TraderCoordinator;

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

/// <summary>Wires the trader's actor system into Akka.Hosting.</summary>
public static class TraderHostingExtensions
{
    /// <summary>
    /// Registers the trader: its settings and status log store as singletons, and the actor system named <c>trader</c>
    /// with <paramref name="hocon"/> (usually <see cref="TraderHocon.LoadDefaults"/> with overrides in front), Akka's
    /// logs routed through Microsoft.Extensions.Logging, the coordinator started and registered in the ActorRegistry
    /// as <see cref="TraderCoordinator"/>, and a CoordinatedShutdown task that stops trading and, when configured,
    /// cancels resting orders. An <see cref="IKalshiApi"/> must be registered.
    /// </summary>
    public static IServiceCollection AddTrader(this IServiceCollection services, Config hocon, bool startTrading = true,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configure = null)
    {
        var settings = TraderSettings.FromConfig(hocon);
        services.AddSingleton(settings);
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
            builder.AddTrader(provider, startTrading);
            configure?.Invoke(builder, provider);
        });
        return services;
    }

    /// <summary>The actor part of <see cref="AddTrader(IServiceCollection, Config, bool, Action{AkkaConfigurationBuilder, IServiceProvider}?)"/>, for hosts that configure Akka themselves.</summary>
    public static AkkaConfigurationBuilder AddTrader(this AkkaConfigurationBuilder builder, IServiceProvider provider, bool startTrading = true)
    {
        var settings = provider.GetRequiredService<TraderSettings>();
        return builder.WithActors((system, registry) =>
        {
            var api = provider.GetRequiredService<IKalshiApi>();
            var store = provider.GetRequiredService<StatusLogStore>();
            var metrics = provider.GetRequiredService<TraderMetrics>();
            var coordinator = system.ActorOf(CoordinatorActor.Props(api, settings, store, metrics), "trader");
            registry.Register<TraderCoordinator>(coordinator);

            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "trader-stop-trading", async () =>
            {
                try
                {
                    await coordinator.Ask<TradingStopped>(new StopTrading(settings.CancelRestingOnShutdown), TimeSpan.FromSeconds(8)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
                {
                    system.Log.Warning("Stopping trading did not finish in time: {0}", ex.Message);
                }
                return Done.Instance;
            });
            if (startTrading) coordinator.Tell(StartTrading.Instance);
        });
    }
}
