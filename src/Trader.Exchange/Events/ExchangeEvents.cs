namespace Trader.Exchange.Events;

/// <summary>Where the exchange publishes its events, in order, synchronously, from its single thread.</summary>
public interface IExchangeEventSink
{
    void Publish(ExchangeEvent e);
}

/// <summary>
/// The default sink: an in-order buffer the consumer (the WebSocket layer, a test) empties with
/// <see cref="Drain"/> after each call into the exchange. Not thread-safe, like the exchange itself.
/// </summary>
public sealed class ExchangeEvents : IExchangeEventSink
{
    private readonly List<ExchangeEvent> _pending = [];

    /// <summary>Events published since the last drain.</summary>
    public int Count => _pending.Count;

    /// <summary>Every event published since the last call, oldest first.</summary>
    public IReadOnlyList<ExchangeEvent> Drain()
    {
        var events = _pending.ToArray();
        _pending.Clear();
        return events;
    }

    public void Publish(ExchangeEvent e) => _pending.Add(e);
}

/// <summary>A sink that drops everything (benchmarks, runs nobody listens to).</summary>
public sealed class NullEventSink : IExchangeEventSink
{
    public static NullEventSink Instance { get; } = new();

    public void Publish(ExchangeEvent e)
    {
    }
}
