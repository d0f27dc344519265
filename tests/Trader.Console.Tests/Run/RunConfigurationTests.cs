using System.Collections;
using System.Security.Cryptography;
using Trader.Actors.Hosting;
using Trader.Console.Commands;
using Trader.Console.Run;
using Trader.Core.Numbers;

namespace Trader.Console.Tests.Run;

/// <summary>
/// The run command's configuration: layers in increasing precedence (defaults, settings file, TRADER_ variables,
/// flags), every value's source, and validation that stops a bad run before it connects, naming the setting and source.
/// </summary>
public sealed class RunConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-run-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly IDictionary NoEnvironment = new Hashtable();

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static RunPlan Plan(string? file = null, IDictionary? env = null, params (string, string, string)[] flags) =>
        RunPlan.Build(new RunRequest { SettingsFile = file, Environment = env ?? NoEnvironment, Flags = flags });

    private static string Error(Func<RunPlan> build) => Assert.Throws<ConfigurationError>(() => build().Dispose()).Message;

    [Fact]
    public void Each_layer_overrides_the_one_below_and_is_named_as_the_source()
    {
        var file = File("settings.conf", """
            trader.risk.max-position-per-market = 40
            trader.risk.max-open-orders-per-market = 4
            trader.decisions.throttle = 400ms
            """);
        var env = new Hashtable
        {
            ["TRADER_RISK__MAX_OPEN_ORDERS_PER_MARKET"] = "3",
            ["TRADER_DECISIONS__THROTTLE"] = "300ms",
            ["PATH"] = "/usr/bin",
        };
        using var plan = Plan(file, env, ("trader.decisions.throttle", "200ms", "--set trader.decisions.throttle"));

        Assert.Equal(Quantity.FromContracts(40), plan.Trader.Risk.MaxPositionPerMarket);
        Assert.Equal(3, plan.Trader.Risk.MaxOpenOrdersPerMarket);
        Assert.Equal(TimeSpan.FromMilliseconds(200), plan.Decisions.Throttle);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.Trader.RecalibrationInterval);

        Assert.Equal($"settings file {file}", plan.Layers.SourceOf("trader.risk.max-position-per-market"));
        Assert.Equal("environment variable TRADER_RISK__MAX_OPEN_ORDERS_PER_MARKET", plan.Layers.SourceOf("trader.risk.max-open-orders-per-market"));
        Assert.Equal("--set trader.decisions.throttle", plan.Layers.SourceOf("trader.decisions.throttle"));
        Assert.Equal("the defaults in hocon/trader.conf", plan.Layers.SourceOf("trader.calibration.interval"));
    }

    [Theory]
    [InlineData("TRADER_RISK__MIN_CASH_RESERVE", "trader.risk.min-cash-reserve")]
    [InlineData("TRADER_MARKET_DATA__MARKETS", "trader.market-data.markets")]
    [InlineData("TRADER_EXCHANGE__KEY_ID", "trader.exchange.key-id")]
    public void Environment_variables_map_to_settings_both_ways(string variable, string setting)
    {
        Assert.Equal(setting, LayeredConfig.SettingOfVariable(variable));
        Assert.Equal(variable, LayeredConfig.VariableOf(setting));
    }

    [Fact]
    public void A_list_setting_takes_comma_separated_values_from_variables_and_flags()
    {
        var env = new Hashtable { ["TRADER_MARKET_DATA__MARKETS"] = "A-1, B-2" };
        using (var plan = Plan(env: env)) Assert.Equal(["A-1", "B-2"], plan.MarketData.Markets);
        using (var plan = Plan(env: env, flags: ("trader.market-data.markets", "C-3", "--markets"))) Assert.Equal(["C-3"], plan.MarketData.Markets);
    }

    [Fact]
    public void A_name_that_is_no_setting_is_refused_wherever_it_comes_from()
    {
        var env = new Hashtable { ["TRADER_RISK__MAX_POSITON_PER_MARKET"] = "10" };
        var e = Error(() => Plan(env: env));
        Assert.Contains("environment variable TRADER_RISK__MAX_POSITON_PER_MARKET names no setting", e);
        Assert.Contains("did you mean 'trader.risk.max-position-per-market'?", e);

        var file = File("typo.conf", "trader { decisions { polcy = hold } }");
        e = Error(() => Plan(file));
        Assert.Contains($"settings file {file}: 'trader.decisions.polcy' is not a setting", e);
        Assert.Contains("did you mean 'trader.decisions.policy'?", e);

        e = Error(() => Plan(flags: ("trader.risk.nothing", "1", "--set trader.risk.nothing")));
        Assert.Contains("--set trader.risk.nothing: 'trader.risk.nothing' is not a setting", e);

        var foreign = File("foreign.conf", "logging { level = debug }");
        Assert.Contains("'logging' is not a section the trader reads", Error(() => Plan(foreign)));
    }

    [Fact]
    public void A_settings_file_that_is_missing_or_not_hocon_is_named()
    {
        var missing = Path.Combine(_dir, "absent.conf");
        Assert.Contains($"the settings file '{missing}' does not exist", Error(() => Plan(missing)));
        var broken = File("broken.conf", "trader {\n  risk = [ }");
        Assert.Contains($"the settings file '{broken}' is not valid HOCON: line 2: '}}' does not match the '[' opened on line 2", Error(() => Plan(broken)));
        var unclosed = File("unclosed.conf", "trader {\n  risk { max-position-per-market = 3 }\n");
        Assert.Contains("line 1: '{' is never closed", Error(() => Plan(unclosed)));
        var extra = File("extra.conf", "trader { decisions.policy = \"{hold]\" } }  # a } in a comment");
        Assert.Contains("line 1: '}' closes nothing", Error(() => Plan(extra)));
    }

    [Theory]
    [InlineData("TRADER_RISK__MAX_POSITION_PER_MARKET", "lots", "setting trader.risk.max-position-per-market = 'lots' must be a positive whole number")]
    [InlineData("TRADER_RISK__MIN_CASH_RESERVE", "-5.00", "setting trader.risk.min-cash-reserve = '-5.00' must not be negative")]
    [InlineData("TRADER_CALIBRATION__INTERVAL", "soon", "setting trader.calibration.interval = 'soon' is not a duration")]
    [InlineData("TRADER_DECISIONS__CONTRACTS", "0", "setting trader.decisions.contracts = '0' must be a positive number of contracts")]
    [InlineData("TRADER_LOGGING__FORMAT", "xml", "setting trader.logging.format = 'xml' must be text or json")]
    [InlineData("TRADER_SIMULATOR__PORT", "70000", "setting trader.simulator.port = '70000' is not a TCP port")]
    [InlineData("TRADER_EXCHANGE__ENV", "staging", "setting trader.exchange.env = 'staging' is not sim, demo, prod or an http(s) URL")]
    public void A_bad_value_names_the_setting_the_value_and_its_source(string variable, string value, string expected)
    {
        var e = Error(() => Plan(env: new Hashtable { [variable] = value }));
        Assert.Contains(expected, e);
        Assert.Contains($"(from environment variable {variable})", e);
    }

    [Fact]
    public void Production_needs_the_explicit_opt_in_and_a_key()
    {
        var e = Error(() => Plan(flags: ("trader.exchange.env", "prod", "--env")));
        Assert.Contains("trades real money on Kalshi", e);
        Assert.Contains("--production", e);

        e = Error(() => Plan(flags: [("trader.exchange.env", "prod", "--env"), ("trader.exchange.allow-production", "on", "--production")]));
        Assert.Contains("trader.exchange.key-id", e);

        e = Error(() => Plan(flags: [("trader.exchange.env", "demo", "--env"), ("trader.exchange.key-id", "abc", "--key-id")]));
        Assert.Contains("setting trader.exchange.key-file", e);
    }

    [Fact]
    public void A_missing_or_broken_key_file_is_named_without_its_content()
    {
        var missing = Path.Combine(_dir, "absent.pem");
        var e = Error(() => Plan(flags: [("trader.exchange.env", "demo", "--env"), ("trader.exchange.key-id", "abc", "--key-id"), ("trader.exchange.key-file", missing, "--key-file")]));
        Assert.Contains("setting trader.exchange.key-file (from --key-file)", e);
        Assert.Contains(missing, e);

        var publicKey = File("public.pem", RSA.Create(2048).ExportSubjectPublicKeyInfoPem());
        e = Error(() => Plan(flags: [("trader.exchange.env", "demo", "--env"), ("trader.exchange.key-id", "abc", "--key-id"), ("trader.exchange.key-file", publicKey, "--key-file")]));
        Assert.Contains(publicKey, e);
        Assert.DoesNotContain("BEGIN", e);
    }

    [Fact]
    public void A_key_that_loads_gives_credentials_for_a_remote_exchange()
    {
        using var rsa = RSA.Create(2048);
        var key = File("key.pem", rsa.ExportPkcs8PrivateKeyPem());
        using var plan = Plan(flags: [("trader.exchange.env", "http://127.0.0.1:8700", "--env"), ("trader.exchange.key-id", "abc", "--key-id"), ("trader.exchange.key-file", key, "--key-file")]);
        Assert.False(plan.Exchange.Simulated);
        Assert.Equal("abc", plan.Credentials!.KeyId);
        Assert.Equal(new Uri("http://127.0.0.1:8700/trade-api/v2"), plan.Exchange.Environment!.RestBase);
    }

    [Fact]
    public void A_policy_or_model_that_cannot_be_used_stops_the_run()
    {
        var e = Error(() => Plan(flags: ("trader.decisions.policy", "magic", "--policy")));
        Assert.Contains("setting trader.decisions.policy = 'magic' (from --policy): unknown policy 'magic'", e);

        var notAModel = File("model.onnx", "not a model");
        e = Error(() => Plan(flags: [("trader.decisions.policy", "onnx", "--policy"), ("trader.decisions.model", notAModel, "--model")]));
        Assert.Contains($"setting trader.decisions.model = '{notAModel}' (from --model)", e);
    }

    [Fact]
    public void An_impossible_limit_is_refused()
    {
        var e = Error(() => Plan(env: new Hashtable { ["TRADER_RISK__MAX_POSITION_PER_MARKET"] = "3" }));
        Assert.Contains("impossible limit", e);
        Assert.Contains("trader.decisions.contracts = 5.00", e);
        Assert.Contains("trader.risk.max-position-per-market is 3.00 (from environment variable TRADER_RISK__MAX_POSITION_PER_MARKET)", e);
    }

    [Fact]
    public async Task Print_config_shows_every_setting_with_its_source_and_masks_the_key_id()
    {
        using var rsa = RSA.Create(2048);
        var key = File("key.pem", rsa.ExportPkcs8PrivateKeyPem());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TraderCommand.RunAsync(
            ["run", "--env", "demo", "--key-id", "a952bcbe-ec3b-4b5b-b8f9-11dae589608c", "--key-file", key, "--set", "risk.max-open-orders-per-market=2", "--print-config"],
            output, error);
        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("trader.exchange.env = \"demo\"   # --env", text);
        Assert.Contains("trader.exchange.key-id = \"a952…608c (masked)\"   # --key-id", text);
        Assert.DoesNotContain("a952bcbe-ec3b", text);
        Assert.Contains($"trader.exchange.key-file = \"{key}\"   # --key-file", text);
        Assert.Contains("trader.risk.max-open-orders-per-market = \"2\"   # --set trader.risk.max-open-orders-per-market", text);
        Assert.Contains("trader.calibration.interval = \"60s\"   # the defaults in hocon/trader.conf", text);
        Assert.DoesNotContain("PRIVATE KEY", text);
    }

    [Fact]
    public async Task A_configuration_error_exits_2_before_anything_starts()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TraderCommand.RunAsync(["run", "--set", "trader.risk.max-position-per-market=none"], output, error);
        Assert.Equal(TraderRunner.BadConfiguration, code);
        Assert.Contains("error: setting trader.risk.max-position-per-market = 'none' must be a positive whole number (from --set trader.risk.max-position-per-market)", error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("00:00:05", 5)]
    public void Durations_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(RunCommand.TryParseDuration(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Fact]
    public void Run_is_the_default_verb()
    {
        Assert.Equal(["run"], TraderCommand.WithDefaultVerb([]));
        Assert.Equal(["run", "--env", "demo"], TraderCommand.WithDefaultVerb(["--env", "demo"]));
        Assert.Equal(["--help"], TraderCommand.WithDefaultVerb(["--help"]));
        Assert.Equal(["sim", "--port", "1"], TraderCommand.WithDefaultVerb(["sim", "--port", "1"]));
    }

    [Fact]
    public void The_defaults_load_from_the_programs_hocon_directory()
    {
        Assert.True(TraderHocon.LoadDefaults().HasPath("trader.exchange.env"));
    }
}
