using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

/// <summary>TestKit with virtual time: timers fire only when a test advances the <see cref="TestScheduler"/>.</summary>
public abstract class ActorTest(ITestOutputHelper output) : TestKit(Config, output)
{
    private const string Config = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = INFO
        # Expectations wait up to 10 s (not 3 s): CI runs every test project at once on two cores.
        akka.test.single-expect-default = 10s
        akka.actor.debug.unhandled = on
        """;

    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    protected static TraderSettings Settings { get; } = new() { StatusTimeZone = TimeZoneInfo.Utc };
}
