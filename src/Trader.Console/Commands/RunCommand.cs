using System.CommandLine;
using System.Globalization;
using Trader.Console.Run;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader run</c> (also a bare <c>trader</c>): the trader itself. Each flag is a setting of <c>hocon/trader.conf</c>
/// given on the command line, the highest of the configuration's layers (defaults, <c>--config</c> file,
/// <c>TRADER_…</c> environment variables, flags).
/// </summary>
public static class RunCommand
{
    /// <summary>A flag and the setting it sets; flags without a value (switches) set "on".</summary>
    private sealed record SettingFlag(Option Option, string Setting);

    public static Command Create()
    {
        var env = Flag("--env", "Where to trade: sim (the default: the simulated exchange, in process), demo, prod, or a URL such as http://127.0.0.1:8700");
        var keyId = Flag("--key-id", "API key id (demo, prod, URL)");
        var keyFile = Flag("--key-file", "The API key's private key, a PEM file");
        var keyEnv = Flag("--key-env", "Name of an environment variable holding the private key's PEM (instead of --key-file)");
        var production = new Option<bool>("--production") { Description = "Allow --env prod: trading real money is never the default" };
        var markets = Flag("--markets", "Markets to trade, comma-separated tickers (default on sim: its open markets)");
        var series = Flag("--series", "Trade the open markets of this series");
        var eventTicker = Flag("--event", "Trade the open markets of this event");
        var policy = Flag("--policy", "hold | heuristic | onnx | position-aware:<inner> (default position-aware:onnx)");
        var model = Flag("--model", "The ONNX model for onnx policies (default: the project's models/default.onnx)");
        var contracts = Flag("--contracts", "Contracts per order for a 5-action policy");
        var seed = Flag("--seed", "Seed of the embedded simulated exchange (the same seed gives the same session)");
        var logFormat = Flag("--log-format", "text (default) or json (Serilog compact JSON, one event per line)");
        var logLevel = Flag("--log-level", "verbose | debug | information | warning | error");
        var httpPort = Flag("--http-port", "Port of the status endpoints (/status, /status.txt, /healthz, /readyz, /metrics; default 8790, 0 picks a free one)");
        var httpHost = Flag("--http-host", "Address the status endpoints listen on (default 127.0.0.1: this machine only)");
        var noLiveView = new Option<bool>("--no-live-view") { Description = "Plain log lines on standard output even when it is a terminal" };
        var config = new Option<string>("--config") { Description = "A settings file (HOCON or JSON, same names as hocon/trader.conf)" };
        var set = new Option<string[]>("--set")
        {
            Description = "Any setting: --set trader.risk.max-position-per-market=50 (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var record = new Option<string>("--record") { Description = "Record the session to a tape (JSON lines; gzip when the name ends in .gz) for 'trader replay'" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the effective settings with their sources (secrets masked) and exit" };
        var stopAfter = new Option<string>("--stop-after") { Description = "Stop by itself after this long (e.g. 90s, 10m), as on SIGTERM" };

        var flags = new List<SettingFlag>
        {
            new(env, "trader.exchange.env"), new(keyId, "trader.exchange.key-id"), new(keyFile, "trader.exchange.key-file"),
            new(keyEnv, "trader.exchange.key-env"), new(production, "trader.exchange.allow-production"),
            new(markets, "trader.market-data.markets"), new(series, "trader.market-data.series"), new(eventTicker, "trader.market-data.event"),
            new(policy, "trader.decisions.policy"), new(model, "trader.decisions.model"), new(contracts, "trader.decisions.contracts"),
            new(seed, "trader.simulator.seed"), new(logFormat, "trader.logging.format"), new(logLevel, "trader.logging.level"),
            new(httpPort, "trader.http.port"), new(httpHost, "trader.http.host"),
        };

        var run = new Command("run",
            "Run the trader: market data → observation → policy → orders → fills → positions, with a coordinator that\n" +
            "calibrates against the exchange and recovers by itself. With no options it trades on the simulated Kalshi\n" +
            "exchange, started in process (no account, no network), with the project's ONNX policy. Ctrl+C or SIGTERM stops\n" +
            "it: no new orders, resting orders cancelled (trader.orders.cancel-resting-on-shutdown), exit 0.\n\n" +
            "Settings (hocon/trader.conf) come from, in increasing precedence: the defaults, --config FILE, TRADER_…\n" +
            "environment variables (TRADER_RISK__MIN_CASH_RESERVE=50.00 is trader.risk.min-cash-reserve), and flags.\n\n" +
            "Exit codes: 0 stopped cleanly; 1 a fault it cannot work around (the exchange never answered at start, the actor\n" +
            "system died); 2 bad arguments or configuration (the message names the setting and its source).\n\n" +
            "Examples:\n" +
            "  trader run\n" +
            "  trader run --env demo --key-id a952bcbe-… --key-file ~/kalshi-demo.pem --markets KXBTCD-25DEC31-T100000\n" +
            "  trader run --policy heuristic --record session.jsonl.gz --stop-after 10m\n" +
            "  TRADER_RISK__MAX_POSITION_PER_MARKET=50 trader run --config my-settings.conf --print-config")
        {
            env, keyId, keyFile, keyEnv, production, markets, series, eventTicker, policy, model, contracts, seed, logFormat, logLevel,
            httpPort, httpHost, noLiveView, config, set, record, printConfig, stopAfter,
        };
        run.Validators.Add(r =>
        {
            foreach (var s in r.GetValue(set) ?? [])
            {
                if (!TrySplitSet(s, out _, out _)) r.AddError($"--set '{s}' is not of the form trader.section.name=value");
            }
            if (r.GetValue(stopAfter) is { } text && !TryParseDuration(text, out _))
                r.AddError($"--stop-after '{text}' is not a duration such as 90s, 10m or 1h");
        });
        run.SetAction(async (result, ct) =>
        {
            var values = new List<(string, string, string)>();
            foreach (var flag in flags)
            {
                if (result.GetResult(flag.Option) is not { Implicit: false }) continue;
                string value = flag.Option is Option<bool> b ? (result.GetValue(b) ? "on" : "off") : result.GetValue((Option<string>)flag.Option) ?? "";
                values.Add((flag.Setting, value, flag.Option.Name));
            }
            if (result.GetValue(noLiveView)) values.Add(("trader.logging.live-view", "off", "--no-live-view"));
            foreach (var s in result.GetValue(set) ?? [])
            {
                TrySplitSet(s, out var setting, out var value);
                values.Add((setting, value, $"--set {setting}"));
            }
            TimeSpan? after = result.GetValue(stopAfter) is { } text && TryParseDuration(text, out var d) ? d : null;
            var request = new RunRequest
            {
                SettingsFile = result.GetValue(config),
                Flags = values,
                PrintConfig = result.GetValue(printConfig),
                RecordPath = result.GetValue(record),
                StopAfter = after,
            };
            return await TraderRunner.RunAsync(request, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct);
        });
        return run;
    }

    private static Option<string> Flag(string name, string description) => new(name) { Description = description };

    internal static bool TrySplitSet(string text, out string setting, out string value)
    {
        int eq = text.IndexOf('=');
        setting = eq > 0 ? text[..eq].Trim() : "";
        value = eq > 0 ? text[(eq + 1)..].Trim() : "";
        if (setting.Length > 0 && !setting.StartsWith("trader.", StringComparison.Ordinal)) setting = "trader." + setting;
        return eq > 0 && setting.Length > "trader.".Length;
    }

    /// <summary>A duration as people write it: <c>500ms</c>, <c>90s</c>, <c>10m</c>, <c>2h</c> (or <c>hh:mm:ss</c>).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                decimal.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                duration = TimeSpan.FromSeconds((double)n * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
