using Trader.Core.Risk;
using Trader.Core.Trading;

namespace Trader.Core.Tests.Trading;

public class StreamHealthTests
{
    private static StreamStatus Orderbook(bool up, string detail = "") => new("orderbook", up, Required: false, detail);
    private static StreamStatus User(bool up, string detail = "") => new("user", up, Required: true, detail);

    [Fact]
    public void A_stream_first_seen_up_is_no_change_first_seen_down_is()
    {
        var h = StreamHealth.Empty.Report(User(true, "connected"), out var first);
        Assert.Equal(StreamChange.None, first);
        StreamHealth.Empty.Report(Orderbook(false, "503"), out var down);
        Assert.Equal(StreamChange.Down, down);
        h.Report(User(true, "again"), out var same);
        Assert.Equal(StreamChange.None, same);
        h = h.Report(User(false, "closed"), out var lost).Report(User(true, "back"), out var back);
        Assert.Equal((StreamChange.Down, StreamChange.Up), (lost, back));
        Assert.Equal("back", h.Streams["user"].Detail);
    }

    [Fact]
    public void Required_streams_down_block_optional_ones_degrade()
    {
        var h = StreamHealth.Empty.Report(User(false, "closed"), out _).Report(Orderbook(false, "503"), out _);
        Assert.Equal("user", Assert.Single(h.RequiredDown).Stream);
        Assert.Equal("orderbook down (503)", h.DegradedBy);
        h = h.Report(User(true), out _).Report(Orderbook(true), out _);
        Assert.Empty(h.RequiredDown);
        Assert.Null(h.DegradedBy);
    }

    [Fact]
    public void Health_summary_and_status_results()
    {
        var h = StreamHealth.Empty.Report(User(true), out _).Report(Orderbook(false, "503"), out _);
        Assert.Equal("exchange: ✓ | orderbook: ✗ (optional) | user: ✓", h.Summary(exchangeTradingActive: true));
        Assert.Equal("exchange: ✓ (trading paused)", StreamHealth.Empty.Summary(exchangeTradingActive: false));
        Assert.Equal("503 (optional: trading goes on, degraded)", StreamHealth.Describe(Orderbook(false, "503")));
        Assert.Equal("closed", StreamHealth.Describe(User(false, "closed")));
        Assert.Equal("connected", StreamHealth.Describe(User(true, "connected")));
    }
}

public class CalibrationHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Failures_back_off_exponentially_until_a_success_resets_them()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        var h = CalibrationHistory.Empty.Failure("exchange inactive", backoff, out var first)
            .Failure("timed out", backoff, out var second)
            .Failure("timed out", backoff, out var third);
        Assert.Equal([10, 20, 40], new[] { first, second, third }.Select(d => (int)d.TotalSeconds));
        Assert.Equal((3, "timed out", 0), (h.FailedInARow, h.LastError, h.Succeeded));

        h = h.Success(T0);
        Assert.Equal((0, null, 1, T0), (h.FailedInARow, h.LastError, h.Succeeded, h.Last));
        h.Failure("again", backoff, out var afterSuccess);
        Assert.Equal(TimeSpan.FromSeconds(10), afterSuccess);
    }

    [Fact]
    public void Errors_since_the_last_success_reach_the_threshold()
    {
        var h = CalibrationHistory.Empty.Error().Error();
        Assert.False(h.ErrorsReach(3));
        h = h.Error();
        Assert.True(h.ErrorsReach(3));
        Assert.False(h.Success(T0).ErrorsReach(3));
    }
}
