using System.Threading.Channels;

namespace Trader.Kalshi.Streaming;

/// <summary>Things that happen to a stream, besides market and account messages.</summary>
public abstract record StreamEvent;

/// <summary>The WebSocket is open (signed upgrade accepted). <see cref="Attempt"/> counts connections of a resilient stream.</summary>
public sealed record StreamConnected(Uri Endpoint, int Attempt) : StreamEvent;

/// <summary>The connection ended. Every sid is gone; books fed by it are stale until new snapshots arrive.</summary>
public sealed record StreamDisconnected(string Reason, Exception? Error) : StreamEvent;

/// <summary>A durable subscription got a (new) server sid.</summary>
public sealed record SubscriptionConfirmed(int SubscriptionId, string Channel, long Sid, IReadOnlyList<string> Markets) : StreamEvent;

/// <summary>
/// Frames were lost on a sequenced subscription (<c>seq</c> jumped from <see cref="Expected"/> − 1 to
/// <see cref="Received"/>). Every book of <see cref="Markets"/> is suspect; when <see cref="SnapshotRequested"/>, an
/// <c>update_subscription</c>/<c>get_snapshot</c> was sent and the session drops that subscription's deltas for those
/// markets until their new snapshots arrive.
/// </summary>
public sealed record SequenceGapDetected(int SubscriptionId, long Sid, string Channel, long Expected, long Received,
    IReadOnlyList<string> Markets, bool SnapshotRequested) : StreamEvent;

/// <summary>
/// Kalshi reported an error (<see cref="Code"/>, e.g. 7 unknown subscription id, 25 buffer overflow) that no caller was
/// waiting for. <see cref="Resubscribing"/> when the subscription was terminated (codes 10, 25) and is being renewed.
/// </summary>
public sealed record StreamErrorReported(int? SubscriptionId, long? Sid, int Code, string Message, bool Resubscribing) : StreamEvent;

/// <summary>A frame that could not be read (it was counted and skipped; the stream goes on).</summary>
public sealed record MalformedFrame(string Reason, string Excerpt) : StreamEvent;

/// <summary>
/// Receives what a stream session delivers, on the session's receive loop, one message at a time and in wire order.
/// The loop waits for each call: a slow handler slows reading, and Kalshi ends a subscription whose reader falls behind
/// (error 25). So a handler should hand messages on quickly — an actor's <c>Tell</c>, or a bounded channel
/// (<see cref="ChannelStreamHandler"/>) — rather than do work inline. If a handler throws, the session ends with that
/// exception (a consumer bug is not hidden).
/// </summary>
public interface IKalshiStreamHandler
{
    void OnOrderBookSnapshot(OrderBookSnapshotMessage message);

    /// <summary>The hot path: a value type, no allocation per delta.</summary>
    void OnOrderBookDelta(in OrderBookDeltaMessage message);

    void OnTicker(TickerMessage message);

    void OnTrade(TradeMessage message);

    void OnFill(FillMessage message);

    void OnMarketPosition(MarketPositionMessage message);

    void OnUserOrder(UserOrderMessage message);

    void OnMarketLifecycle(MarketLifecycleMessage message);

    void OnEvent(StreamEvent streamEvent);
}

/// <summary>An <see cref="IKalshiStreamHandler"/> that ignores everything; override what you need.</summary>
public abstract class KalshiStreamHandler : IKalshiStreamHandler
{
    public virtual void OnOrderBookSnapshot(OrderBookSnapshotMessage message) { }
    public virtual void OnOrderBookDelta(in OrderBookDeltaMessage message) { }
    public virtual void OnTicker(TickerMessage message) { }
    public virtual void OnTrade(TradeMessage message) { }
    public virtual void OnFill(FillMessage message) { }
    public virtual void OnMarketPosition(MarketPositionMessage message) { }
    public virtual void OnUserOrder(UserOrderMessage message) { }
    public virtual void OnMarketLifecycle(MarketLifecycleMessage message) { }
    public virtual void OnEvent(StreamEvent streamEvent) { }
}

/// <summary>
/// Puts every message and event, in order, into a bounded <see cref="Channel{T}"/> for a consumer that reads at its own
/// pace (deltas are boxed). When the channel is full the receive loop waits for room — backpressure, not an unbounded
/// queue and not silent loss; if the consumer stays behind, Kalshi ends the subscription (error 25) and the session
/// reports it.
/// </summary>
public sealed class ChannelStreamHandler : IKalshiStreamHandler
{
    private readonly Channel<object> _channel;

    public ChannelStreamHandler(int capacity = 10_000)
    {
        _channel = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
    }

    public ChannelReader<object> Reader => _channel.Reader;

    /// <summary>Marks the end of the stream for the reader.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    private void Put(object item)
    {
        if (_channel.Writer.TryWrite(item)) return;
        _channel.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
    }

    public void OnOrderBookSnapshot(OrderBookSnapshotMessage message) => Put(message);
    public void OnOrderBookDelta(in OrderBookDeltaMessage message) => Put(message);
    public void OnTicker(TickerMessage message) => Put(message);
    public void OnTrade(TradeMessage message) => Put(message);
    public void OnFill(FillMessage message) => Put(message);
    public void OnMarketPosition(MarketPositionMessage message) => Put(message);
    public void OnUserOrder(UserOrderMessage message) => Put(message);
    public void OnMarketLifecycle(MarketLifecycleMessage message) => Put(message);
    public void OnEvent(StreamEvent streamEvent) => Put(streamEvent);
}
