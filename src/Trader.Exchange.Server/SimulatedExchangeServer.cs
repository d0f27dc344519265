using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trader.Core.Numbers;
using Trader.Exchange.Server.Auth;
using Trader.Exchange.Server.Control;
using Trader.Exchange.Server.Faults;
using Trader.Exchange.Server.Rest;
using Trader.Exchange.Server.Streaming;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server;

/// <summary>A user of the simulated exchange with an in-memory API key (see <see cref="SimulatedExchangeServer.AddUser"/>).</summary>
public sealed record SimulatedUser(string UserId, KalshiCredentials Credentials) : IDisposable
{
    public string KeyId => Credentials.KeyId;

    public void Dispose() => Credentials.Dispose();
}

/// <summary>
/// The simulated Kalshi exchange on the network: Kalshi's Trade API v2 REST under <c>/trade-api/v2</c> and its
/// WebSocket at <c>/trade-api/ws/v2</c>, on Kestrel, around the engine (<see cref="SimulatedExchange"/>) and its
/// liquidity agents. Start it in process with <see cref="StartAsync"/> (the trader's offline run and the tests do),
/// or alone with <c>trader sim</c>; point any Kalshi client at <see cref="RestBase"/> / <see cref="WebSocketUrl"/>
/// (or <see cref="Environment"/>) with the <see cref="DemoKey"/>.
/// <code>
/// await using var sim = await SimulatedExchangeServer.StartAsync(new SimulatorOptions { KeyDirectory = dir });
/// using var credentials = sim.DemoKey.CreateCredentials();
/// using var client = new KalshiRestClient(new KalshiClientOptions { Environment = sim.Environment, Credentials = credentials });
/// </code>
/// Authentication, rate limits, refusals and errors are Kalshi's (see <see cref="RestPipeline"/>,
/// <see cref="RequestAuthenticator"/>); faults are switched on by <see cref="SimulatorOptions.Faults"/>,
/// <see cref="Faults"/> or the loopback control endpoint (<see cref="ControlApi"/>).
/// </summary>
public sealed class SimulatedExchangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ExchangeHost _host;
    private readonly StreamHub _hub;
    private readonly ApiKeyRegistry _keys;
    private readonly SimulatorOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _dropTimerGate = new();
    private ITimer? _dropTimer;
    private int _stopped;

    private SimulatedExchangeServer(WebApplication app, ExchangeHost host, StreamHub hub, ApiKeyRegistry keys, FaultInjector faults,
        DemoKey demoKey, string demoUserId, SimulatorOptions options, ILogger log)
    {
        _app = app;
        _host = host;
        _hub = hub;
        _keys = keys;
        Faults = faults;
        DemoKey = demoKey;
        DemoUserId = demoUserId;
        _options = options;
        _log = log;
        Environment = null!;
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The REST base, e.g. <c>http://127.0.0.1:41234/trade-api/v2</c>.</summary>
    public Uri RestBase => Environment.RestBase;

    /// <summary>The WebSocket URL, e.g. <c>ws://127.0.0.1:41234/trade-api/ws/v2</c>.</summary>
    public Uri WebSocketUrl => Environment.WebSocket;

    /// <summary>Both URLs, for <see cref="KalshiClientOptions.Environment"/> and <see cref="Trader.Kalshi.Streaming.KalshiStreamOptions.For"/>.</summary>
    public KalshiEnvironment Environment { get; private set; }

    /// <summary>The demo user's key (key id, private key file); <see cref="DemoKey.CreateCredentials"/> signs as it.</summary>
    public DemoKey DemoKey { get; }

    public string DemoUserId { get; }

    /// <summary>The faults in force; change them here or through <c>POST /_control/faults</c>.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Starts the exchange and its server; returns once it is listening.</summary>
    public static async Task<SimulatedExchangeServer> StartAsync(SimulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SimulatorOptions();
        options.Validate();
        var log = options.LoggerFactory.CreateLogger("Trader.Exchange.Server");
        var faults = new FaultInjector();
        if (options.Faults is { } initial) faults.Apply(initial);

        var host = new ExchangeHost(options, log);
        var hub = new StreamHub();
        host.Listen(hub);

        var keys = new ApiKeyRegistry();
        var demoKey = DemoKey.LoadOrCreate(options.KeyDirectory);
        string demoUser = SeededUserId(options.Seed);
        keys.Register(new ApiKey(demoKey.KeyId, demoUser, demoKey.PublicKey()));
        host.Run(x => x.Deposit(demoUser, options.StartingBalance));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatedExchangeServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.Address, options.Port);
        });
        var app = builder.Build();

        var limiter = options.RateLimits is { } tier ? new ServerRateLimiter(tier, options.Time) : null;
        var pipeline = new RestPipeline(keys, faults, limiter, options.Time, options.TimestampWindow, log);
        var server = new SimulatedExchangeServer(app, host, hub, keys, faults, demoKey, demoUser, options, log);

        // Pings every interval; a client that does not answer within two intervals is dropped (Kalshi pings and expects pongs).
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.WebSocketKeepAlive, KeepAliveTimeout = options.WebSocketKeepAlive * 2 });
        app.Use((ctx, next) => ControlApi.GuardAsync(ctx, next));
        app.UseRouting();
        app.Use((ctx, next) => pipeline.InvokeAsync(ctx, next));
        new KalshiRestApi(host, pipeline, options).Map(app);
        app.MapGet(KalshiSignature.WebSocketPath, server.AcceptWebSocketAsync);
        new ControlApi(server).Map(app);
        app.MapFallback(ctx => RestPipeline.WriteErrorAsync(ctx,
            new KalshiError(404, "not_found", "not found", $"no route {ctx.Request.Method} {ctx.Request.Path}")));

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            host.Dispose();
            demoKey.Dispose();
            throw;
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var root = new UriBuilder(address);
        if (root.Host is "0.0.0.0" or "[::]" or "::") root.Host = "127.0.0.1";
        server.Root = new Uri(root.Uri.GetLeftPart(UriPartial.Authority));
        server.Environment = KalshiEnvironment.FromUrl(server.Root) with { Name = "simulated" };

        host.StartTimers(options.Time, options.ClockInterval, options.LiquidityInterval);
        faults.Changed += server.ArmDropTimer;
        server.ArmDropTimer();
        log.LogInformation("simulated Kalshi exchange listening on {Root}", server.Root);
        return server;
    }

    /// <summary>
    /// A new user with <paramref name="deposit"/> and a fresh API key held in memory (a second trader, a counterparty in
    /// a test). Dispose the user to release its key.
    /// </summary>
    public SimulatedUser AddUser(Money deposit, string? userId = null)
    {
        if (!deposit.IsPositive) throw new ArgumentOutOfRangeException(nameof(deposit), deposit.ToWireString(), "a user's first deposit must be positive");
        string id = userId ?? Guid.NewGuid().ToString();
        var key = RSA.Create(2048);
        var pub = RSA.Create();
        pub.ImportParameters(key.ExportParameters(includePrivateParameters: false));
        string keyId = Guid.NewGuid().ToString();
        _keys.Register(new ApiKey(keyId, id, pub));
        _host.Run(x => x.Deposit(id, deposit));
        return new SimulatedUser(id, new KalshiCredentials(keyId, key));
    }

    /// <summary>
    /// Registers an API key (its public half) for a user, e.g. a key whose private half another process holds. A user
    /// without an account gets 404 on portfolio reads until funded (<c>POST /_control/users/{id}/deposit</c>).
    /// </summary>
    public void RegisterKey(string keyId, string userId, RSA publicKey) => _keys.Register(new ApiKey(keyId, userId, publicKey));

    /// <summary>Calls the engine directly, serialized with every other call (events reach WebSocket subscribers as usual).</summary>
    public T Execute<T>(Func<SimulatedExchange, T> call) => _host.Run(call);

    /// <summary>Runs the liquidity agents <paramref name="steps"/> times now; 0 when they are switched off.</summary>
    public int StepLiquidity(int steps) => _host.StepLiquidity(steps);

    /// <summary>The liquidity agents' user ids (empty when they are off).</summary>
    public IReadOnlyList<string> AgentUserIds => _host.Liquidity?.AgentUserIds.ToList() ?? [];

    /// <summary>Drops every WebSocket connection now, without a close handshake; returns how many there were.</summary>
    public int DropWebSockets() => _host.Run(_ => _hub.DropAll());

    /// <summary>Open WebSocket connections.</summary>
    public int WebSocketConnections => _host.Run(_ => _hub.Count);

    internal SimulatorInfoDto Info() =>
        new(RestBase.AbsoluteUri, WebSocketUrl.AbsoluteUri, DemoKey.KeyId, DemoKey.PrivateKeyPath, DemoUserId);

    private async Task AcceptWebSocketAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            await RestPipeline.WriteErrorAsync(ctx, new KalshiError(400, "bad_request", "bad request",
                $"{KalshiSignature.WebSocketPath} is the WebSocket endpoint: connect with a WebSocket upgrade"));
            return;
        }
        if (Faults.TryRefuseUpgrade())
        {
            _log.LogInformation("fault: WebSocket upgrade refused with 503");
            await RestPipeline.WriteErrorAsync(ctx, new KalshiError(503, "service_unavailable", "service unavailable"));
            return;
        }
        var auth = RequestAuthenticator.Authenticate(_keys, "GET", KalshiSignature.WebSocketPath,
            ctx.Request.Headers[KalshiAuthHeaders.KeyHeader], ctx.Request.Headers[KalshiAuthHeaders.TimestampHeader],
            ctx.Request.Headers[KalshiAuthHeaders.SignatureHeader], _options.Time.GetUtcNow() + Faults.ClockSkew, _options.TimestampWindow);
        if (auth.Key is not { } key)
        {
            _log.LogInformation("WebSocket upgrade refused: 401 {Code} {Details}", auth.Error!.Code, auth.Error.Details);
            await RestPipeline.WriteErrorAsync(ctx, auth.Error);
            return;
        }
        if (_stopping.IsCancellationRequested)
        {
            await RestPipeline.WriteErrorAsync(ctx, new KalshiError(503, "service_unavailable", "service unavailable", "the exchange is stopping"));
            return;
        }
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = _host.Run(_ =>
        {
            var c = new StreamConnection(_hub.NextId(), key.UserId, socket, _host, _hub, Faults, _options.Time, _options.SubscriptionBufferFrames, _log);
            _hub.Add(c);
            return c;
        });
        _log.LogInformation("WebSocket connection {Id} opened by {Key}", connection.Id, key);
        await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
    }

    private void ArmDropTimer()
    {
        lock (_dropTimerGate)
        {
            _dropTimer?.Dispose();
            _dropTimer = null;
            if (Faults.DropEvery is { } every && Volatile.Read(ref _stopped) == 0)
                _dropTimer = _options.Time.CreateTimer(_ => DropWebSockets(), null, every, every);
        }
    }

    /// <summary>Stops taking requests, closes the WebSocket connections and the timers, and stops the server.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        Faults.Changed -= ArmDropTimer;
        lock (_dropTimerGate) _dropTimer?.Dispose();
        _host.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _log.LogWarning("simulated exchange: stop timed out; connections were cut");
        }
        _log.LogInformation("simulated Kalshi exchange stopped");
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        DemoKey.Dispose();
    }

    /// <summary>The demo user's id: a UUID drawn from the seed, so a session replays with the same ids.</summary>
    private static string SeededUserId(int seed)
    {
        var bytes = new byte[16];
        new Random(unchecked(seed * 7919 + 17)).NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    /// <summary>The server runs inside another program: it neither listens for Ctrl+C nor prints host messages.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
