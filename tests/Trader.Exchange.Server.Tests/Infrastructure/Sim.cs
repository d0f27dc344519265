using System.Net.Http.Headers;
using System.Text;
using Trader.Exchange.Server.Control;
using Trader.Exchange.Server.Rest;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;

namespace Trader.Exchange.Server.Tests.Infrastructure;

/// <summary>
/// A simulated exchange on 127.0.0.1 port 0 for one test, with the demo key's credentials, a control client and raw
/// HTTP. By default the liquidity agents are off (books hold only the test's orders) and rate limits are off; tests
/// that need them switch them on.
/// </summary>
public sealed class Sim : IAsyncDisposable
{
    /// <summary>An upper bound for waiting on something the server will do; a test that needs it has failed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly List<IDisposable> _owned = [];

    private Sim(SimulatedExchangeServer server)
    {
        Server = server;
        Demo = server.DemoKey.CreateCredentials();
        Control = new ExchangeControlClient(server.Root);
        Http = new HttpClient { BaseAddress = server.Root, Timeout = Patience };
    }

    public SimulatedExchangeServer Server { get; }
    public KalshiCredentials Demo { get; }
    public ExchangeControlClient Control { get; }
    public HttpClient Http { get; }

    public static SimulatorOptions DefaultOptions => new()
    {
        LiquidityInterval = null,
        RateLimits = null,
        ClockInterval = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<Sim> StartAsync(Func<SimulatorOptions, SimulatorOptions>? configure = null)
    {
        var options = configure is null ? DefaultOptions : configure(DefaultOptions);
        return new Sim(await SimulatedExchangeServer.StartAsync(options));
    }

    /// <summary>The real Kalshi REST client, pointed at this exchange; fast retries so fault tests stay quick.</summary>
    public KalshiRestClient Client(KalshiCredentials? credentials = null, AccountLimits? clientLimits = null, int attempts = 5,
        int pageSize = 1000, TimeSpan? timeout = null)
    {
        var client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = Server.Environment,
            Credentials = credentials ?? Demo,
            RateLimits = clientLimits ?? KalshiRestApi.Unlimited,
            Retry = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40), attempts),
            RequestTimeout = timeout ?? Patience,
            PageSize = pageSize,
        });
        _owned.Add(client);
        return client;
    }

    /// <summary>A client that signs nothing (public endpoints only).</summary>
    public KalshiRestClient AnonymousClient()
    {
        var client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = Server.Environment,
            RateLimits = KalshiRestApi.Unlimited,
            Retry = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40), 1),
        });
        _owned.Add(client);
        return client;
    }

    public SimulatedUser User(decimal dollars = 1000m)
    {
        var user = Server.AddUser(Trader.Core.Numbers.Money.FromDollars(dollars));
        _owned.Add(user);
        return user;
    }

    /// <summary>
    /// A raw request to <c>/trade-api/v2</c> + <paramref name="apiPath"/>: signed with <paramref name="credentials"/>
    /// (the demo key by default; <paramref name="sign"/> false sends no headers), at a timestamp shifted by
    /// <paramref name="clockOffset"/>.
    /// </summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string apiPath, string? json = null, KalshiCredentials? credentials = null,
        bool sign = true, TimeSpan? clockOffset = null, KalshiAuthHeaders? headers = null)
    {
        string pathAndQuery = "/trade-api/v2" + apiPath;
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (sign)
        {
            long ts = (DateTimeOffset.UtcNow + (clockOffset ?? TimeSpan.Zero)).ToUnixTimeMilliseconds();
            headers ??= (credentials ?? Demo).Sign(method.Method, KalshiSignature.SignedPath(pathAndQuery), ts);
            foreach (var (name, value) in headers.AsPairs()) request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _owned) d.Dispose();
        Http.Dispose();
        Control.Dispose();
        Demo.Dispose();
        await Server.DisposeAsync();
    }
}
