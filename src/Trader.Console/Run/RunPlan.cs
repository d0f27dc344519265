using System.Collections;
using Trader.Actors;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Kalshi.Signing;
using Trader.Policy;

namespace Trader.Console.Run;

/// <summary>What a <c>trader run</c> command line asks for, before anything is validated.</summary>
public sealed record RunRequest
{
    /// <summary>The settings file (<c>--config</c>).</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Command-line values of settings, in order: (setting, value, the flag that gave it).</summary>
    public IReadOnlyList<(string Setting, string Value, string Flag)> Flags { get; init; } = [];

    /// <summary>The environment whose <c>TRADER_…</c> variables are read (the process's by default).</summary>
    public IDictionary? Environment { get; init; }

    /// <summary>Where the HOCON defaults are (<c>hocon/</c> next to the program when null).</summary>
    public string? HoconDirectory { get; init; }

    public bool PrintConfig { get; init; }

    /// <summary>Record the session to this tape (<c>--record</c>).</summary>
    public string? RecordPath { get; init; }

    /// <summary>Stop by itself after this long, as on SIGTERM (<c>--stop-after</c>).</summary>
    public TimeSpan? StopAfter { get; init; }
}

/// <summary>
/// Everything a run needs, validated before anything starts: the layered configuration with each value's source, the
/// typed settings of every part, the policy (its model loaded and its shapes checked) and the exchange's key. Building
/// a plan is where a bad value, a missing key file, a model that does not fit or an impossible limit stops the
/// program — with a message naming the setting and where its value came from — before it connects or trades.
/// </summary>
public sealed class RunPlan : IDisposable
{
    private RunPlan(LayeredConfig layers)
    {
        Layers = layers;
    }

    public LayeredConfig Layers { get; }
    public Akka.Configuration.Config Config => Layers.Config;
    public TraderSettings Trader { get; private init; } = null!;
    public DecisionSettings Decisions { get; private init; } = null!;
    public MarketDataSettings MarketData { get; private init; } = null!;
    public ExchangeSettings Exchange { get; private init; } = null!;
    public SimulatorSettings Simulator { get; private init; } = null!;
    public LoggingSettings Logging { get; private init; } = null!;
    public Watching.HttpSettings Http { get; private init; } = null!;

    /// <summary>The policy, loaded once here to check it; the decision actor gets its own instance from <see cref="NewPolicy"/>.</summary>
    public IPolicy Policy { get; private init; } = null!;

    /// <summary>The API key for demo/prod/URL; null for the embedded simulator (it makes its own demo key).</summary>
    public KalshiCredentials? Credentials { get; private init; }

    /// <summary>Builds the configured policy (the decision loop's own instance).</summary>
    public IPolicy NewPolicy() => PolicyFactory.Create(Decisions.Policy, Decisions.ResolveModelPath());

    /// <summary>
    /// Layers the configuration and validates every part. Throws <see cref="ConfigurationError"/> with a message that names
    /// the setting, its value and its source.
    /// </summary>
    public static RunPlan Build(RunRequest request)
    {
        Akka.Configuration.Config defaults;
        try
        {
            defaults = TraderHocon.LoadDefaults(request.HoconDirectory);
        }
        catch (FileNotFoundException e)
        {
            throw new ConfigurationError(e.Message);
        }
        var layers = LayeredConfig.FromDefaults(defaults);
        if (request.SettingsFile is { } file) layers.AddFile(file);
        layers.AddEnvironment(request.Environment ?? System.Environment.GetEnvironmentVariables());
        foreach (var (setting, value, flag) in request.Flags) layers.Set(setting, value, flag);

        var config = layers.Config;
        try
        {
            var trader = TraderSettings.FromConfig(config);
            var decisions = DecisionSettings.FromConfig(config);
            var marketData = MarketDataSettings.FromConfig(config);
            var exchange = ExchangeSettings.FromConfig(config);
            var simulator = SimulatorSettings.FromConfig(config);
            var logging = LoggingSettings.FromConfig(config);
            var http = Watching.HttpSettings.FromConfig(config);

            var policy = LoadPolicy(decisions, layers);
            try
            {
                var space = decisions.ActionSpaceFor(policy.ActionCount);
                var largest = space.Sizes.Max();
                if (largest > trader.Risk.MaxPositionPerMarket)
                {
                    throw new ConfigurationError(
                        $"impossible limit: the policy's orders are up to {largest.ToWireString()} contracts " +
                        $"(trader.decisions.contracts = {decisions.Contracts.ToWireString()}, from {layers.SourceOf("trader.decisions.contracts")}; " +
                        $"{policy.ActionCount} actions) but trader.risk.max-position-per-market is {trader.Risk.MaxPositionPerMarket.ToWireString()} " +
                        $"(from {layers.SourceOf("trader.risk.max-position-per-market")}): every order would be refused");
                }
                var credentials = exchange.Simulated ? null : LoadCredentials(exchange, layers);
                return new RunPlan(layers)
                {
                    Trader = trader,
                    Decisions = decisions,
                    MarketData = marketData,
                    Exchange = exchange,
                    Simulator = simulator,
                    Logging = logging,
                    Http = http,
                    Policy = policy,
                    Credentials = credentials,
                };
            }
            catch
            {
                (policy as IDisposable)?.Dispose();
                throw;
            }
        }
        catch (SettingsException e)
        {
            throw new ConfigurationError($"{e.Message} (from {layers.SourceOf(e.Setting)})");
        }
    }

    /// <summary>The effective settings for <c>--print-config</c>: the key id shortened; nothing else is secret in them.</summary>
    public string RenderConfig() => Layers.Render(Mask);

    internal static string? Mask(string setting, string? value)
    {
        if (string.IsNullOrEmpty(value)) return value;
        return setting.EndsWith("key-id", StringComparison.Ordinal)
            ? (value.Length <= 8 ? "****" : value[..4] + "…" + value[^4..] + " (masked)")
            : null;
    }

    private static IPolicy LoadPolicy(DecisionSettings decisions, LayeredConfig layers)
    {
        try
        {
            return PolicyFactory.Create(decisions.Policy, decisions.ResolveModelPath());
        }
        catch (PolicyConfigurationException e)
        {
            throw new ConfigurationError($"setting trader.decisions.policy = '{decisions.Policy}' (from {layers.SourceOf("trader.decisions.policy")}): {e.Message}");
        }
        catch (PolicyModelException e)
        {
            throw new ConfigurationError($"setting trader.decisions.model = '{decisions.ModelPath}' (from {layers.SourceOf("trader.decisions.model")}): {e.Message}");
        }
    }

    private static KalshiCredentials LoadCredentials(ExchangeSettings exchange, LayeredConfig layers)
    {
        string setting = exchange.KeyFile is not null ? "trader.exchange.key-file" : "trader.exchange.key-env";
        try
        {
            return exchange.KeyFile is { } file
                ? KalshiCredentials.FromFile(exchange.KeyId!, file)
                : KalshiCredentials.FromEnvironment(exchange.KeyId!, exchange.KeyEnv!);
        }
        catch (KalshiKeyException e)
        {
            throw new ConfigurationError($"setting {setting} (from {layers.SourceOf(setting)}): {e.Message}");
        }
    }

    public void Dispose()
    {
        (Policy as IDisposable)?.Dispose();
        Credentials?.Dispose();
    }
}
