using System.Net;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Trader.Actors;
using Trader.Actors.Hosting;
using Trader.Console.Watching;

namespace Trader.Console.Tests.Watching;

public sealed class HttpSettingsTests
{
    private static HttpSettings With(string hocon) =>
        HttpSettings.FromConfig(ConfigurationFactory.ParseString(hocon).WithFallback(TraderHocon.LoadDefaults()));

    [Fact]
    public void The_shipped_default_is_on_loopback_only()
    {
        var s = HttpSettings.FromConfig(TraderHocon.LoadDefaults());
        Assert.True(s.Enabled);
        Assert.Equal(IPAddress.Loopback, s.Host);
        Assert.Equal(HttpSettings.DefaultPort, s.Port);
        Assert.Equal(new Uri("http://127.0.0.1:8790/"), s.LocalUrl);
        Assert.Equal(s, HttpSettings.FromConfig(Config.Empty));
    }

    [Fact]
    public void Overrides_apply_and_a_wildcard_host_is_reached_on_loopback()
    {
        var s = With("""trader.http { enabled = off, host = "0.0.0.0", port = 9100 }""");
        Assert.False(s.Enabled);
        Assert.Equal(IPAddress.Any, s.Host);
        Assert.Equal(new Uri("http://127.0.0.1:9100/"), s.LocalUrl);
        Assert.Equal(new Uri("http://[::1]:0/"), With("""trader.http { host = "::", port = 0 }""").LocalUrl);
    }

    [Theory]
    [InlineData("trader.http.port = 70000", "setting trader.http.port = '70000' is not a TCP port")]
    [InlineData("trader.http.port = -1", "setting trader.http.port = '-1' is not a TCP port")]
    [InlineData("trader.http.port = web", "setting trader.http.port = 'web' is not a TCP port")]
    [InlineData("trader.http.host = localhost", "setting trader.http.host = 'localhost' is not an IP address")]
    [InlineData("trader.http.host = \"trader.example.com\"", "setting trader.http.host = 'trader.example.com' is not an IP address")]
    [InlineData("trader.http.enabled = maybe", "setting trader.http.enabled = 'maybe' is not on or off")]
    public void Bad_values_name_the_setting(string hocon, string message)
    {
        var ex = Assert.Throws<SettingsException>(() => With(hocon));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public async Task Port_0_binds_a_free_port_on_the_configured_address_and_exposes_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseTraderHttp(With("trader.http.port = 0"));
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        await app.StartAsync();

        var url = app.BoundAddress();
        Assert.NotNull(url);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Off_starts_no_listener_at_all()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseTraderHttp(With("trader.http.enabled = off"));
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        await app.StartAsync();
        Assert.Null(app.BoundAddress());
        await app.StopAsync();
    }
}
