using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Trader.Actors.Hosting;
using Trader.Console.Watching;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader status</c>: prints the status log of a running trader, as its <c>GET /status.txt</c> serves it (newest
/// first, ready to paste into a bug report), or with <c>--json</c> its whole <c>GET /status</c>. Exit codes: 0 printed,
/// 1 no trader answered (not running, another address) or it answered with an error, 2 bad arguments.
/// </summary>
public static class StatusCommand
{
    public const int Ok = 0;
    public const int NotAnswering = 1;

    /// <summary>How long to wait for the trader's answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The trader's address by default: <c>trader.http</c> from the shipped defaults under the <c>TRADER_HTTP__…</c>
    /// environment variables, as <c>trader run</c> reads them (http://127.0.0.1:8790/ unless changed).
    /// </summary>
    public static Uri DefaultUrl
    {
        get
        {
            try
            {
                var layers = Run.LayeredConfig.FromDefaults(TraderHocon.LoadDefaults());
                var http = new System.Collections.Hashtable();
                foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                {
                    if (e.Key is string name && name.StartsWith("TRADER_HTTP__", StringComparison.Ordinal)) http[name] = e.Value;
                }
                layers.AddEnvironment(http);
                return HttpSettings.FromConfig(layers.Config).LocalUrl;
            }
            catch (Exception e) when (e is FileNotFoundException or Trader.Actors.SettingsException or Run.ConfigurationError)
            {
                return HttpSettings.Default.LocalUrl;
            }
        }
    }

    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The running trader's HTTP address (trader.http.host and port). Default: {DefaultUrl}",
        };
        var json = new Option<bool>("--json") { Description = "Print the whole status as JSON (GET /status) instead of the status log" };
        var status = new Command("status",
            "Print the status log of a running trader, newest first: the copy-paste text for a bug report\n" +
            "(what its GET /status.txt serves). --json prints its whole status instead: state, balances, positions,\n" +
            "open orders, markets, decision counters (GET /status).\n\n" +
            "Examples:\n" +
            "  trader status\n" +
            "  trader status --json | jq .positions\n" +
            "  trader status --url http://127.0.0.1:9000")
        {
            url, json,
        };
        status.Validators.Add(r =>
        {
            if (r.GetValue(url) is { } u && !TryParseUrl(u, out _))
                r.AddError($"--url '{u}' is not an http:// address such as http://127.0.0.1:{HttpSettings.DefaultPort}");
        });
        status.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var baseUrl = result.GetValue(url) is { } u && TryParseUrl(u, out var parsed) ? parsed : DefaultUrl;
            var target = new Uri(baseUrl, result.GetValue(json) ? "status" : "status.txt");

            using var http = new HttpClient();
            http.Timeout = Timeout;
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(target, ct);
            }
            catch (HttpRequestException e)
            {
                var why = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : e.Message;
                error.WriteLine($"error: no trader is answering at {baseUrl} ({why}).");
                error.WriteLine("Is it running? Start it with 'trader run'. If it listens elsewhere (trader.http.host, trader.http.port, --http-port), pass --url.");
                return NotAnswering;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                error.WriteLine($"error: the trader at {baseUrl} did not answer within {Timeout.TotalSeconds:0}s.");
                return NotAnswering;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    error.WriteLine($"error: {target} answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                                    (response.StatusCode == HttpStatusCode.NotFound ? " (is this a trader's address?)" : "") +
                                    (string.IsNullOrWhiteSpace(body) ? "" : $": {body.Trim()}"));
                    return NotAnswering;
                }
                if (body.Length == 0)
                {
                    output.WriteLine("(the status log is empty: the trader has not recorded a status yet)");
                    return Ok;
                }
                output.Write(body.EndsWith('\n') ? body : body + "\n");
                return Ok;
            }
        });
        return status;
    }

    /// <summary>An absolute http(s) URL; a path is kept as the base the endpoints hang off (a trailing slash is added).</summary>
    private static bool TryParseUrl(string text, out Uri url)
    {
        url = null!;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps)) return false;
        url = u.AbsolutePath.EndsWith('/') ? u : new Uri(u.GetLeftPart(UriPartial.Path) + "/");
        return true;
    }
}
