using Akka.Configuration;
using Trader.Core.Numbers;
using Trader.Core.Risk;

namespace Trader.Actors;

/// <summary>The trader's settings (the <c>trader { }</c> section of <c>hocon/trader.conf</c>), validated.</summary>
public sealed record TraderSettings
{
    public RiskLimits Risk { get; init; } = RiskLimits.Default;

    public TimeSpan RecalibrationInterval { get; init; } = TimeSpan.FromSeconds(60);
    public Backoff RecalibrationBackoff { get; init; } = Backoff.Recalibration;
    public TimeSpan CalibrationTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int ErrorsBeforeRecalibration { get; init; } = 3;

    public TimeSpan ActingTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan? OrderTimeToLive { get; init; }
    public TimeSpan UnknownLookupDelay { get; init; } = TimeSpan.FromSeconds(1);
    public int UnknownLookupsBeforeAbsent { get; init; } = 3;
    public bool CancelRestingOnShutdown { get; init; } = true;

    public TimeSpan FillPollInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan InitialFillLookback { get; init; } = TimeSpan.FromHours(24);

    public int MaxStashedActions { get; init; } = 100;
    public TimeSpan MaxStashedActionAge { get; init; } = TimeSpan.FromSeconds(5);

    public TimeZoneInfo StatusTimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Makes client order ids: a fresh UUID each (Kalshi keeps them unique per account forever). Replays
    /// substitute a deterministic sequence.</summary>
    public Func<string> NewClientOrderId { get; init; } = () => Guid.NewGuid().ToString();

    /// <summary>Reads and validates the <c>trader</c> section; a bad value throws <see cref="SettingsException"/> naming the setting.</summary>
    public static TraderSettings FromConfig(Config config)
    {
        var t = config.GetConfig("trader") ?? throw new SettingsException("trader", "", "the 'trader' section is missing");
        var reserve = ReadMoney(t, "risk.min-cash-reserve");
        if (reserve.IsNegative) throw new SettingsException("trader.risk.min-cash-reserve", t.GetString("risk.min-cash-reserve"), "must not be negative");
        int maxPosition = PositiveInt(t, "risk.max-position-per-market");
        int maxOpen = PositiveInt(t, "risk.max-open-orders-per-market");
        var backoffMin = Duration(t, "calibration.backoff-min");
        var backoffMax = Duration(t, "calibration.backoff-max");
        if (backoffMax < backoffMin)
            throw new SettingsException("trader.calibration.backoff-max", t.GetString("calibration.backoff-max"), $"must not be shorter than backoff-min ({backoffMin})");

        return new TraderSettings
        {
            Risk = new RiskLimits(reserve, Quantity.FromContracts(maxPosition), maxOpen),
            RecalibrationInterval = Duration(t, "calibration.interval"),
            RecalibrationBackoff = new Backoff(backoffMin, backoffMax),
            CalibrationTimeout = Duration(t, "calibration.timeout"),
            ErrorsBeforeRecalibration = PositiveInt(t, "calibration.errors-before-recalibration"),
            ActingTimeout = Duration(t, "orders.acting-timeout"),
            OrderTimeToLive = OptionalDuration(t, "orders.time-to-live"),
            UnknownLookupDelay = Duration(t, "orders.unknown-lookup-delay"),
            UnknownLookupsBeforeAbsent = PositiveInt(t, "orders.unknown-lookups-before-absent"),
            CancelRestingOnShutdown = t.GetBoolean("orders.cancel-resting-on-shutdown", true),
            FillPollInterval = Duration(t, "sync.fill-poll-interval"),
            InitialFillLookback = Duration(t, "sync.initial-fill-lookback"),
            MaxStashedActions = PositiveInt(t, "stash.max-actions"),
            MaxStashedActionAge = Duration(t, "stash.max-age"),
            StatusTimeZone = Zone(t, "status.time-zone"),
        };
    }

    private static TimeSpan Duration(Config c, string path) => SettingsReader.Duration(c, path, "trader." + path);

    private static TimeSpan? OptionalDuration(Config c, string path)
    {
        var text = c.GetString(path);
        return text is null || text is "off" or "none" or "" ? null : Duration(c, path);
    }

    private static int PositiveInt(Config c, string path)
    {
        var text = c.GetString(path) ?? throw new SettingsException("trader." + path, "", "is missing");
        if (!int.TryParse(text, out int v) || v <= 0) throw new SettingsException("trader." + path, text, "must be a positive whole number");
        return v;
    }

    private static Money ReadMoney(Config c, string path)
    {
        var text = c.GetString(path) ?? throw new SettingsException("trader." + path, "", "is missing");
        try
        {
            return Money.Parse(text);
        }
        catch (WireFormatException ex)
        {
            throw new SettingsException("trader." + path, text, ex.Reason);
        }
    }

    private static TimeZoneInfo Zone(Config c, string path)
    {
        var text = c.GetString(path) ?? "local";
        if (text.Equals("local", StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Local;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(text);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new SettingsException("trader." + path, text, "is not a known time zone");
        }
    }
}

/// <summary>A setting with a bad value; the message names the setting, the value and what is wrong.</summary>
public sealed class SettingsException(string setting, string value, string problem)
    : Exception($"setting {setting} = '{value}' {problem}")
{
    public string Setting { get; } = setting;
    public string Value { get; } = value;
    public string Problem { get; } = problem;
}
