using Trader.Kalshi.Signing;
using Trader.Kalshi.Streaming;

namespace Trader.Exchange.Server.Tests.Infrastructure;

/// <summary>
/// Records everything a stream session hands its handler, in order, and lets a test await the first item matching a
/// condition (already recorded or still to come) — no sleeping.
/// </summary>
public sealed class StreamRecorder : IKalshiStreamHandler
{
    private readonly object _gate = new();
    private readonly List<object> _items = [];
    private readonly List<(Func<object, bool> Match, int From, TaskCompletionSource<object> Done)> _waiters = [];

    public IReadOnlyList<object> Items
    {
        get
        {
            lock (_gate) return _items.ToArray();
        }
    }

    /// <summary>The number of items so far: pass it to <see cref="WaitAsync{T}"/> to wait only for later ones.</summary>
    public int Mark()
    {
        lock (_gate) return _items.Count;
    }

    public IReadOnlyList<T> All<T>(int from = 0)
    {
        lock (_gate) return _items.Skip(from).OfType<T>().ToList();
    }

    public async Task<T> WaitAsync<T>(Func<T, bool>? match = null, int from = 0, TimeSpan? timeout = null)
    {
        TaskCompletionSource<object> done;
        lock (_gate)
        {
            for (int i = from; i < _items.Count; i++)
            {
                if (_items[i] is T t && (match?.Invoke(t) ?? true)) return t;
            }
            done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((o => o is T t && (match?.Invoke(t) ?? true), from, done));
        }
        try
        {
            return (T)await done.Task.WaitAsync(timeout ?? Sim.Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {typeof(T).Name} matching the condition arrived; recorded: {Describe()}");
        }
    }

    private string Describe()
    {
        lock (_gate) return string.Join(" | ", _items.TakeLast(15).Select(i => i.ToString()));
    }

    private void Add(object item)
    {
        List<TaskCompletionSource<object>> fire = [];
        lock (_gate)
        {
            _items.Add(item);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_items.Count - 1 >= _waiters[i].From && _waiters[i].Match(item))
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

/// <summary>A connected <see cref="KalshiStreamSession"/> with its receive loop running and a recorder behind it.</summary>
public sealed class StreamClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private StreamClient(KalshiStreamSession session, StreamRecorder recorder)
    {
        Session = session;
        Recorder = recorder;
    }

    public KalshiStreamSession Session { get; }
    public StreamRecorder Recorder { get; }
    public Task<StreamClosed> Run { get; private set; } = null!;

    public static async Task<StreamClient> ConnectAsync(Sim sim, KalshiCredentials? credentials = null)
    {
        var recorder = new StreamRecorder();
        var session = new KalshiStreamSession(new KalshiStreamOptions
        {
            Endpoint = sim.Server.WebSocketUrl,
            Credentials = credentials ?? sim.Demo,
            CommandTimeout = Sim.Patience,
        }, recorder);
        var client = new StreamClient(session, recorder);
        await session.ConnectAsync(client._stop.Token);
        client.Run = session.RunAsync(client._stop.Token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(Sim.Patience);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
        await Session.DisposeAsync();
        _stop.Dispose();
    }
}
