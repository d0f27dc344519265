using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trader.Actors.Coordinator;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Status;
using Trader.Console.Watching;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Server;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;
using Trader.Policy.Heuristics;

namespace Trader.Console.Tests.Watching;

/// <summary>
/// A trader as the host runs it — a <see cref="WebApplication"/> with <c>AddTrader</c>, <c>AddTraderWatching</c>,
/// <c>UseTraderHttp</c> and <c>MapTraderEndpoints</c> — against the simulated exchange over loopback, with its
/// endpoints on a real socket (port 0). The orderbook stream follows two markets; the decision loop runs the hold
/// policy. Calibration retries quickly so that readiness tests recover in well under a second.
/// </summary>
public sealed class RunningTrader : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly KalshiCredentials _credentials;
    private readonly KalshiRestClient _client;

    private RunningTrader(SimulatedExchangeServer sim, WebApplication app, KalshiCredentials credentials, KalshiRestClient client,
        IReadOnlyList<string> markets)
    {
        Sim = sim;
        App = app;
        _credentials = credentials;
        _client = client;
        Markets = markets;
        Url = app.BoundAddress() ?? throw new InvalidOperationException("the trader's endpoints did not bind");
        Http = new HttpClient { BaseAddress = Url, Timeout = Patience };
        System = app.Services.GetRequiredService<ActorSystem>();
        Probe = new TestKit(System);
    }

    public SimulatedExchangeServer Sim { get; }
    public WebApplication App { get; }
    public IReadOnlyList<string> Markets { get; }
    public Uri Url { get; }
    public HttpClient Http { get; }
    public ActorSystem System { get; }
    public TestKit Probe { get; }
    public StatusLogStore StatusLog => App.Services.GetRequiredService<StatusLogStore>();

    /// <param name="beforeStart">Runs against the exchange before the trader starts (e.g. resting orders of another user).</param>
    public static async Task<RunningTrader> StartAsync(Func<SimulatedExchangeServer, IReadOnlyList<string>, Task>? beforeStart = null)
    {
        var sim = await SimulatedExchangeServer.StartAsync(new SimulatorOptions
        {
            LiquidityInterval = null,
            RateLimits = null,
            ClockInterval = TimeSpan.FromMilliseconds(50),
        });
        var markets = sim.Execute(x => x.GetMarkets()).Where(m => m.Status == "active").Select(m => m.Ticker).Order(StringComparer.Ordinal).Take(2).ToList();
        if (beforeStart is not null) await beforeStart(sim, markets);

        var credentials = sim.DemoKey.CreateCredentials();
        var client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = sim.Environment,
            Credentials = credentials,
            Retry = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40), 3),
            RequestTimeout = Patience,
        });
        var hocon = ConfigurationFactory.ParseString("""
            trader.status.time-zone = UTC
            trader.calibration.backoff-min = 200ms
            trader.calibration.backoff-max = 1s
            trader.sync.fill-poll-interval = 200ms
            trader.http.port = 0
            """).WithFallback(TraderHocon.LoadDefaults());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKalshiApi>(client);
        builder.Services.AddTrader(hocon, new TraderComponents
        {
            Streams = KalshiStreamOptions.For(sim.Environment, credentials),
            Markets = markets,
            MarketData = new MarketDataSettings { UserStream = false, ReconnectMin = TimeSpan.FromMilliseconds(100), ReconnectMax = TimeSpan.FromSeconds(1) },
            Policy = () => new HoldPolicy(),
        });
        builder.Services.AddTraderWatching(new LiveViewOptions { Enabled = false }, askTimeout: TimeSpan.FromSeconds(5));
        builder.UseTraderHttp(HttpSettings.FromConfig(hocon));
        var app = builder.Build();
        app.MapTraderEndpoints();
        await app.StartAsync();
        return new RunningTrader(sim, app, credentials, client, markets);
    }

    public async Task<IActorRef> CoordinatorAsync() => await App.Services.GetRequiredService<ActorRegistry>().GetAsync<TraderCoordinator>();

    /// <summary>Sends an action to the coordinator as the decision loop would, and returns its outcome.</summary>
    public async Task<ActionResult> ActAsync(string decisionId, string ticker, OrderIntent intent, string price, long contracts)
    {
        var coordinator = await CoordinatorAsync();
        return await coordinator.Ask<ActionResult>(new SubmitAction(decisionId, ticker, intent, Price.Parse(price), Quantity.FromContracts(contracts)), Patience);
    }

    /// <summary>Waits (without sleeping a fixed time) until GET <paramref name="path"/> satisfies <paramref name="check"/>.</summary>
    public Task UntilAsync(string path, Func<HttpResponseMessage, string, bool> check, string what) =>
        Probe.AwaitAssertAsync(async () =>
        {
            using var response = await Http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(check(response, body), $"{what}: GET {path} answered {(int)response.StatusCode} {body}");
        }, Patience, TimeSpan.FromMilliseconds(50));

    /// <summary>
    /// Waits until /readyz answers 200 and the status log says "ready": the status actor writes the log after the
    /// coordinator has moved on, so a ready coordinator alone does not mean /status.txt shows it yet.
    /// </summary>
    public async Task UntilReadyAsync()
    {
        await UntilAsync("/readyz", (r, _) => r.IsSuccessStatusCode, "ready");
        await Probe.AwaitAssertAsync(() => Assert.Equal("ready", StatusLog.Current.CurrentState), Patience, TimeSpan.FromMilliseconds(50));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _client.Dispose();
        _credentials.Dispose();
        await Sim.DisposeAsync();
    }
}
