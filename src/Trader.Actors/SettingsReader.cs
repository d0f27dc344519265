using System.Globalization;
using Akka.Configuration;

namespace Trader.Actors;

/// <summary>
/// Reads the kinds of value every settings section has — durations, on/off switches, TCP ports — with one wording of
/// what is wrong, as a <see cref="SettingsException"/> naming the setting. <paramref name="name"/> is the setting's full
/// name when <c>config</c> is a sub-section read with a relative path.
/// </summary>
public static class SettingsReader
{
    /// <summary>A positive HOCON duration (<c>500ms</c>, <c>10s</c>, <c>1m</c>).</summary>
    public static TimeSpan Duration(Config config, string path, string? name = null)
    {
        name ??= path;
        var text = config.GetString(path) ?? throw new SettingsException(name, "", "is missing");
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(path);
        }
        catch (Exception ex) when (ex is FormatException or ConfigurationException or ArgumentException or OverflowException)
        {
            throw new SettingsException(name, text, "is not a duration (use e.g. 500ms, 10s, 1m)");
        }
        if (value <= TimeSpan.Zero) throw new SettingsException(name, text, "must be positive");
        return value;
    }

    /// <summary>A switch: <c>on</c>/<c>off</c> (also true/false, yes/no); <paramref name="fallback"/> when absent.</summary>
    public static bool OnOff(Config config, string path, bool fallback, string? name = null)
    {
        var text = config.GetString(path);
        if (text is null) return fallback;
        return text.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new SettingsException(name ?? path, text, "is not on or off"),
        };
    }

    /// <summary>A TCP port, 0 to 65535 (0: pick a free one); <paramref name="fallback"/> when absent.</summary>
    public static int Port(Config config, string path, int fallback, string? name = null)
    {
        var text = config.GetString(path) ?? fallback.ToString(CultureInfo.InvariantCulture);
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new SettingsException(name ?? path, text, "is not a TCP port (0 to 65535; 0 picks a free one)");
        return port;
    }
}
