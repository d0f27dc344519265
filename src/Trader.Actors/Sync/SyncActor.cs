using Akka.Actor;
using Akka.Event;
using Trader.Actors.Coordinator;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Sync;

/// <summary>
/// Reads the exchange: status, balance, positions, resting orders, fills since the last one seen, settlements. Every
/// call is async and piped back (<c>PipeTo</c>), so the mailbox never blocks; answers go to whoever asked. While
/// enabled, a timer polls fills over REST and sends new ones to the parent (they are de-duplicated there against the
/// fill stream). Keeps the cursors: the time of the newest fill and settlement seen.
/// </summary>
public sealed class SyncActor : ReceiveActor, IWithTimers
{
    private const string PollTimer = "poll-fills";
    private readonly IKalshiApi _api;
    private readonly TraderSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IScheduler _scheduler = Context.System.Scheduler;
    private DateTimeOffset? _fillCursor;
    private DateTimeOffset? _settlementCursor;
    private readonly List<IActorRef> _syncWaiters = [];
    private bool _polling;

    public ITimerScheduler Timers { get; set; } = null!;

    public SyncActor(IKalshiApi api, TraderSettings settings)
    {
        _api = api;
        _settings = settings;

        Receive<CheckExchange>(_ =>
        {
            var started = Now;
            var replyTo = Sender;
            _api.GetExchangeStatusAsync().PipeTo(replyTo,
                success: s => new ExchangeChecked(s, Elapsed(started)),
                failure: ex => new SyncFailed("exchange status", Describe(ex)));
        });
        Receive<SyncState>(_ =>
        {
            _syncWaiters.Add(Sender);
            if (_syncWaiters.Count > 1) return; // one sync at a time; everyone waiting gets its answer
            var started = Now;
            ReadState(started).PipeTo(Self, success: r => r, failure: ex => new SyncFailed("sync", Describe(ex)));
        });
        Receive<StateSynced>(s =>
        {
            AdvanceFillCursor(s.Fills);
            if (s.Settlements.Count > 0) _settlementCursor = s.Settlements.Max(x => x.SettledTime);
            ReplyToWaiters(s);
        });
        Receive<SyncFailed>(f => ReplyToWaiters(f));
        Receive<RefreshBalance>(_ =>
        {
            var asOf = Now;
            var replyTo = Sender;
            _api.GetBalanceAsync().PipeTo(replyTo,
                success: b => new BalanceRefreshed(b, asOf),
                failure: ex => new SyncFailed("balance", Describe(ex)));
        });
        Receive<SetFillPolling>(m =>
        {
            _polling = m.Enabled;
            if (m.Enabled) Timers.StartPeriodicTimer(PollTimer, PollFills.Instance, _settings.FillPollInterval);
            else Timers.Cancel(PollTimer);
        });
        Receive<PollFills>(_ =>
        {
            if (!_polling) return;
            var since = _fillCursor ?? Now - _settings.InitialFillLookback;
            _api.GetFillsAsync(new FillQuery(MinTime: since)).PipeTo(Self,
                success: fills => new FillsPolled(fills, null),
                failure: ex => new FillsPolled([], Describe(ex)));
        });
        Receive<FillsPolled>(p =>
        {
            if (p.Error is not null)
            {
                _log.Warning("Fill poll failed: {0}", p.Error);
                Context.Parent.Tell(new SyncFailed("fill poll", p.Error));
                return;
            }
            AdvanceFillCursor(p.Fills);
            if (p.Fills.Count > 0) Context.Parent.Tell(new FillsReceived(p.Fills, "rest"));
        });
        Receive<InjectFault>(f => throw new InjectedFaultException(f.Reason));
    }

    public static Props Props(IKalshiApi api, TraderSettings settings) => Akka.Actor.Props.Create(() => new SyncActor(api, settings));

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Context.Parent.Tell(new ChildRestarted(Self.Path.Name, reason.Message));
    }

    /// <summary>The actor system's clock (virtual in tests); safe to read from continuations.</summary>
    private DateTimeOffset Now => _scheduler.Now;

    private TimeSpan Elapsed(DateTimeOffset started) => Now - started;

    /// <summary>Fills first (so their trade ids are known before positions are adopted), then balance, positions, resting orders, settlements.</summary>
    private async Task<StateSynced> ReadState(DateTimeOffset started)
    {
        var fills = await _api.GetFillsAsync(new FillQuery(MinTime: _fillCursor ?? started - _settings.InitialFillLookback)).ConfigureAwait(false);
        var balance = await _api.GetBalanceAsync().ConfigureAwait(false);
        var positions = await _api.GetPositionsAsync().ConfigureAwait(false);
        var resting = await _api.GetOrdersAsync(new OrderQuery(Status: ExchangeOrderStatus.Resting)).ConfigureAwait(false);
        var settlements = await _api.GetSettlementsAsync(_settlementCursor).ConfigureAwait(false);
        return new StateSynced(balance, positions, resting, fills, settlements, started, TimeSpan.Zero);
    }

    private void ReplyToWaiters(object answer)
    {
        if (answer is StateSynced s) answer = s with { Duration = Now - s.AsOf };
        foreach (var w in _syncWaiters) w.Tell(answer);
        _syncWaiters.Clear();
    }

    private void AdvanceFillCursor(IReadOnlyList<Fill> fills)
    {
        if (fills.Count == 0) return;
        var newest = fills.Max(f => f.Time);
        if (_fillCursor is null || newest > _fillCursor) _fillCursor = newest;
    }

    private static string Describe(Exception ex) => ex switch
    {
        AggregateException { InnerException: { } inner } => Describe(inner),
        KalshiApiException api => api.Error.ToString(),
        _ => ex.Message,
    };

    private sealed record PollFills
    {
        public static readonly PollFills Instance = new();
    }

    private sealed record FillsPolled(IReadOnlyList<Fill> Fills, string? Error);
}
