using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using Trader.Actors;

namespace Trader.Console.Watching;

/// <summary>
/// Where the status endpoints listen (<c>trader.http</c> in <c>hocon/trader.conf</c>), validated. The default is
/// 127.0.0.1:<see cref="DefaultPort"/>: the endpoints need no key and show balances, positions and orders, so they are
/// never open to other hosts unless a host is configured.
/// </summary>
public sealed record HttpSettings
{
    /// <summary>The default port: next to the simulated exchange's example port (8700), unlikely to be taken.</summary>
    public const int DefaultPort = 8790;

    public static HttpSettings Default { get; } = new();

    /// <summary>Off: no HTTP listener at all.</summary>
    public bool Enabled { get; init; } = true;

    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// The URL a client on this machine uses to reach the endpoints: the configured address, or loopback when the host
    /// is a wildcard (0.0.0.0, ::). With port 0 the real port is only known once bound (<see cref="TraderHttp.BoundAddress"/>).
    /// </summary>
    public Uri LocalUrl
    {
        get
        {
            var host = Host.Equals(IPAddress.Any) ? IPAddress.Loopback
                : Host.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : Host;
            string literal = host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
            return new Uri($"http://{literal}:{Port.ToString(CultureInfo.InvariantCulture)}/");
        }
    }

    /// <summary>Reads <c>trader.http</c>; a missing section gives the defaults; a bad value throws <see cref="SettingsException"/> naming it.</summary>
    public static HttpSettings FromConfig(Config config)
    {
        var http = config.GetConfig("trader.http");
        if (http is null || http.IsEmpty) return Default;

        bool enabled = SettingsReader.OnOff(http, "enabled", true, "trader.http.enabled");

        var hostText = http.GetString("host") ?? "127.0.0.1";
        if (!IPAddress.TryParse(hostText.Trim().Trim('[', ']'), out var host))
            throw new SettingsException("trader.http.host", hostText,
                "is not an IP address (use 127.0.0.1 for this machine only, or 0.0.0.0 / :: to listen on every interface)");

        int port = SettingsReader.Port(http, "port", DefaultPort, "trader.http.port");

        return new HttpSettings { Enabled = enabled, Host = host, Port = port };
    }
}
