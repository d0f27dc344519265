using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Trader.Console.Watching;

/// <summary>
/// Puts the host's HTTP listener where <see cref="HttpSettings"/> says, and nowhere else:
/// <code>
/// var builder = WebApplication.CreateBuilder();
/// builder.UseTraderHttp(HttpSettings.FromConfig(config));
/// …
/// app.MapTraderEndpoints();
/// await app.StartAsync();
/// Uri? url = app.BoundAddress();   // e.g. http://127.0.0.1:8790/ (the real port when configured with 0)
/// </code>
/// </summary>
public static class TraderHttp
{
    /// <summary>
    /// Kestrel listens on the configured address and port only (addresses from ASPNETCORE_URLS or <c>urls</c> are
    /// overridden). When HTTP is off, no server is started at all, rather than Kestrel's default of localhost:5000.
    /// Once the host has started, the bound address is logged (category <c>Trader.Http</c>).
    /// </summary>
    public static WebApplicationBuilder UseTraderHttp(this WebApplicationBuilder builder, HttpSettings settings)
    {
        builder.Services.AddSingleton(settings);
        if (settings.Enabled)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Host, settings.Port));
            builder.Services.AddHostedService<BoundAddressLogger>();
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoHttpServer>();
        }
        return builder;
    }

    /// <summary>The address the status endpoints listen on, once the host has started; null when HTTP is off or not started.</summary>
    public static Uri? BoundAddress(this IHost host) => BoundAddress(host.Services);

    internal static Uri? BoundAddress(IServiceProvider services)
    {
        if (services.GetService<IServer>() is not { } server || server is NoHttpServer) return null;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? null : new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Logs where the endpoints are once the server has bound (the port is only known then when configured as 0).</summary>
    private sealed class BoundAddressLogger(IServiceProvider services, IHostApplicationLifetime lifetime, ILoggerFactory logging) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var log = logging.CreateLogger("Trader.Http");
            lifetime.ApplicationStarted.Register(() =>
            {
                if (BoundAddress(services) is { } url)
                    log.LogInformation("Status endpoints on {Url} (status, status.txt, healthz, readyz, metrics)", url);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The server of a host whose HTTP is off: it listens nowhere.</summary>
    private sealed class NoHttpServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
