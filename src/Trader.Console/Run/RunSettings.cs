using System.Globalization;
using Akka.Configuration;
using Trader.Actors;
using Trader.Core.Numbers;
using Trader.Kalshi.Rest;

namespace Trader.Console.Run;

/// <summary>Where the trader trades and with which key (<c>trader.exchange</c>).</summary>
public sealed record ExchangeSettings
{
    /// <summary>The embedded simulated exchange (<c>env = sim</c>): no environment until it has started.</summary>
    public bool Simulated { get; init; } = true;

    /// <summary>Kalshi's demo or production, or a URL; null for the embedded simulator.</summary>
    public KalshiEnvironment? Environment { get; init; }

    public string? KeyId { get; init; }
    public string? KeyFile { get; init; }
    public string? KeyEnv { get; init; }
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static ExchangeSettings FromConfig(Config config)
    {
        var env = (config.GetString("trader.exchange.env") ?? "sim").Trim();
        var keyId = Blank(config.GetString("trader.exchange.key-id"));
        var keyFile = Blank(config.GetString("trader.exchange.key-file"));
        var keyEnv = Blank(config.GetString("trader.exchange.key-env"));
        var timeout = SettingsReader.Duration(config, "trader.exchange.startup-timeout");
        if (env.Equals("sim", StringComparison.OrdinalIgnoreCase))
            return new ExchangeSettings { Simulated = true, KeyId = keyId, KeyFile = keyFile, KeyEnv = keyEnv, StartupTimeout = timeout };

        if (!KalshiEnvironment.TryParse(env, out var environment, out var why))
            throw new SettingsException("trader.exchange.env", env, $"is not sim, demo, prod or an http(s) URL ({why})");
        bool production = environment.IsProduction;
        if (production && !SettingsReader.OnOff(config, "trader.exchange.allow-production", false))
            throw new SettingsException("trader.exchange.env", env,
                "trades real money on Kalshi; to mean it, also pass --production (trader.exchange.allow-production = on)");
        if (keyId is null)
            throw new SettingsException("trader.exchange.key-id", "", $"is needed for env = {env} (the API key id Kalshi shows with the key)");
        if ((keyFile is null) == (keyEnv is null))
            throw new SettingsException(keyFile is null ? "trader.exchange.key-file" : "trader.exchange.key-env", keyFile ?? keyEnv ?? "",
                keyFile is null ? $"is needed for env = {env}: the private key's PEM file (or key-env, the variable holding it)"
                                : "and key-file are both set: give the private key one way only");
        return new ExchangeSettings { Simulated = false, Environment = environment, KeyId = keyId, KeyFile = keyFile, KeyEnv = keyEnv, StartupTimeout = timeout };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>The embedded simulated exchange (<c>trader.simulator</c>), used when <c>trader.exchange.env = sim</c>.</summary>
public sealed record SimulatorSettings
{
    public int Seed { get; init; } = 1;
    public string? MarketsFile { get; init; }
    public Money Balance { get; init; } = Money.FromDollars(1000);
    public int Port { get; init; }
    public string? KeyDirectory { get; init; }
    public bool Agents { get; init; } = true;

    public static SimulatorSettings FromConfig(Config config)
    {
        var seedText = config.GetString("trader.simulator.seed") ?? "1";
        if (!int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
            throw new SettingsException("trader.simulator.seed", seedText, "must be a whole number");
        var marketsFile = Blank(config.GetString("trader.simulator.markets-file"));
        if (marketsFile is not null && !File.Exists(marketsFile))
            throw new SettingsException("trader.simulator.markets-file", marketsFile, "does not exist");
        var balanceText = config.GetString("trader.simulator.balance") ?? "1000.00";
        Money balance;
        try
        {
            balance = Money.Parse(balanceText.Trim().TrimStart('$'));
        }
        catch (WireFormatException e)
        {
            throw new SettingsException("trader.simulator.balance", balanceText, e.Reason);
        }
        if (!balance.IsPositive) throw new SettingsException("trader.simulator.balance", balanceText, "must be more than 0");
        int port = SettingsReader.Port(config, "trader.simulator.port", 0);
        return new SimulatorSettings
        {
            Seed = seed,
            MarketsFile = marketsFile,
            Balance = balance,
            Port = port,
            KeyDirectory = Blank(config.GetString("trader.simulator.key-dir")),
            Agents = SettingsReader.OnOff(config, "trader.simulator.agents", true),
        };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public enum LogFormat
{
    Text,
    Json,
}

/// <summary>How the trader logs (<c>trader.logging</c>).</summary>
public sealed record LoggingSettings
{
    public LogFormat Format { get; init; } = LogFormat.Text;
    public Serilog.Events.LogEventLevel Level { get; init; } = Serilog.Events.LogEventLevel.Information;

    /// <summary>Draw the live view when standard output is a terminal (<c>live-view = auto</c>, text format only).</summary>
    public bool LiveView { get; init; } = true;

    /// <summary>The log file while the live view draws; null for the default under the user's data directory.</summary>
    public string? File { get; init; }

    /// <summary>Where the log goes while the live view owns the terminal.</summary>
    public string LogFile(DateTimeOffset now)
    {
        if (File is { } file) return Path.GetFullPath(file);
        string data = System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(data) ? Path.GetTempPath() : data, "trader", "logs", $"trader-{now.LocalDateTime:yyyyMMdd-HHmmss}.log");
    }

    public static LoggingSettings FromConfig(Config config)
    {
        var format = (config.GetString("trader.logging.format") ?? "text").Trim().ToLowerInvariant();
        var level = (config.GetString("trader.logging.level") ?? "information").Trim().ToLowerInvariant();
        var liveView = (config.GetString("trader.logging.live-view") ?? "auto").Trim().ToLowerInvariant();
        var file = config.GetString("trader.logging.file");
        return new LoggingSettings
        {
            LiveView = liveView switch
            {
                "auto" or "on" => true,
                "off" => false,
                _ => throw new SettingsException("trader.logging.live-view", liveView, "must be auto or off"),
            },
            File = string.IsNullOrWhiteSpace(file) ? null : file.Trim(),
            Format = format switch
            {
                "text" => LogFormat.Text,
                "json" => LogFormat.Json,
                _ => throw new SettingsException("trader.logging.format", format, "must be text or json"),
            },
            Level = level switch
            {
                "verbose" or "trace" => Serilog.Events.LogEventLevel.Verbose,
                "debug" => Serilog.Events.LogEventLevel.Debug,
                "information" or "info" => Serilog.Events.LogEventLevel.Information,
                "warning" or "warn" => Serilog.Events.LogEventLevel.Warning,
                "error" => Serilog.Events.LogEventLevel.Error,
                _ => throw new SettingsException("trader.logging.level", level, "must be verbose, debug, information, warning or error"),
            },
        };
    }
}
