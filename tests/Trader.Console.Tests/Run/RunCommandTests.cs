using System.Text.Json;
using Trader.Console.Commands;
using Trader.Console.Run;
using Trader.Replay.Replaying;
using Trader.Replay.Tapes;

namespace Trader.Console.Tests.Run;

/// <summary>
/// <c>trader run</c> in process, on its embedded simulated exchange: it calibrates, trades, logs as configured, records a
/// replayable tape, and stops cleanly when cancelled (as Ctrl+C and SIGTERM do).
/// </summary>
public sealed partial class RunCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Args(params string[] more) =>
        ["run", "--set", $"simulator.key-dir={Path.Combine(_dir, "key")}", "--set", "simulator.seed=5", "--policy", "heuristic", "--http-port", "0", .. more];

    [Fact]
    public async Task Runs_on_the_embedded_simulator_trades_and_stops_cleanly()
    {
        var output = new WatchedWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var running = TraderCommand.RunAsync(Args(), output, error, stop.Token);
        try
        {
            await output.WaitForAsync("Trader status: ready").WaitAsync(Patience);
            await output.WaitForAsync(" accepted, ").WaitAsync(Patience);

            // The status endpoints of the running trader (port 0: the address it bound is logged).
            var url = StatusUrl().Match(output.ToString()).Groups[1].Value;
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode); // READY or ACTING
            Assert.Contains("ready", await http.GetStringAsync("status.txt"));
            Assert.Contains("trader_orders_total", await http.GetStringAsync("metrics"));
        }
        finally
        {
            await stop.CancelAsync();
        }
        int code = await running.WaitAsync(Patience);

        var text = output.ToString();
        Assert.True(code == TraderRunner.Ok, $"exit {code}: {error}\n{text}");
        Assert.Contains("Trading 6 markets on the embedded simulated exchange", text);
        Assert.Contains("Trader status: calibrating -> syncing state - Balance: $1000.00", text);
        Assert.True(text.Contains("-> stopped - canceled"), text);
        Assert.Contains(" INF Stopped" + Environment.NewLine, text);
        Assert.DoesNotContain("PRIVATE KEY", text);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Status endpoints on ""?(http://[^\s""]+)")]
    private static partial System.Text.RegularExpressions.Regex StatusUrl();

    [Fact]
    public async Task A_taken_http_port_stops_the_run_with_the_setting_named()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var error = new StringWriter();
        string[] args = [.. Args()[..^2], "--http-port", port.ToString()];
        int code = await TraderCommand.RunAsync(args, new StringWriter(), error);
        Assert.Equal(TraderRunner.BadConfiguration, code);
        Assert.Contains($"error: setting trader.http.port (from --http-port): cannot listen on 127.0.0.1:{port}", error.ToString());
    }

    [Fact]
    public async Task A_series_is_resolved_to_its_open_markets_through_the_exchange()
    {
        var output = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var running = TraderCommand.RunAsync(Args("--series", "KXHIGHNY"), output, new StringWriter(), stop.Token);
        try
        {
            await output.WaitForAsync("Trader status: ready").WaitAsync(Patience);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(TraderRunner.Ok, await running.WaitAsync(Patience));
        Assert.Contains("Trading 1 market on the embedded simulated exchange", output.ToString());
        Assert.Contains("with policy heuristic: KXHIGHNY-26DEC01-B45.5\n", output.ToString().Replace("\r", ""));

        var error = new StringWriter();
        int code = await TraderCommand.RunAsync(Args("--series", "KXNOPE"), new StringWriter(), error);
        Assert.Equal(TraderRunner.BadConfiguration, code);
        Assert.Contains("error: series 'KXNOPE' (trader.market-data.series, from --series) has no open markets on the embedded simulated exchange", error.ToString());
    }

    [Fact]
    public async Task An_unknown_market_stops_the_run_before_it_trades()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TraderCommand.RunAsync(Args("--markets", "KXNOPE-1"), output, error);
        Assert.Equal(TraderRunner.BadConfiguration, code);
        Assert.Contains("error: setting trader.market-data.markets (from --markets): 'KXNOPE-1' is not a market on the embedded simulated exchange", error.ToString());
        Assert.DoesNotContain("Trader status", output.ToString());
    }

    [Fact]
    public async Task Json_logs_carry_the_actor_path_and_the_market_as_properties()
    {
        var output = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var running = TraderCommand.RunAsync(Args("--log-format", "json"), output, new StringWriter(), stop.Token);
        try
        {
            await output.WaitForAsync(" accepted, ").WaitAsync(Patience);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(TraderRunner.Ok, await running.WaitAsync(Patience));

        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _) && e.TryGetProperty("@m", out _)));
        var accepted = events.First(e => e.GetProperty("@m").GetString()!.Contains(" accepted, "));
        Assert.Equal("akka://trader/user/trader/orders", accepted.GetProperty("ActorPath").GetString());
        Assert.False(string.IsNullOrEmpty(accepted.GetProperty("Market").GetString()));
        Assert.Contains(events, e => e.GetProperty("@m").GetString()!.StartsWith("Trader status: ready"));
    }

    [Fact]
    public async Task Records_a_tape_without_secrets_that_replays_through_the_actors()
    {
        var tapePath = Path.Combine(_dir, "session.jsonl.gz");
        var output = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var running = TraderCommand.RunAsync(Args("--record", tapePath), output, new StringWriter(), stop.Token);
        try
        {
            await output.WaitForAsync(" accepted, ").WaitAsync(Patience);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(TraderRunner.Ok, await running.WaitAsync(Patience));

        var tape = TapeReader.Read(tapePath);
        Assert.Equal("embedded simulated exchange", tape.Header.Exchange);
        Assert.Equal(6, tape.Header.Markets.Count);
        Assert.Contains("trader.decisions.policy = \"heuristic\"", tape.Header.Config);
        Assert.Contains(tape.Entries, e => e.Kind == TapeEntryKind.Http && e.Path!.EndsWith("/portfolio/events/orders"));
        Assert.Contains(tape.Entries, e => e.Kind == TapeEntryKind.WsReceive);
        var raw = await ReadAllText(tapePath);
        Assert.DoesNotContain("KALSHI-ACCESS", raw, StringComparison.OrdinalIgnoreCase);
        var keyId = File.ReadAllText(Path.Combine(_dir, "key", "sim-demo-key.id")).Trim();
        Assert.DoesNotContain(keyId, raw);

        var replay = Replayer.Run(tape);
        Assert.Contains(replay.Transitions, t => t.To == Trader.Actors.Coordinator.TraderState.Ready);
        Assert.NotEmpty(replay.Decisions);
        Assert.NotEmpty(replay.OrdersSent);
    }

    private static async Task<string> ReadAllText(string gzPath)
    {
        await using var file = File.OpenRead(gzPath);
        await using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return await reader.ReadToEndAsync();
    }
}
