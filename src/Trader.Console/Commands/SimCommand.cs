using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Trader.Core.Numbers;
using Trader.Exchange.Server;
using Trader.Exchange.Server.Faults;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader sim</c>: the simulated Kalshi exchange on its own, for trying the trader (or any Kalshi client) without a
/// Kalshi account. It prints where it listens and a ready demo key, and runs until Ctrl+C or SIGTERM (exit 0).
/// Exit codes: 0 stopped cleanly, 1 the exchange could not start (port taken, key directory not writable), 2 bad
/// arguments.
/// </summary>
public static class SimCommand
{
    public const int Ok = 0;
    public const int StartFailed = 1;
    public const int BadInput = 2;

    /// <summary>Where the demo key lives unless <c>--key-dir</c> says otherwise: <c>~/.local/share/trader/sim</c> on Linux.</summary>
    public static string DefaultKeyDirectory
    {
        get
        {
            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(string.IsNullOrEmpty(data) ? Path.GetTempPath() : data, "trader", "sim");
        }
    }

    public static readonly Money DefaultBalance = Money.FromDollars(1000);

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1; 0 picks a free one (printed at start)", DefaultValueFactory = _ => 0 };
        var markets = new Option<string>("--markets") { Description = "Market file (JSON, see docs/markets.example.json); default: the built-in markets" };
        var seed = new Option<int>("--seed") { Description = "Seed of the session: the same seed gives the same markets' results and agents' trading", DefaultValueFactory = _ => 1 };
        var keyDir = new Option<string>("--key-dir")
        {
            Description = $"Directory for the demo key (sim-demo-key.pem, owner-only; reused on the next start). Default: {DefaultKeyDirectory}",
        };
        var balance = new Option<string>("--balance") { Description = "The demo user's starting cash in dollars (default 1000)" };
        var faults = new Option<string>("--faults")
        {
            Description = "Faults to switch on from the start (JSON, as POST /_control/faults takes), e.g. {\"websocket_upgrade_503\":-1}",
        };
        var noAgents = new Option<bool>("--no-agents") { Description = "No liquidity agents: the books hold only what users place" };
        var verbose = new Option<bool>("--verbose") { Description = "Log refused requests and WebSocket connections to stderr" };

        var sim = new Command("sim",
            "Run the simulated Kalshi exchange: Kalshi's Trade API v2 (REST and WebSocket) on this machine, with markets,\n" +
            "liquidity agents that trade by themselves, and a demo key. Point the trader or any Kalshi client at the printed\n" +
            "URLs; stop with Ctrl+C. Faults (refused WebSocket upgrades, 429 bursts, 5xx, dropped connections, clock skew, …)\n" +
            "are switched on with --faults or at run time through the loopback control endpoint (/_control).\n\n" +
            "Examples:\n" +
            "  trader sim\n" +
            "  trader sim --port 8700 --seed 42 --balance 250 --key-dir ./sim-key\n" +
            "  trader kalshi check --env http://127.0.0.1:8700 --key-id <printed key id> --key-file ./sim-key/sim-demo-key.pem")
        {
            port, markets, seed, keyDir, balance, faults, noAgents, verbose,
        };
        sim.Validators.Add(r =>
        {
            if (ParsedOrNull(r, port) is < 0 or > 65535)
                r.AddError($"--port {r.GetValue(port)} is not a TCP port (0 to 65535; 0 picks a free one).");
            if (r.GetValue(markets) is { } file && !File.Exists(file)) r.AddError($"--markets: the market file '{file}' does not exist.");
            if (r.GetValue(faults) is { } faultFile && !File.Exists(faultFile)) r.AddError($"--faults: the fault file '{faultFile}' does not exist.");
            if (r.GetValue(balance) is { } b && !TryParseDollars(b, out _))
                r.AddError($"--balance '{b}' is not an amount of dollars such as 1000 or 250.50 (more than 0, at most 6 decimals).");
        });
        sim.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var cash = DefaultBalance;
            if (result.GetValue(balance) is { } b) TryParseDollars(b, out cash);
            FaultSettings? initialFaults = null;
            if (result.GetValue(faults) is { } faultFile)
            {
                try
                {
                    initialFaults = FaultSettings.Load(faultFile);
                }
                catch (ArgumentException e)
                {
                    error.WriteLine($"error: {e.Message}");
                    return BadInput;
                }
            }
            using var logging = LoggerFactory.Create(b => b
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning));
            var options = new SimulatorOptions
            {
                Port = result.GetValue(port),
                MarketsFile = result.GetValue(markets),
                Seed = result.GetValue(seed),
                KeyDirectory = result.GetValue(keyDir) ?? DefaultKeyDirectory,
                StartingBalance = cash,
                LiquidityInterval = result.GetValue(noAgents) ? null : new SimulatorOptions().LiquidityInterval,
                Faults = initialFaults,
                LoggerFactory = logging,
            };

            SimulatedExchangeServer server;
            try
            {
                server = await SimulatedExchangeServer.StartAsync(options, ct);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
            {
                error.WriteLine($"error: the simulated exchange did not start: {e.Message}");
                return e is ArgumentException ? BadInput : StartFailed;
            }
            await using (server)
            {
                PrintBanner(output, server, options);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine("Stopping the simulated exchange…");
                }
                await server.StopAsync(CancellationToken.None);
            }
            output.WriteLine("Stopped.");
            return Ok;
        });
        return sim;
    }

    private static void PrintBanner(TextWriter output, SimulatedExchangeServer server, SimulatorOptions options)
    {
        int marketCount = server.Execute(x => x.GetMarkets().Count);
        var key = server.DemoKey;
        output.WriteLine($"Simulated Kalshi exchange running: {marketCount} markets, seed {options.Seed}, " +
                         (options.LiquidityInterval is null ? "no liquidity agents." : "liquidity agents trading."));
        output.WriteLine($"  REST       {server.RestBase}");
        output.WriteLine($"  WebSocket  {server.WebSocketUrl}");
        output.WriteLine($"  Control    {server.Root}_control  (loopback only: faults, markets, funds)");
        output.WriteLine($"Demo key ({(key.Reused ? "reused from the key directory" : "new")}), user {server.DemoUserId}, cash {options.StartingBalance.ToDisplayString()}:");
        output.WriteLine($"  key id     {key.KeyId}");
        output.WriteLine($"  key file   {key.PrivateKeyPath}");
        output.WriteLine("Try it:");
        output.WriteLine($"  trader kalshi check --env {server.Root.GetLeftPart(UriPartial.Authority)} --key-id {key.KeyId} --key-file {Quote(key.PrivateKeyPath!)}");
        output.WriteLine("Press Ctrl+C to stop.");
    }

    /// <summary>The option's value, or null when it did not parse (that option already carries its own error, e.g. --port many).</summary>
    private static int? ParsedOrNull(System.CommandLine.Parsing.CommandResult r, Option<int> option)
    {
        try
        {
            return r.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;

    internal static bool TryParseDollars(string? text, out Money money)
    {
        money = Money.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (!decimal.TryParse(text.Trim().TrimStart('$'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var dollars) || dollars <= 0) return false;
        try
        {
            money = Money.FromDollars(dollars);
            return true;
        }
        catch (Exception e) when (e is WireFormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}
