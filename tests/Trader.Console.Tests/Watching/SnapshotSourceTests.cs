using Akka.Hosting;
using Akka.TestKit.TestActors;
using Akka.TestKit.Xunit2;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Hosting;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Console.Watching;
using Trader.Core.Trading;

namespace Trader.Console.Tests.Watching;

/// <summary>What the snapshot and readiness say when actors are missing or stuck: never a hang, always a reason.</summary>
public sealed class SnapshotSourceTests : TestKit
{
    private readonly StatusLogStore _store = new();
    private readonly TraderMetrics _metrics = new();

    private TraderSnapshotSource Source(ActorRegistry registry) =>
        new(registry, _store, new TraderSettings { StatusTimeZone = TimeZoneInfo.Utc }, _metrics) { AskTimeout = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Actors_that_do_not_answer_are_named_and_the_rest_is_still_there()
    {
        var registry = new ActorRegistry();
        registry.Register<TraderCoordinator>(Sys.ActorOf(BlackHoleActor.Props));
        registry.Register<MarketWatcher>(Sys.ActorOf(BlackHoleActor.Props));
        _metrics.Orders.Inc("placed");

        var snapshot = await Source(registry).CaptureAsync();

        Assert.Equal("unknown", snapshot.State);
        Assert.False(snapshot.Ready);
        Assert.Null(snapshot.Balances);
        Assert.Equal(
            ["coordinator: no answer within 0.2s", "open orders: no answer within 0.2s", "positions: no answer within 0.2s", "market watch: no answer within 0.2s"],
            snapshot.Unavailable);
        Assert.Null(snapshot.Decisions); // no decision loop registered: not a failure
        Assert.Equal("off", snapshot.MarketData.Status);
        Assert.Equal(1, snapshot.Counters.Orders["placed"]);

        var (report, problem) = await Source(registry).GetStatusAsync();
        Assert.Null(report);
        var (status, text) = TraderEndpoints.Readiness(report, problem);
        Assert.Equal(503, status);
        Assert.Equal("not ready: unknown (coordinator: no answer within 0.2s)", text);
    }

    [Fact]
    public async Task Nothing_registered_yet_means_not_running()
    {
        var snapshot = await Source(new ActorRegistry()).CaptureAsync();
        Assert.Equal("unknown", snapshot.State);
        Assert.Contains("coordinator: not running", snapshot.Unavailable);
        Assert.Contains("market watch: not running", snapshot.Unavailable);
    }

    [Theory]
    [InlineData(TraderState.Ready, null, 200, "ready: ready")]
    [InlineData(TraderState.Acting, null, 200, "ready: acting")]
    [InlineData(TraderState.Idle, null, 503, "not ready: idle")]
    [InlineData(TraderState.Calibrating, null, 503, "not ready: calibrating")]
    [InlineData(TraderState.Error, "calibration failed: exchange inactive", 503, "not ready: error (calibration failed: exchange inactive)")]
    public void Readiness_is_ready_or_acting_only(TraderState state, string? error, int status, string text)
    {
        var report = new TraderStatusReport(state, DateTimeOffset.UnixEpoch, TradingState.Empty, error, 1, null, []);
        Assert.Equal((status, text), TraderEndpoints.Readiness(report, null));
    }
}
