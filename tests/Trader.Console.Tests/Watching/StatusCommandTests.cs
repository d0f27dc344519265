using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trader.Console.Commands;
using Trader.Console.Watching;
using Trader.Core.Status;

namespace Trader.Console.Tests.Watching;

/// <summary><c>trader status</c> against a running trader's endpoints, and against nothing.</summary>
public sealed class StatusCommandTests
{
    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Prints_the_status_log_of_a_running_trader_or_with_json_its_whole_status()
    {
        await using var trader = await RunningTrader.StartAsync();
        await trader.UntilReadyAsync();

        var (code, output, error) = await Run("status", "--url", trader.Url.ToString());
        Assert.True(code == StatusCommand.Ok, error);
        // What /status.txt served when asked: the log, newest first (it may have grown by the time this compares).
        var expected = StatusText.Format(trader.StatusLog.Current.Entries, TimeZoneInfo.Utc).Split('\n');
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(expected[^lines.Length..], lines);
        Assert.EndsWith(" calibrating startup", lines[^1]);
        Assert.Contains(lines, l => l.Contains(" ready cash $1000.00"));

        (code, output, _) = await Run("status", "--json", "--url", trader.Url.GetLeftPart(UriPartial.Authority)); // no trailing slash
        Assert.Equal(StatusCommand.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("ready", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_trader_that_is_not_running_gives_a_clear_message_and_exit_code_1()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, output, error) = await Run("status", "--url", $"http://127.0.0.1:{port}");
        Assert.Equal(StatusCommand.NotAnswering, code);
        Assert.Equal("", output);
        Assert.Contains($"no trader is answering at http://127.0.0.1:{port}/ (connection refused)", error);
        Assert.Contains("trader run", error);
        Assert.Contains("--url", error);
    }

    [Fact]
    public async Task Something_else_at_the_address_is_reported_with_its_answer()
    {
        await using var trader = await RunningTrader.StartAsync();
        var (code, _, error) = await Run("status", "--url", new Uri(trader.Url, "nothing-here/").ToString());
        Assert.Equal(StatusCommand.NotAnswering, code);
        Assert.Contains("answered 404", error);
        Assert.Contains("is this a trader's address?", error);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:8790")]
    [InlineData("127.0.0.1:8790")]
    [InlineData("not a url")]
    public async Task A_bad_url_is_refused_before_anything_is_asked(string url)
    {
        var (code, _, error) = await Run("status", "--url", url);
        Assert.Equal(TraderCommand.BadArguments, code);
        Assert.Contains($"--url '{url}' is not an http:// address", error);
    }

    [Fact]
    public async Task Help_explains_status_with_examples_and_the_default_address()
    {
        var (code, output, _) = await Run("status", "--help");
        Assert.Equal(0, code);
        Assert.Contains("status log", output);
        Assert.Contains("Examples:", output);
        Assert.Contains("trader status --json", output);
        Assert.Contains($"http://127.0.0.1:{HttpSettings.DefaultPort}/", output);
        Assert.Contains("status", (await Run("--help")).Out);
    }
}
