using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Trader.Actors.Coordinator;
using Trader.Actors.Monitoring;
using Trader.Kalshi.Streaming;

namespace Trader.Actors.Streams;

/// <summary>
/// What a stream keeps across restarts of its actor: the durable subscriptions (so a new connection resubscribes
/// under the same ids) and how many times it connected. Passed in the actor's Props, like the status log store.
/// </summary>
public sealed class StreamContext
{
    public SubscriptionRegistry Subscriptions { get; } = new();

    /// <summary>
    /// Markets whose data went stale, with when: kept here so a market that went stale before its stream actor was
    /// restarted is reported recovered by the next incarnation. Only the current incarnation touches it.
    /// </summary>
    public Dictionary<string, DateTimeOffset> StaleSince { get; } = new(StringComparer.Ordinal);

    public int Connections { get; internal set; }
}

/// <summary>
/// One WebSocket connection owned by an actor (<see cref="KalshiStreamSession"/>): connect with a fresh signature,
/// subscribe (or restore the durable subscriptions), run the receive loop, and hand every message to the actor as a
/// message. When the connection cannot be opened or ends, the actor reports the stream down to the coordinator and
/// stops; its <see cref="StreamSupervisor"/> starts a new one after a capped, jittered backoff — forever, unlike the
/// original's ten tries (§7.5).
/// </summary>
public abstract class StreamActor : ReceiveActor
{
    private readonly KalshiStreamOptions _options;
    private readonly StreamContext _context;
    private readonly CancellationTokenSource _stop = new();
    private KalshiStreamSession? _session;

    protected StreamActor(string streamName, bool required, KalshiStreamOptions options, StreamContext context, IActorRef coordinator, TraderMetrics metrics)
    {
        StreamName = streamName;
        Required = required;
        _options = options;
        _context = context;
        Coordinator = coordinator;
        Metrics = metrics;

        Receive<Connected>(_ => OnConnected());
        Receive<ConnectFailed>(f => GiveUp($"connect failed: {f.Reason}"));
        Receive<Subscribed>(_ => Log.Info("{0} stream subscribed", StreamName));
        Receive<SubscribeFailed>(f => GiveUp($"subscribe failed: {f.Reason}"));
        Receive<Ended>(e => GiveUp(e.Closed.Reason));
        Receive<StreamEvent>(OnStreamEvent);
    }

    protected string StreamName { get; }
    protected bool Required { get; }
    protected IActorRef Coordinator { get; }
    protected TraderMetrics Metrics { get; }
    protected ILoggingAdapter Log { get; } = Context.GetLogger();
    protected KalshiStreamSession? Session => _session;
    protected DateTimeOffset Now => Context.System.Scheduler.Now;

    /// <summary>What to subscribe to on a first connection.</summary>
    protected abstract SubscriptionRequest Subscription { get; }

    /// <summary>Called when the connection is lost, before the actor stops (mark books stale, …).</summary>
    protected virtual void OnDisconnected(string reason)
    {
    }

    protected virtual void OnStreamEvent(StreamEvent e)
    {
        if (e is MalformedFrame m) Log.Warning("{0} stream: malformed frame ({1}): {2}", StreamName, m.Reason, m.Excerpt);
        if (e is StreamErrorReported r) Log.Warning("{0} stream: error {1} {2}", StreamName, r.Code, r.Message);
    }

    protected override void PreStart()
    {
        _session = new KalshiStreamSession(_options, new ForwardingHandler(Self), _context.Subscriptions);
        var self = Self;
        _session.ConnectAsync(_stop.Token, _context.Connections + 1).PipeTo(self,
            success: () => Connected.Instance,
            failure: ex => new ConnectFailed(Describe(ex)));
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        if (_session is { } s) _ = s.DisposeAsync().AsTask();
    }

    private void OnConnected()
    {
        _context.Connections++;
        if (_context.Connections > 1) Metrics.Reconnects.Inc(StreamName);
        Metrics.StreamConnected.Set(1, StreamName);
        Coordinator.Tell(new StreamStatusChanged(StreamName, true, Required, $"connected to {_options.Endpoint.Host}"));
        var session = _session!;
        var self = Self;
        session.RunAsync(_stop.Token).PipeTo(self,
            success: closed => new Ended(closed),
            failure: ex => new Ended(new StreamClosed($"receive loop failed: {Describe(ex)}", ex)));
        var subscribing = _context.Subscriptions.All.Count > 0
            ? session.RestoreSubscriptionsAsync(_stop.Token)
            : session.SubscribeAsync(Subscription, _stop.Token);
        subscribing.PipeTo(self, success: () => Subscribed.Instance, failure: ex => new SubscribeFailed(Describe(ex)));
    }

    private void GiveUp(string reason)
    {
        Log.Warning("{0} stream down: {1}; reconnecting with backoff", StreamName, reason);
        OnDisconnected(reason);
        Metrics.StreamConnected.Set(0, StreamName);
        Coordinator.Tell(new StreamStatusChanged(StreamName, false, Required, reason));
        Context.Stop(Self);
    }

    private static string Describe(Exception ex) => ex is AggregateException { InnerException: { } inner } ? Describe(inner) : ex.Message;

    /// <summary>Runs on the session's receive loop: only tells the actor.</summary>
    private sealed class ForwardingHandler(IActorRef actor) : IKalshiStreamHandler
    {
        public void OnOrderBookSnapshot(OrderBookSnapshotMessage message) => actor.Tell(message);
        public void OnOrderBookDelta(in OrderBookDeltaMessage message) => actor.Tell(new ReceivedDelta(message, Stopwatch.GetTimestamp()));
        public void OnTicker(TickerMessage message) => actor.Tell(message);
        public void OnTrade(TradeMessage message) => actor.Tell(message);
        public void OnFill(FillMessage message) => actor.Tell(message);
        public void OnMarketPosition(MarketPositionMessage message) => actor.Tell(message);
        public void OnUserOrder(UserOrderMessage message) => actor.Tell(message);
        public void OnMarketLifecycle(MarketLifecycleMessage message) => actor.Tell(message);
        public void OnEvent(StreamEvent streamEvent) => actor.Tell(streamEvent);
    }

    /// <summary>A delta with the <c>Stopwatch</c> timestamp of its arrival.</summary>
    protected sealed record ReceivedDelta(OrderBookDeltaMessage Message, long ReceivedTimestamp);

    private sealed record Connected
    {
        public static readonly Connected Instance = new();
    }

    private sealed record ConnectFailed(string Reason);

    private sealed record Subscribed
    {
        public static readonly Subscribed Instance = new();
    }

    private sealed record SubscribeFailed(string Reason);

    private sealed record Ended(StreamClosed Closed);
}

/// <summary>Props of a stream actor under a <c>BackoffSupervisor</c> that recreates it whenever it stops.</summary>
public static class StreamSupervisor
{
    public static Props Props(Props stream, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor = 0.2) =>
        Akka.Pattern.BackoffSupervisor.Props(Akka.Pattern.Backoff.OnStop(stream, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries: -1));
}
