using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Streams;
using Trader.Console.Watching;
using Trader.Kalshi.Api;
using Trader.Replay.Recording;

namespace Trader.Console.Run;

/// <summary>
/// <c>trader run</c>: validates the plan, opens the exchange (the embedded simulator by default), and runs the trader as
/// a generic host — the actor system through <c>AddTrader</c>, Serilog on stdout — until Ctrl+C, SIGTERM or
/// <c>--stop-after</c>. Stopping stops new orders and (by default) cancels resting ones before the process exits.
/// </summary>
public static class TraderRunner
{
    /// <summary>Stopped cleanly (Ctrl+C, SIGTERM, --stop-after), or --print-config printed.</summary>
    public const int Ok = 0;

    /// <summary>A fault the trader cannot work around: the exchange never answered at start, the actor system died.</summary>
    public const int Fatal = 1;

    /// <summary>Bad arguments or configuration (a bad value, a missing key file, an unknown market, an impossible limit).</summary>
    public const int BadConfiguration = 2;

    /// <summary>How long stopping may take (cancelling resting orders included) before the host gives up.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(RunRequest request, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        RunPlan plan;
        try
        {
            plan = RunPlan.Build(request);
        }
        catch (ConfigurationError e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync("The trader did not start. 'trader run --help' lists the options; 'trader run --print-config' shows the settings and their sources.");
            return BadConfiguration;
        }
        using (plan)
        {
            if (request.PrintConfig)
            {
                await output.WriteAsync(plan.RenderConfig());
                return Ok;
            }
            // In a terminal the live view owns the screen and the log goes to a file; elsewhere, log lines on stdout.
            var liveView = new LiveViewOptions { Enabled = plan.Logging.LiveView && plan.Logging.Format == LogFormat.Text && ReferenceEquals(output, System.Console.Out) };
            bool drawing = LiveStatusView.WillDraw(liveView);
            string? logFile = drawing ? plan.Logging.LogFile(DateTimeOffset.Now) : null;
            TextWriter? fileWriter = null;
            if (logFile is not null)
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
                    fileWriter = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"error: setting trader.logging.file: cannot write the log file '{logFile}': {e.Message}");
                    return BadConfiguration;
                }
                await output.WriteLineAsync($"The live view takes the terminal; the log is written to {logFile}");
            }
            using var logFileWriter = fileWriter;
            using var logger = TraderLogging.CreateLogger(plan.Logging, fileWriter ?? output);
            using var loggerFactory = new SerilogLoggerFactory(logger);
            var startLog = loggerFactory.CreateLogger("Trader.Run");

            ExchangeSession exchange;
            try
            {
                exchange = await ExchangeSession.OpenAsync(plan, loggerFactory, ct);
            }
            catch (ConfigurationError e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return BadConfiguration;
            }
            catch (ExchangeUnavailable e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return Fatal;
            }
            catch (OperationCanceledException)
            {
                return Ok;
            }

            await using (exchange)
            {
                SessionRecorder? recorder = null;
                if (request.RecordPath is { } tape)
                {
                    try
                    {
                        recorder = SessionRecorder.Start(tape,
                            exchange.Simulator is not null ? "embedded simulated exchange" : exchange.Environment.RestBase.ToString(),
                            exchange.Markets, plan.Config);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        await error.WriteLineAsync($"error: --record: cannot write the tape '{tape}': {e.Message}");
                        return BadConfiguration;
                    }
                    exchange.RouteHttpThrough(recorder.WrapHttp);
                }
                using var recording = recorder;
                startLog.LogInformation("Trading {Count} on {Exchange} with policy {Policy}: {Markets}",
                    exchange.Markets.Count == 1 ? "1 market" : $"{exchange.Markets.Count} markets", exchange.Description, plan.Decisions.Policy, string.Join(", ", exchange.Markets));
                if (recorder is not null) startLog.LogInformation("Recording the session to {Tape}", recorder.Path);
                int code = await HostAsync(plan, exchange, recorder, logger, loggerFactory, liveView, request.StopAfter, error, ct);
                if (logFile is not null) await output.WriteLineAsync($"The log of this run: {logFile}");
                return code;
            }
        }
    }

    private static async Task<int> HostAsync(RunPlan plan, ExchangeSession exchange, SessionRecorder? recorder, Serilog.ILogger logger, ILoggerFactory loggerFactory,
        LiveViewOptions liveView, TimeSpan? stopAfter, TextWriter error, CancellationToken ct)
    {
        var streams = exchange.StreamOptions(loggerFactory);
        var components = new TraderComponents
        {
            Streams = recorder?.WrapStream(streams, MarketDataActor.Name) ?? streams,
            AccountStreams = recorder?.WrapStream(streams, UserStreamActor.Name),
            Markets = exchange.Markets,
            MarketData = plan.MarketData,
            Policy = plan.NewPolicy,
            Decisions = plan.Decisions,
        };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "trader",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IKalshiApi>(exchange.Api);
        builder.Services.AddTrader(plan.Config, components);
        builder.Services.AddTraderWatching(liveView);
        builder.UseTraderHttp(plan.Http);

        await using var app = builder.Build();
        app.MapTraderEndpoints();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        bool fatal = false;
        // Started without the command's token: a stop request while starting is handled below, like any other, by
        // the orderly shutdown (a token handed to the host's start would end the actor system without it).
        try
        {
            await app.StartAsync(CancellationToken.None);
        }
        catch (IOException e) when (plan.Http.Enabled)
        {
            // Kestrel could not bind (the port is taken, e.g. by another trader): nothing has traded yet.
            await error.WriteLineAsync($"error: setting trader.http.port (from {plan.Layers.SourceOf("trader.http.port")}): " +
                                       $"cannot listen on {plan.Http.Host}:{plan.Http.Port}: {e.Message}. " +
                                       "Use --http-port with another port (0 picks a free one), or trader.http.enabled = off");
            await StopQuietly(app);
            return BadConfiguration;
        }

        var system = app.Services.GetRequiredService<ActorSystem>();
        using var stopTimer = stopAfter is { } after ? new CancellationTokenSource(after) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, stopTimer.Token, lifetime.ApplicationStopping);
        // The actor system ending while nobody asked the trader to stop is a fatal fault (exit 1). Once a stop was asked
        // for, its end is the orderly shutdown's, whoever ran it first (this method, the host, or Akka's process-exit
        // hook if a configuration turns it on: the signal then reaches this method's token only after that shutdown).
        _ = system.WhenTerminated.ContinueWith(_ =>
        {
            if (stop.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested
                || CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClrExitReason) return;
            Volatile.Write(ref fatal, true);
            logger.Fatal("The actor system stopped by itself; the trader cannot go on");
            lifetime.StopApplication();
        }, TaskScheduler.Default);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        logger.Information("Stopping: {Reason}", stopTimer.IsCancellationRequested ? "--stop-after elapsed"
            : ct.IsCancellationRequested ? "stop requested (Ctrl+C or SIGTERM)"
            : Volatile.Read(ref fatal) ? "the actor system stopped" : "the host is stopping");
        using var shutdown = new CancellationTokenSource(ShutdownTimeout);
        // CoordinatedShutdown first (its trader task stops new orders and cancels resting ones), then the host.
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(shutdown.Token).ConfigureAwait(false);
        await app.StopAsync(shutdown.Token);
        logger.Information("Stopped");
        if (Volatile.Read(ref fatal))
        {
            await error.WriteLineAsync("error: the trader's actor system stopped unexpectedly; see the log above");
            return Fatal;
        }
        return Ok;
    }

    private static async Task StopQuietly(WebApplication app)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout);
            await app.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Stopping a host that did not start: nothing more to do.
        }
    }
}
