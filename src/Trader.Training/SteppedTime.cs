namespace Trader.Training;

/// <summary>A clock that moves only when told: the simulation's time, so a session is the same every run.</summary>
public sealed class SteppedTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
