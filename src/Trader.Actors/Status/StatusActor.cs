using Akka.Actor;
using Akka.Event;
using Trader.Core.Status;

namespace Trader.Actors.Status;

/// <summary>
/// Keeps the trader's status log (original-system.md §4): every <see cref="RecordStatus"/> becomes an entry with its
/// base state, time in status and the previous state's duration; decisions are counted per state; the copy-paste text
/// is available through <see cref="GetStatusLog"/>. Each entry is also written to the log as
/// <c>Trader status: &lt;status&gt; - &lt;result&gt; (d.ds)</c>.
/// </summary>
public sealed class StatusActor : ReceiveActor
{
    private readonly StatusLogStore _store;
    private readonly TimeZoneInfo _zone;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public StatusActor(StatusLogStore store, TimeZoneInfo zone)
    {
        _store = store;
        _zone = zone;

        Receive<RecordStatus>(r =>
        {
            var now = Context.System.Scheduler.Now;
            var log = _store.Current.Record(now, r.Status, r.Result, r.Duration);
            _store.Set(log);
            var suffix = r.Duration is { } d ? $" ({StatusText.FormatSeconds(d)})" : "";
            _log.Info("Trader status: {0} - {1}{2}", r.Status, r.Result ?? "", suffix);
        });
        Receive<CountDecision>(c => _store.Set(_store.Current.CountDecision(c.Traded)));
        Receive<GetStatusLog>(_ =>
        {
            var log = _store.Current;
            Sender.Tell(new StatusLogResponse(log, StatusText.Format(log.Entries, _zone)));
        });
        Receive<AfterRecorded>(a => a.ReplyTo.Tell(a.Message));
        Receive<InjectFault>(f => throw new InjectedFaultException(f.Reason));
    }

    public static Props Props(StatusLogStore store, TimeZoneInfo zone) => Akka.Actor.Props.Create(() => new StatusActor(store, zone));

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Context.Parent.Tell(new ChildRestarted(Self.Path.Name, reason.Message));
    }
}
