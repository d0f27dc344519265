using Trader.Core.Status;

namespace Trader.Core.Tests.Status;

public class StatusLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 15, 45, 12, TimeSpan.Zero);

    [Fact]
    public void Base_state_is_the_text_before_the_first_arrow()
    {
        Assert.Equal("calibrating", StatusLog.BaseOf("calibrating -> syncing state"));
        Assert.Equal("calibrating", StatusLog.BaseOf("calibrating"));
        Assert.Equal("paused: orderbook_no_data", StatusLog.BaseOf("paused: orderbook_no_data"));
        Assert.Equal("a", StatusLog.BaseOf("a -> b -> c"));
    }

    [Fact]
    public void Tracks_state_entry_time_previous_state_and_time_in_status()
    {
        var log = StatusLog.Empty.Record(T0, "calibrating", "startup");
        Assert.Equal("calibrating", log.CurrentState);
        Assert.Null(log.PreviousState);
        Assert.Equal(TimeSpan.Zero, log.Last!.TimeInStatus);

        log = log.Record(T0.AddSeconds(1), "calibrating -> checking exchange");
        Assert.Equal(TimeSpan.FromSeconds(1), log.Last!.TimeInStatus);
        Assert.Equal("calibrating", log.Last.BaseState);

        log = log.Record(T0.AddSeconds(2.5), "calibrating -> syncing state", "Balance: $987.40 (unchanged)", TimeSpan.FromSeconds(0.8));
        log = log.Record(T0.AddSeconds(3), "ready", "cash $987.40");
        Assert.Equal("ready", log.CurrentState);
        Assert.Equal("calibrating", log.PreviousState);
        Assert.Equal(TimeSpan.FromSeconds(3), log.PreviousStateDuration);
        Assert.Equal(TimeSpan.Zero, log.Last!.TimeInStatus);
        Assert.Equal(TimeSpan.FromSeconds(7), log.TimeInState(T0.AddSeconds(10)));
        Assert.Equal("ready", log.CurrentStatus);
    }

    [Fact]
    public void Keeps_the_last_fifty_entries()
    {
        var log = StatusLog.Empty;
        for (int i = 0; i < 60; i++) log = log.Record(T0.AddSeconds(i), "ready", $"entry {i}");
        Assert.Equal(50, log.Entries.Count);
        Assert.Equal("entry 10", log.Entries[0].Result);
        Assert.Equal("entry 59", log.Last!.Result);
    }

    [Fact]
    public void Per_state_statistics_reset_when_the_state_is_entered()
    {
        var log = StatusLog.Empty.Record(T0, "ready").CountDecision(true).CountDecision(false).CountDecision(false);
        Assert.Equal(new TradingStats(1, 2), log.CurrentStats);
        log = log.Record(T0.AddSeconds(60), "calibrating", "periodic").CountDecision(false);
        Assert.Equal(new TradingStats(0, 1), log.CurrentStats);
        Assert.Equal(new TradingStats(1, 2), log.StatsByState["ready"]);
        log = log.Record(T0.AddSeconds(61), "ready");
        Assert.Equal(new TradingStats(0, 0), log.CurrentStats);
        Assert.Equal(new TradingStats(1, 3), log.SessionStats);
    }

    [Fact]
    public void Copy_paste_text_is_newest_first_with_the_duration_once()
    {
        var log = StatusLog.Empty
            .Record(T0, "calibrating", "cash $987.40 | 4 trades | 37 no-ops | 60.3s")
            .Record(T0.AddSeconds(1), "calibrating -> syncing state", "Balance: $987.40 (unchanged) | Portfolio: $1012.15 | Positions: 2 active", TimeSpan.FromMilliseconds(812))
            .Record(T0.AddSeconds(2), "calibrating -> verifying orders")
            .Record(T0.AddSeconds(2), "ready", "cash $987.40");
        var text = StatusText.Format(log.Entries, TimeZoneInfo.Utc);
        Assert.Equal(
            "3:45:14 PM ready cash $987.40\n" +
            "3:45:14 PM calibrating -> verifying orders\n" +
            "3:45:13 PM calibrating -> syncing state Balance: $987.40 (unchanged) | Portfolio: $1012.15 | Positions: 2 active (0.8s)\n" +
            "3:45:12 PM calibrating cash $987.40 | 4 trades | 37 no-ops | 60.3s",
            text);
        Assert.Equal(2, StatusText.Format(log.Entries, TimeZoneInfo.Utc, max: 2).Split('\n').Length);
    }

    [Fact]
    public void Formats_in_the_given_time_zone_and_morning_hours()
    {
        var entry = new StatusEntry(new DateTimeOffset(2026, 11, 25, 5, 3, 9, TimeSpan.Zero), "ready", null, TimeSpan.FromSeconds(60.25), TimeSpan.Zero);
        Assert.Equal("5:03:09 AM ready (60.3s)", StatusText.FormatLine(entry, TimeZoneInfo.Utc));
        var plus2 = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        Assert.Equal("7:03:09 AM ready (60.3s)", StatusText.FormatLine(entry, plus2));
    }
}
