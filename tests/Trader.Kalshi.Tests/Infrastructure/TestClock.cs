namespace Trader.Kalshi.Tests.Infrastructure;

/// <summary>
/// A manual <see cref="TimeProvider"/> for tests: time moves only when a test says so, and a test can see which timers
/// are pending (the client's backoff delays, token-bucket waits, request timeouts) and wait until one is scheduled.
/// <see cref="RunUntilAsync{T}"/> drives an operation to completion by advancing to each short timer as it appears —
/// no real sleeping, no guessing how long the code under test takes.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private TaskCompletionSource _scheduled = NewSignal();

    public TestClock(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 6, 11, 6, 29, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate) return _now.UtcTicks;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Due times of the pending timers, relative to now.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays()
    {
        lock (_gate) return _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value - _now).OrderBy(d => d).ToList();
    }

    /// <summary>Completes the next time a timer is scheduled (or rescheduled).</summary>
    public Task NextScheduled()
    {
        lock (_gate) return _scheduled.Task;
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate) target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is not null && t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null)
                {
                    _now = target;
                    return;
                }
                if (next.Due > _now) _now = next.Due!.Value;
                next.Due = next.Period is { } p && p > TimeSpan.Zero ? _now + p : null;
            }
            next.Fire();
        }
    }

    /// <summary>
    /// Awaits <paramref name="operation"/>, advancing time to every timer due within <paramref name="maxStep"/> as soon
    /// as one is pending. Timers further away (e.g. a request timeout while a real HTTP exchange is in flight) are left
    /// alone unless <paramref name="maxStep"/> covers them. Fails after <paramref name="realTimeout"/> of real time.
    /// </summary>
    public async Task<T> RunUntilAsync<T>(Task<T> operation, TimeSpan maxStep, TimeSpan? realTimeout = null)
    {
        await RunUntilAsync((Task)operation, maxStep, realTimeout);
        return await operation;
    }

    public async Task RunUntilAsync(Task operation, TimeSpan maxStep, TimeSpan? realTimeout = null)
    {
        using var guard = new CancellationTokenSource(realTimeout ?? TimeSpan.FromSeconds(20));
        var gave = Task.Delay(Timeout.InfiniteTimeSpan, guard.Token);
        while (!operation.IsCompleted)
        {
            var signal = NextScheduled();
            var due = PendingDelays().Where(d => d <= maxStep).Cast<TimeSpan?>().FirstOrDefault();
            if (due is { } step)
            {
                Advance(step < TimeSpan.Zero ? TimeSpan.Zero : step);
                await Task.Yield();
                continue;
            }
            var done = await Task.WhenAny(operation, signal, gave);
            if (done == gave) throw new TimeoutException($"the operation did not complete; pending timers: {string.Join(", ", PendingDelays())}");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _scheduled;
            _scheduled = NewSignal();
        }
        old.TrySetResult();
    }

    private sealed class ManualTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due;
        public TimeSpan? Period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                if (!clock._timers.Contains(this)) clock._timers.Add(this);
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }
            if (Due is not null) clock.Signal();
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
