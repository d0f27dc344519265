using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Trader.Actors;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;

namespace Trader.Console.Watching;

/// <summary>
/// Registers what watching a running trader needs, next to <c>AddTrader</c>:
/// <code>
/// builder.Services.AddTrader(hocon, components);
/// builder.Services.AddTraderWatching(new LiveViewOptions { Enabled = !noLiveView });
/// builder.UseTraderHttp(HttpSettings.FromConfig(hocon));
/// var app = builder.Build();
/// app.MapTraderEndpoints();
/// </code>
/// </summary>
public static class WatchingServices
{
    /// <summary>
    /// The <see cref="TraderSnapshotSource"/> (each actor asked with <paramref name="askTimeout"/>, 2 s by default) and
    /// the <see cref="LiveStatusView"/> as a hosted service (it draws only when standard output is a terminal).
    /// </summary>
    public static IServiceCollection AddTraderWatching(this IServiceCollection services, LiveViewOptions? liveView = null, TimeSpan? askTimeout = null)
    {
        services.AddSingleton(p => new TraderSnapshotSource(p.GetRequiredService<ActorRegistry>(), p.GetRequiredService<StatusLogStore>(),
            p.GetRequiredService<TraderSettings>(), p.GetRequiredService<TraderMetrics>())
        {
            AskTimeout = askTimeout ?? TimeSpan.FromSeconds(2),
        });
        services.AddSingleton(liveView ?? new LiveViewOptions());
        services.AddHostedService<LiveStatusView>();
        return services;
    }
}
