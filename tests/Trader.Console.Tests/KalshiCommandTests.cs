using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trader.Console.Commands;
using Trader.Kalshi.Signing;

namespace Trader.Console.Tests;

/// <summary>`trader kalshi sign` and `trader kalshi check`, run in process; check against a loopback exchange.</summary>
public sealed class KalshiCommandTests : IAsyncLifetime
{
    private const string KeyId = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c";
    private static readonly RSA Key = RSA.Create(2048);
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-console-").FullName;
    private WebApplication _app = null!;
    private string _url = "";
    private Func<HttpContext, Task> _balance = ctx => Json(ctx, 200, """{"balance":9801,"balance_dollars":"98.0186","portfolio_value":198,"updated_ts":1781159348}""");

    private string KeyFile
    {
        get
        {
            string path = Path.Combine(_dir, "key.pem");
            if (!File.Exists(path)) File.WriteAllText(path, Key.ExportPkcs8PrivateKeyPem());
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ctx => ctx.Request.Path.Value switch
        {
            "/trade-api/v2/exchange/status" => Json(ctx, 200, """{"exchange_active":true,"trading_active":false}"""),
            "/trade-api/v2/portfolio/balance" => _balance(ctx),
            _ => Json(ctx, 404, """{"error":{"code":"not_found","message":"not found"}}"""),
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static Task Json(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body);
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Sign_prints_three_headers_that_verify_over_the_path_without_the_query()
    {
        var (code, output, error) = await Run("kalshi", "sign", "--key-id", KeyId, "--key-file", KeyFile, "--method", "get",
            "--path", "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/orders?limit=5", "--timestamp", "1703123456789");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal($"-H 'KALSHI-ACCESS-KEY: {KeyId}' \\", lines[0]);
        Assert.Equal("-H 'KALSHI-ACCESS-TIMESTAMP: 1703123456789' \\", lines[1]);
        string signature = lines[2]["-H 'KALSHI-ACCESS-SIGNATURE: ".Length..^1];
        Assert.True(KalshiSignature.Verify(Key, 1703123456789, "GET", "/trade-api/v2/portfolio/orders", signature));
        Assert.Contains("1703123456789GET/trade-api/v2/portfolio/orders", error);
        Assert.DoesNotContain("PRIVATE KEY", output + error);
    }

    [Fact]
    public async Task Sign_reads_a_key_from_an_environment_variable_with_literal_newlines()
    {
        // Not TRADER_…: this variable lives in the test process's environment, which `trader run` tests in other classes
        // read at the same time, and a TRADER_ variable that names no setting stops their run with a configuration error.
        string name = "KALSHI_CONSOLE_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, Key.ExportRSAPrivateKeyPem().Replace("\n", "\\n"));
        try
        {
            var (code, output, _) = await Run("kalshi", "sign", "--key-id", KeyId, "--key-env", name, "--method", "POST", "--path", "/trade-api/v2/portfolio/events/orders");
            Assert.Equal(0, code);
            Assert.Contains("KALSHI-ACCESS-SIGNATURE", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData(new[] { "kalshi", "sign", "--key-file", "x.pem", "--path", "/trade-api/v2/x" }, "--key-id")]
    [InlineData(new[] { "kalshi", "sign", "--key-id", "k", "--path", "/trade-api/v2/x" }, "exactly one of --key-file and --key-env")]
    [InlineData(new[] { "kalshi", "sign", "--key-id", "k", "--key-file", "x.pem", "--path", "/portfolio/balance" }, "must start at /trade-api/")]
    [InlineData(new[] { "kalshi", "sign", "--key-id", "k", "--key-file", "x.pem", "--path", "/trade-api/v2/x", "--method", "PATCH" }, "PATCH")]
    [InlineData(new[] { "kalshi", "sign", "--key-id", "k", "--key-file", "x.pem", "--path", "/trade-api/v2/x", "--timestamp", "1703123456" }, "milliseconds")]
    [InlineData(new[] { "kalshi", "check", "--env", "staging" }, "'staging' is not an environment")]
    [InlineData(new[] { "kalshi", "check", "--key-id", "k" }, "--key-id needs the private key")]
    [InlineData(new[] { "kalshi", "nonsense" }, "nonsense")]
    public async Task Bad_arguments_say_what_is_wrong_and_exit_non_zero(string[] args, string expected)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(TraderCommand.BadArguments, code);
        Assert.Contains(expected, error);
        Assert.Contains("--help", error);
    }

    [Fact]
    public async Task Trader_help_lists_the_commands()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("kalshi", output);
        Assert.Contains("run", output);
        Assert.Contains("sim", output);
    }

    [Fact]
    public async Task A_missing_key_file_is_named()
    {
        string missing = Path.Combine(_dir, "absent.pem");
        var (code, _, error) = await Run("kalshi", "sign", "--key-id", KeyId, "--key-file", missing, "--path", "/trade-api/v2/portfolio/balance");
        Assert.Equal(KalshiCommands.BadInput, code);
        Assert.Contains($"The key file '{missing}' does not exist.", error);
    }

    [Fact]
    public async Task Help_explains_with_examples()
    {
        var (code, output, _) = await Run("kalshi", "check", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Examples:", output);
        Assert.Contains("trader kalshi check --env demo", output);
    }

    [Fact]
    public async Task Check_reports_status_clock_and_authentication()
    {
        var (code, output, _) = await Run("kalshi", "check", "--env", _url, "--key-id", KeyId, "--key-file", KeyFile);
        Assert.Equal(0, code);
        Assert.Contains("ok      exchange reachable: exchange active, trading paused", output);
        Assert.Contains("ok      clock: within", output);
        Assert.Contains($"ok      authenticated with key {KeyId}: balance $98.02", output);
    }

    [Fact]
    public async Task Check_without_a_key_checks_the_exchange_only()
    {
        var (code, output, _) = await Run("kalshi", "check", "--env", _url);
        Assert.Equal(0, code);
        Assert.Contains("skipped authentication", output);
    }

    [Theory]
    [InlineData("""{"error":{"code":"authentication_error","message":"authentication_error","details":"INCORRECT_API_KEY_SIGNATURE"}}""", "bad signature")]
    [InlineData("""{"error":{"code":"authentication_error","message":"authentication_error","details":"NOT_FOUND"}}""", "unknown key id")]
    [InlineData("""{"error":{"code":"header_timestamp_expired","message":"header timestamp expired"}}""", "clock skew")]
    [InlineData("""{"error":{"code":"signature_is_missing_from_headers","message":"signature is missing from headers"}}""", "the signature headers did not reach the exchange")]
    public async Task Check_explains_each_authentication_failure(string body, string expected)
    {
        _balance = ctx => Json(ctx, 401, body);
        var (code, output, _) = await Run("kalshi", "check", "--env", _url, "--key-id", KeyId, "--key-file", KeyFile);
        Assert.Equal(KalshiCommands.CheckFailed, code);
        Assert.Contains("FAILED  authenticate: " + expected, output);
    }

    [Fact]
    public async Task Check_says_when_the_host_is_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (code, output, _) = await Run("kalshi", "check", "--env", $"http://127.0.0.1:{port}");
        Assert.Equal(KalshiCommands.CheckFailed, code);
        Assert.Contains("FAILED  reach the exchange: cannot reach 127.0.0.1", output);
    }
}
