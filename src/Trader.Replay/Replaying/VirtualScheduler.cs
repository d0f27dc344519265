using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Trader.Replay.Replaying;

/// <summary>
/// An Akka scheduler on virtual time for replays: time stands still until <see cref="AdvanceTo"/> moves it, which runs
/// every timer due on the way, in due order (ties in scheduling order), on the caller's thread. It starts at the time
/// given by <c>akka.scheduler.virtual-start</c> (an ISO 8601 time: a replay starts at its tape's first entry), so the
/// times actors read and log are the recording's.
/// <para>Install with <c>akka.scheduler.implementation = "Trader.Replay.Replaying.VirtualScheduler, Trader.Replay"</c>.</para>
/// </summary>
public sealed class VirtualScheduler : SchedulerBase
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Item, (DateTimeOffset Due, long Order)> _queue = new();
    private readonly DateTimeOffset _origin;
    private DateTimeOffset _now;
    private long _order;

    public VirtualScheduler(Config schedulerConfig, ILoggingAdapter log)
        : base(schedulerConfig, log)
    {
        var start = schedulerConfig.GetString("akka.scheduler.virtual-start", null) ?? schedulerConfig.GetString("virtual-start", null);
        _now = _origin = start is null ? DateTimeOffset.UnixEpoch : DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override DateTimeOffset TimeNow => _now;

    /// <summary>The virtual now.</summary>
    public DateTimeOffset CurrentTime
    {
        get
        {
            lock (_gate) return _now;
        }
    }

    public override TimeSpan MonotonicClock => _now - _origin;

    public override TimeSpan HighResMonotonicClock => _now - _origin;

    /// <summary>Moves time forward to <paramref name="when"/> (never back), running every timer due by then.</summary>
    public void AdvanceTo(DateTimeOffset when)
    {
        while (true)
        {
            Item item;
            lock (_gate)
            {
                if (!_queue.TryPeek(out item!, out var key) || key.Due > when) break;
                _queue.Dequeue();
                if (key.Due > _now) _now = key.Due;
            }
            if (item.Cancelable?.IsCancellationRequested == true) continue;
            item.Run();
            if (item.Interval is { } interval && item.Cancelable?.IsCancellationRequested != true)
                Enqueue(_now + interval, item);
        }
        lock (_gate)
        {
            if (when > _now) _now = when;
        }
    }

    /// <summary>The time of the next timer, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate) return _queue.TryPeek(out _, out var key) ? key.Due : null;
        }
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, null, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender,
        ICancelable cancelable) =>
        Schedule(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) => Schedule(delay, null, action, cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) => Schedule(delay, null, action.Run, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action.Run, cancelable);

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> (then every <paramref name="interval"/>) unless canceled.</summary>
    internal void Schedule(TimeSpan delay, TimeSpan? interval, Action action, ICancelable? cancelable)
    {
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        if (interval is { } i && i <= TimeSpan.Zero) interval = TimeSpan.FromTicks(1);
        DateTimeOffset due;
        lock (_gate) due = _now + delay;
        Enqueue(due, new Item(action, interval, cancelable));
    }

    private void Enqueue(DateTimeOffset due, Item item)
    {
        lock (_gate) _queue.Enqueue(item, (due, _order++));
    }

    private sealed record Item(Action Run, TimeSpan? Interval, ICancelable? Cancelable);
}

/// <summary>A <see cref="TimeProvider"/> on a <see cref="VirtualScheduler"/>: the Kalshi client's clock, timeouts and retry delays in a replay.</summary>
public sealed class VirtualTimeProvider(VirtualScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.CurrentTime;

    public override long GetTimestamp() => scheduler.CurrentTime.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new VirtualTimer(scheduler, callback, state, dueTime, period);

    private sealed class VirtualTimer : ITimer
    {
        private readonly VirtualScheduler _scheduler;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private Cancelable? _current;

        public VirtualTimer(VirtualScheduler scheduler, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _scheduler = scheduler;
            _callback = callback;
            _state = state;
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _current?.Cancel();
            _current = null;
            if (dueTime == Timeout.InfiniteTimeSpan) return true;
            var cancel = new Cancelable((IScheduler)_scheduler);
            _current = cancel;
            bool once = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;
            _scheduler.Schedule(dueTime, once ? null : period, () => _callback(_state), cancel);
            return true;
        }

        public void Dispose() => _current?.Cancel();

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
