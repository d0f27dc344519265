namespace Trader.Kalshi.Rest;

/// <summary>
/// Where an exchange lives: the REST base (ending in <c>/trade-api/v2</c>) and the WebSocket URL (ending in
/// <c>/trade-api/ws/v2</c>). <see cref="Demo"/> and <see cref="Production"/> use Kalshi's recommended external hosts
/// (kalshi-api.md §1); <see cref="Parse"/> also takes an explicit URL (the simulated exchange on a loopback port).
/// </summary>
public sealed record KalshiEnvironment(string Name, Uri RestBase, Uri WebSocket)
{
    public static KalshiEnvironment Demo { get; } = new("demo",
        new Uri("https://external-api.demo.kalshi.co/trade-api/v2"),
        new Uri("wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"));

    public static KalshiEnvironment Production { get; } = new("prod",
        new Uri("https://external-api.kalshi.com/trade-api/v2"),
        new Uri("wss://external-api-ws.kalshi.com/trade-api/ws/v2"));

    /// <summary>
    /// Real money: Kalshi's production, whatever host it is reached by — <c>external-api.kalshi.com</c>, the still
    /// supported <c>api.elections.kalshi.com</c>, the older <c>trading-api.kalshi.com</c>, any other host under
    /// <c>kalshi.com</c>. Demo lives under <c>kalshi.co</c>. A production opt-in must not be bypassed by naming another
    /// production host as a URL.
    /// </summary>
    public bool IsProduction => ReferenceEquals(this, Production) || IsProductionHost(RestBase.Host) || IsProductionHost(WebSocket.Host);

    private static bool IsProductionHost(string host)
    {
        host = host.TrimEnd('.');
        return host.Equals("kalshi.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".kalshi.com", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <c>demo</c>, <c>prod</c> (or <c>production</c>), or an http(s) URL: the server root
    /// (<c>http://127.0.0.1:5000</c>) or the REST base (<c>…/trade-api/v2</c>); the WebSocket URL is derived from it
    /// (same host, ws/wss, <c>/trade-api/ws/v2</c>).
    /// </summary>
    public static KalshiEnvironment Parse(string value)
    {
        if (TryParse(value, out var env, out var error)) return env;
        throw new ArgumentException(error, nameof(value));
    }

    public static bool TryParse(string? value, out KalshiEnvironment environment, out string error)
    {
        environment = Demo;
        error = "";
        string v = (value ?? "").Trim();
        switch (v.ToLowerInvariant())
        {
            case "demo":
                environment = Demo;
                return true;
            case "prod" or "production":
                environment = Production;
                return true;
        }
        if (!Uri.TryCreate(v, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"'{value}' is not an environment: use demo, prod, or an http(s) URL such as http://127.0.0.1:5000";
            return false;
        }
        environment = FromUrl(uri);
        return true;
    }

    public static KalshiEnvironment FromUrl(Uri url)
    {
        string path = url.AbsolutePath.TrimEnd('/');
        const string rest = "/trade-api/v2";
        string root = path.EndsWith(rest, StringComparison.Ordinal) ? path[..^rest.Length] : path;
        var builder = new UriBuilder(url) { Path = root + rest, Query = "", Fragment = "" };
        var restBase = builder.Uri;
        var ws = new UriBuilder(url)
        {
            Scheme = url.Scheme == "https" ? "wss" : "ws",
            Path = root + "/trade-api/ws/v2",
            Query = "",
            Fragment = "",
            Port = url.IsDefaultPort ? -1 : url.Port,
        }.Uri;
        return new KalshiEnvironment(url.GetLeftPart(UriPartial.Authority), restBase, ws);
    }

    /// <summary>The absolute URL of an API path such as <c>/portfolio/balance?limit=5</c>.</summary>
    public Uri Url(string pathAndQuery) => new(RestBase.AbsoluteUri.TrimEnd('/') + pathAndQuery);
}
