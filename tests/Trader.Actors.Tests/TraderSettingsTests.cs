using Akka.Configuration;
using Trader.Actors.Hosting;
using Trader.Core.Numbers;

namespace Trader.Actors.Tests;

public class TraderSettingsTests
{
    private static Config Defaults => TraderHocon.LoadDefaults();

    private static TraderSettings With(string hocon) =>
        TraderSettings.FromConfig(ConfigurationFactory.ParseString(hocon).WithFallback(Defaults));

    [Fact]
    public void The_shipped_defaults_are_the_originals()
    {
        var s = TraderSettings.FromConfig(Defaults);
        Assert.Equal(Money.FromDollars(100), s.Risk.MinCashReserve);
        Assert.Equal(TimeSpan.FromSeconds(60), s.RecalibrationInterval);
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(0, 5).Select(i => s.RecalibrationBackoff.Delay(i).TotalSeconds));
        Assert.Null(s.OrderTimeToLive);
        Assert.True(s.CancelRestingOnShutdown);
        Assert.Equal(TimeZoneInfo.Local, s.StatusTimeZone);
    }

    [Fact]
    public void Sigterm_belongs_to_the_host_not_to_akkas_process_exit_hook()
    {
        // With the hook on, Akka's SIGTERM handler ran the whole shutdown before the host's handlers saw the signal,
        // and `trader run` took the orderly stop for a crash (exit 1).
        Assert.False(Defaults.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook", true));
        Assert.False(Defaults.GetBoolean("akka.coordinated-shutdown.exit-clr", true));
    }

    [Fact]
    public void Overrides_apply()
    {
        var s = With("""trader { orders.time-to-live = 90s, risk.min-cash-reserve = "25.50", status.time-zone = UTC }""");
        Assert.Equal(TimeSpan.FromSeconds(90), s.OrderTimeToLive);
        Assert.Equal(Money.Parse("25.50"), s.Risk.MinCashReserve);
        Assert.Equal(TimeZoneInfo.Utc.Id, s.StatusTimeZone.Id);
    }

    [Theory]
    [InlineData("trader.risk.min-cash-reserve = \"ten\"", "setting trader.risk.min-cash-reserve = 'ten' it is not a plain decimal number")]
    [InlineData("trader.risk.min-cash-reserve = \"-5\"", "setting trader.risk.min-cash-reserve = '-5' must not be negative")]
    [InlineData("trader.risk.max-open-orders-per-market = 0", "setting trader.risk.max-open-orders-per-market = '0' must be a positive whole number")]
    [InlineData("trader.calibration.interval = soon", "setting trader.calibration.interval = 'soon' is not a duration")]
    [InlineData("trader.calibration.backoff-max = 5s", "setting trader.calibration.backoff-max = '5s' must not be shorter than backoff-min")]
    [InlineData("trader.status.time-zone = Mars/Olympus", "setting trader.status.time-zone = 'Mars/Olympus' is not a known time zone")]
    public void Bad_values_name_the_setting(string hocon, string message)
    {
        var ex = Assert.Throws<SettingsException>(() => With(hocon));
        Assert.StartsWith(message, ex.Message);
    }
}

public class DecisionSettingsTests
{
    [Fact]
    public void The_default_policy_is_the_shipped_onnx_model_behind_the_position_guard()
    {
        var settings = Trader.Actors.Decisions.DecisionSettings.FromConfig(TraderHocon.LoadDefaults());
        Assert.Equal("position-aware:onnx", settings.Policy);
        var path = settings.ResolveModelPath();
        Assert.True(File.Exists(path), $"{path} is missing");
        var policy = Trader.Policy.PolicyFactory.Create(settings.Policy, path);
        try
        {
            Assert.Equal(5, policy.ActionCount);
            Assert.Equal(5, settings.ActionSpaceFor(policy.ActionCount).Count);
        }
        finally
        {
            (policy as IDisposable)?.Dispose();
        }
    }

    [Theory]
    [InlineData("trader.decisions.contracts = \"0\"", "setting trader.decisions.contracts = '0' must be a positive number of contracts")]
    [InlineData("trader.decisions.throttle = never", "setting trader.decisions.throttle = 'never' is not a duration")]
    [InlineData("trader.decisions.temporal-inputs = magic", "setting trader.decisions.temporal-inputs = 'magic' must be computed or original-live")]
    [InlineData("trader.decisions.policy = \"\"", "setting trader.decisions.policy = '' must name a policy")]
    public void Bad_decision_settings_name_the_setting(string hocon, string message)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(TraderHocon.LoadDefaults());
        Assert.StartsWith(message, Assert.Throws<SettingsException>(() => Trader.Actors.Decisions.DecisionSettings.FromConfig(config)).Message);
    }
}
