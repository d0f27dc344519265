using Akka.Configuration;

namespace Trader.Actors.MarketData;

/// <summary>Which markets to trade and how the streams connect (<c>trader.market-data</c> in <c>hocon/trader.conf</c>).</summary>
public sealed record MarketDataSettings
{
    /// <summary>Explicit tickers; when empty the markets come from <see cref="Series"/> or <see cref="Event"/>.</summary>
    public IReadOnlyList<string> Markets { get; init; } = [];
    public string? Series { get; init; }
    public string? Event { get; init; }
    public int MaxMarkets { get; init; } = 10;
    public bool UseYesPrice { get; init; }
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Random spread of each reconnect delay, as a fraction of it (0 = none; replays use none).</summary>
    public double ReconnectJitter { get; init; } = 0.2;
    public bool UserStream { get; init; } = true;

    public static MarketDataSettings FromConfig(Config config)
    {
        var m = config.GetConfig("trader.market-data");
        if (m is null) return new MarketDataSettings();
        int max = m.GetInt("max-markets", 10);
        if (max <= 0) throw new SettingsException("trader.market-data.max-markets", max.ToString(), "must be positive");
        var markets = m.GetStringList("markets") ?? [];
        foreach (var t in markets)
        {
            if (string.IsNullOrWhiteSpace(t) || t.Any(char.IsWhiteSpace))
                throw new SettingsException("trader.market-data.markets", t, "is not a market ticker");
        }
        var min = m.GetTimeSpan("reconnect-min", TimeSpan.FromSeconds(1));
        var maxBackoff = m.GetTimeSpan("reconnect-max", TimeSpan.FromSeconds(60));
        if (min <= TimeSpan.Zero) throw new SettingsException("trader.market-data.reconnect-min", m.GetString("reconnect-min"), "must be positive");
        if (maxBackoff < min) throw new SettingsException("trader.market-data.reconnect-max", m.GetString("reconnect-max"), "must not be shorter than reconnect-min");
        double jitter = m.GetDouble("reconnect-jitter", 0.2);
        if (jitter is < 0 or > 1) throw new SettingsException("trader.market-data.reconnect-jitter", m.GetString("reconnect-jitter"), "must be between 0 and 1");
        return new MarketDataSettings
        {
            ReconnectJitter = jitter,
            Markets = markets.Distinct(StringComparer.Ordinal).ToList(),
            Series = Blank(m.GetString("series")),
            Event = Blank(m.GetString("event")),
            MaxMarkets = max,
            UseYesPrice = m.GetBoolean("use-yes-price", false),
            ReconnectMin = min,
            ReconnectMax = maxBackoff,
            UserStream = m.GetBoolean("user-stream", true),
        };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
