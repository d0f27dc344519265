using System.Text;
using System.Text.RegularExpressions;
using Trader.Console.Commands;

namespace Trader.Console.Tests;

/// <summary>`trader sim`, run in process: it starts, prints what to use, answers the kalshi commands, and stops on cancel.</summary>
public sealed partial class SimCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Sim_prints_its_urls_and_demo_key_serves_kalshi_check_and_stops_cleanly_on_cancel()
    {
        var output = new WatchedWriter("Press Ctrl+C to stop.");
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        string keyDir = Path.Combine(_dir, "key");
        var running = TraderCommand.RunAsync(["sim", "--port", "0", "--key-dir", keyDir, "--seed", "3", "--balance", "250.50", "--no-agents"], output, error, stop.Token);
        await output.Seen.WaitAsync(TimeSpan.FromSeconds(30));

        string banner = output.ToString();
        var rest = RestLine().Match(banner);
        Assert.True(rest.Success, banner);
        string root = rest.Groups[1].Value;
        Assert.Contains($"WebSocket  ws://{root["http://".Length..]}/trade-api/ws/v2", banner);
        string keyId = KeyIdLine().Match(banner).Groups[1].Value;
        string keyFile = Path.Combine(keyDir, "sim-demo-key.pem");
        Assert.Contains($"key file   {keyFile}", banner);
        Assert.Contains("cash $250.50", banner);
        Assert.Contains($"trader kalshi check --env {root} --key-id {keyId} --key-file {keyFile}", banner);
        Assert.DoesNotContain("PRIVATE KEY", banner + error);

        var (code, checkOutput, _) = await Run("kalshi", "check", "--env", root, "--key-id", keyId, "--key-file", keyFile);
        Assert.Equal(0, code);
        Assert.Contains($"ok      authenticated with key {keyId}: balance $250.50", checkOutput);

        await stop.CancelAsync();
        Assert.Equal(SimCommand.Ok, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.EndsWith("Stopped." + Environment.NewLine, output.ToString());
    }

    [Fact]
    public async Task Help_explains_sim_with_examples()
    {
        var (code, output, _) = await Run("sim", "--help");
        Assert.Equal(0, code);
        Assert.Contains("simulated Kalshi exchange", output);
        Assert.Contains("Examples:", output);
        Assert.Contains("trader sim --port 8700", output);
        Assert.Contains("--key-dir", output);
        Assert.Contains("sim", (await Run("--help")).Out);
    }

    [Theory]
    [InlineData(new[] { "sim", "--port", "70000" }, "--port 70000")]
    [InlineData(new[] { "sim", "--port", "many" }, "many")]
    [InlineData(new[] { "sim", "--markets", "/no/such/markets.json" }, "/no/such/markets.json")]
    [InlineData(new[] { "sim", "--balance", "lots" }, "--balance 'lots'")]
    [InlineData(new[] { "sim", "--balance", "-5" }, "--balance '-5'")]
    [InlineData(new[] { "sim", "--balance", "0" }, "--balance '0'")]
    [InlineData(new[] { "sim", "--faults", "/no/such/faults.json" }, "/no/such/faults.json")]
    public async Task Bad_arguments_say_what_is_wrong_and_exit_non_zero(string[] args, string expected)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(TraderCommand.BadArguments, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task A_fault_file_with_an_unknown_setting_is_refused_by_name()
    {
        string faults = Path.Combine(_dir, "faults.json");
        await File.WriteAllTextAsync(faults, """{"websocket_upgrade_503":-1,"drop_everything":true}""");
        var (code, _, error) = await Run("sim", "--faults", faults, "--key-dir", Path.Combine(_dir, "k"));
        Assert.Equal(SimCommand.BadInput, code);
        Assert.Contains("drop_everything", error);
        Assert.Contains(faults, error);
    }

    [GeneratedRegex(@"REST\s+(http://127\.0\.0\.1:\d+)/trade-api/v2")]
    private static partial Regex RestLine();

    [GeneratedRegex(@"key id\s+([0-9a-f-]{36})")]
    private static partial Regex KeyIdLine();
}
