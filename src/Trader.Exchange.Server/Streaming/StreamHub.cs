using Trader.Exchange.Events;

namespace Trader.Exchange.Server.Streaming;

/// <summary>
/// The open WebSocket connections, and the fan-out of the engine's events to them. Called under the exchange lock
/// (<see cref="ExchangeHost"/>), so connections are added, removed and fed in one order with the engine's changes.
/// </summary>
internal sealed class StreamHub : IExchangeEventListener
{
    private readonly List<StreamConnection> _connections = [];
    private int _lastId;

    public int Count => _connections.Count;

    public int NextId() => ++_lastId;

    public void Add(StreamConnection connection) => _connections.Add(connection);

    public void Remove(StreamConnection connection) => _connections.Remove(connection);

    public void OnEvents(IReadOnlyList<ExchangeEvent> events)
    {
        if (_connections.Count == 0) return;
        foreach (var e in events)
        {
            foreach (var c in _connections) c.OnEvent(e);
        }
    }

    /// <summary>Drops every connection without a close handshake; returns how many there were.</summary>
    public int DropAll()
    {
        var all = _connections.ToArray();
        foreach (var c in all) c.Abort();
        return all.Length;
    }
}
