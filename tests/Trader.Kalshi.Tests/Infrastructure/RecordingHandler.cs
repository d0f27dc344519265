using Trader.Kalshi.Streaming;

namespace Trader.Kalshi.Tests.Infrastructure;

/// <summary>Records everything a stream delivers, and lets a test await a message matching a condition.</summary>
public sealed class RecordingHandler : IKalshiStreamHandler
{
    private readonly object _gate = new();
    private readonly List<object> _items = [];
    private readonly List<(Func<object, bool> Match, TaskCompletionSource<object> Done)> _waiters = [];

    public IReadOnlyList<object> Items
    {
        get
        {
            lock (_gate) return _items.ToArray();
        }
    }

    public IEnumerable<T> Of<T>() => Items.OfType<T>();

    /// <summary>The first item (already recorded or still to come) of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool>? match = null, int skip = 0)
    {
        TaskCompletionSource<object> done;
        lock (_gate)
        {
            var found = _items.OfType<T>().Where(x => match?.Invoke(x) ?? true).Skip(skip).Take(1).ToList();
            if (found.Count == 1) return found[0];
            done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            int remaining = skip;
            _waiters.Add((o => o is T t && (match?.Invoke(t) ?? true) && remaining-- <= 0, done));
        }
        return (T)await done.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    private void Add(object item)
    {
        List<TaskCompletionSource<object>> fire = [];
        lock (_gate)
        {
            _items.Add(item);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(item))
                {
                    fire.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var f in fire) f.TrySetResult(item);
    }

    public void OnOrderBookSnapshot(OrderBookSnapshotMessage message) => Add(message);
    public void OnOrderBookDelta(in OrderBookDeltaMessage message) => Add(message);
    public void OnTicker(TickerMessage message) => Add(message);
    public void OnTrade(TradeMessage message) => Add(message);
    public void OnFill(FillMessage message) => Add(message);
    public void OnMarketPosition(MarketPositionMessage message) => Add(message);
    public void OnUserOrder(UserOrderMessage message) => Add(message);
    public void OnMarketLifecycle(MarketLifecycleMessage message) => Add(message);
    public void OnEvent(StreamEvent streamEvent) => Add(streamEvent);
}
