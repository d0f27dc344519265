using Microsoft.Extensions.Logging;
using Trader.Actors.MarketData;
using Trader.Console.Commands;
using Trader.Exchange.Server;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;

namespace Trader.Console.Run;

/// <summary>The exchange could not be reached or used at start (exit code 1: a fault, not a configuration error).</summary>
public sealed class ExchangeUnavailable(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The exchange a run trades on: the embedded simulated exchange (started here, with its demo key) or a remote one
/// (Kalshi's demo or production, or a URL), with the REST client and the stream options the actors use, and the
/// markets resolved and checked against it.
/// </summary>
public sealed class ExchangeSession : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private HttpMessageHandler _plain = null!;
    private SwitchableHandler _route = null!;

    private ExchangeSession(KalshiEnvironment environment, KalshiCredentials credentials, SimulatedExchangeServer? simulator)
    {
        Environment = environment;
        Credentials = credentials;
        Simulator = simulator;
    }

    public KalshiEnvironment Environment { get; }
    public KalshiCredentials Credentials { get; }

    /// <summary>The embedded simulated exchange, when the run uses one.</summary>
    public SimulatedExchangeServer? Simulator { get; }

    public KalshiRestClient Api { get; private set; } = null!;

    /// <summary>The markets to stream and trade, checked against the exchange.</summary>
    public IReadOnlyList<string> Markets { get; private set; } = [];

    /// <summary>How the trader describes where it trades ("the embedded simulated exchange at …", "Kalshi demo").</summary>
    public string Description => Simulator is not null ? $"the embedded simulated exchange at {Environment.RestBase}"
        : Environment.Name switch { "demo" => "Kalshi demo", "prod" => "Kalshi production", _ => Environment.RestBase.ToString() };

    /// <summary>
    /// Starts the embedded simulator when the plan asks for it, makes the REST client, reads the account's rate limits
    /// and resolves the markets. A market that does not exist is a <see cref="ConfigurationError"/>; an exchange that
    /// does not answer within the startup timeout is <see cref="ExchangeUnavailable"/>.
    /// </summary>
    public static async Task<ExchangeSession> OpenAsync(RunPlan plan, ILoggerFactory logging, CancellationToken ct)
    {
        ExchangeSession session;
        if (plan.Exchange.Simulated)
        {
            var sim = plan.Simulator;
            SimulatedExchangeServer server;
            try
            {
                server = await SimulatedExchangeServer.StartAsync(new SimulatorOptions
                {
                    Port = sim.Port,
                    Seed = sim.Seed,
                    MarketsFile = sim.MarketsFile,
                    StartingBalance = sim.Balance,
                    KeyDirectory = sim.KeyDirectory ?? SimCommand.DefaultKeyDirectory,
                    LiquidityInterval = sim.Agents ? new SimulatorOptions().LiquidityInterval : null,
                    LoggerFactory = logging,
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                throw new ExchangeUnavailable($"the embedded simulated exchange did not start: {e.Message}", e);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationError($"trader.simulator: {e.Message}");
            }
            session = new ExchangeSession(server.Environment, server.DemoKey.CreateCredentials(), server);
            session._owned.Add(session.Credentials);
        }
        else
        {
            session = new ExchangeSession(plan.Exchange.Environment!, plan.Credentials!, null);
        }

        try
        {
            session._plain = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            session._owned.Add(session._plain);
            session._route = new SwitchableHandler(session._plain);
            session._owned.Add(session._route);
            session.Api = new KalshiRestClient(new KalshiClientOptions
            {
                Environment = session.Environment,
                Credentials = session.Credentials,
                Handler = session._route,
                Logger = logging.CreateLogger<KalshiRestClient>(),
            });
            session._owned.Add(session.Api);
            await session.ConnectAsync(plan, logging.CreateLogger<ExchangeSession>(), ct).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// From now on, the REST client's requests go through <paramref name="wrap"/> (recording). The start-up reads (status,
    /// limits, market lookups) are not recorded: a replay starts the actors with the recorded markets and never asks
    /// for them.
    /// </summary>
    public void RouteHttpThrough(Func<HttpMessageHandler, HttpMessageHandler> wrap)
    {
        var wrapped = wrap(_plain);
        _owned.Add(wrapped);
        _route.Target = wrapped;
    }

    /// <summary>Stream options for the actors' WebSocket connections (signed with the session's key).</summary>
    public KalshiStreamOptions StreamOptions(ILoggerFactory logging) =>
        KalshiStreamOptions.For(Environment, Credentials) with { Logger = logging.CreateLogger<KalshiStreamOptions>() };

    private async Task ConnectAsync(RunPlan plan, ILogger log, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(plan.Exchange.StartupTimeout);
        try
        {
            var status = await Api.GetExchangeStatusAsync(timeout.Token).ConfigureAwait(false);
            log.LogInformation("Exchange {Exchange}: exchange active {Active}, trading active {Trading}", Description, status.ExchangeActive, status.TradingActive);
            try
            {
                await Api.ConfigureRateLimitsAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (KalshiApiException e) when (e.Error.HttpStatus == 401)
            {
                throw new ConfigurationError($"the exchange refused the API key {RunPlan.Mask("trader.exchange.key-id", Credentials.KeyId)}: {e.Error.Message} " +
                                             "(run 'trader kalshi check' with the same key to see why)");
            }
            Markets = await ResolveMarketsAsync(plan, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ExchangeUnavailable($"{Description} did not answer within {plan.Exchange.StartupTimeout.TotalSeconds:0} s " +
                                          "(trader.exchange.startup-timeout)");
        }
        catch (Exception e) when (e is HttpRequestException or KalshiApiException or KalshiTransportException or IOException)
        {
            throw new ExchangeUnavailable($"{Description} could not be used: {e.Message}", e);
        }
    }

    /// <summary>
    /// Explicit tickers are each looked up (an unknown one stops the run, naming it); otherwise the open markets of the
    /// configured series or event; with neither, the embedded simulator's open markets (a real exchange has too many
    /// to trade them all: it must be told which).
    /// </summary>
    private async Task<IReadOnlyList<string>> ResolveMarketsAsync(RunPlan plan, CancellationToken ct)
    {
        var md = plan.MarketData;
        var layers = plan.Layers;
        if (md.Markets.Count > 0)
        {
            foreach (var ticker in md.Markets)
            {
                var market = await Api.GetMarketAsync(ticker, ct).ConfigureAwait(false);
                if (market is null)
                    throw new ConfigurationError($"setting trader.market-data.markets (from {layers.SourceOf("trader.market-data.markets")}): " +
                                                 $"'{ticker}' is not a market on {Description}");
                if (!market.Status.Equals("open", StringComparison.OrdinalIgnoreCase) && !market.Status.Equals("active", StringComparison.OrdinalIgnoreCase))
                    throw new ConfigurationError($"setting trader.market-data.markets (from {layers.SourceOf("trader.market-data.markets")}): " +
                                                 $"market '{ticker}' is {market.Status}, not open for trading");
            }
            return md.Markets;
        }
        if (md.Series is null && md.Event is null && Simulator is null)
            throw new ConfigurationError($"no markets to trade on {Description}: set trader.market-data.markets (--markets A,B), " +
                                         "or trader.market-data.series / event (--series, --event)");
        var found = await Api.GetMarketsAsync(new MarketQuery(Status: "open", EventTicker: md.Event, SeriesTicker: md.Series), ct).ConfigureAwait(false);
        var tickers = found.Select(m => m.Ticker).Take(md.MaxMarkets).ToList();
        if (tickers.Count == 0)
        {
            string what = md.Event is not null ? $"event '{md.Event}' (trader.market-data.event, from {layers.SourceOf("trader.market-data.event")})"
                : md.Series is not null ? $"series '{md.Series}' (trader.market-data.series, from {layers.SourceOf("trader.market-data.series")})"
                : "the exchange";
            throw new ConfigurationError($"{what} has no open markets on {Description}");
        }
        return tickers;
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        if (Simulator is not null) await Simulator.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends through one handler, then through another once switched (for recording that starts after start-up).</summary>
    private sealed class SwitchableHandler(HttpMessageHandler initial) : HttpMessageHandler
    {
        private volatile HttpMessageInvoker _target = new(initial, disposeHandler: false);

        public HttpMessageHandler Target
        {
            set => _target = new HttpMessageInvoker(value, disposeHandler: false);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _target.SendAsync(request, cancellationToken);
    }
}
