using Microsoft.Extensions.Logging;

namespace Trader.Kalshi.Streaming;

/// <summary>
/// A stream that stays connected: it runs <see cref="KalshiStreamSession"/>s one after another, reconnecting with
/// exponential backoff and jitter (<see cref="KalshiStreamOptions.Reconnect"/>) and a fresh signature, and restores
/// every durable subscription on each new connection (new sids, same subscription ids). Subscribing while
/// disconnected registers the subscription for the next connection. Disconnects, reconnects, gaps and confirmations
/// reach the handler as <see cref="StreamEvent"/>s.
/// </summary>
public sealed class ResilientKalshiStream : IAsyncDisposable
{
    private readonly KalshiStreamOptions _options;
    private readonly IKalshiStreamHandler _handler;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private KalshiStreamSession? _session;
    private Task? _loop;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResilientKalshiStream(KalshiStreamOptions options, IKalshiStreamHandler handler)
    {
        _options = options;
        _handler = handler;
        _log = options.Logger;
    }

    public SubscriptionRegistry Subscriptions { get; } = new();

    public StreamStatistics Statistics { get; } = new();

    /// <summary>Completes when a connection is up and its subscriptions are restored.</summary>
    public Task WhenConnected()
    {
        lock (_gate) return _connected.Task;
    }

    /// <summary>Starts connecting in the background; returns at once.</summary>
    public void Start()
    {
        lock (_gate) _loop ??= Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>Subscribes now when connected, else at the next connection. Returns the durable subscriptions.</summary>
    public async Task<IReadOnlyList<StreamSubscription>> SubscribeAsync(SubscriptionRequest request, CancellationToken ct)
    {
        var session = Live();
        if (session is not null)
        {
            try
            {
                return await session.SubscribeAsync(request, ct).ConfigureAwait(false);
            }
            catch (StreamConnectionLostException)
            {
                // Registered before sending: the next connection restores it.
                return Subscriptions.All.Where(s => s.Sid is null && request.Channels.Contains(s.Channel)).ToArray();
            }
        }
        return Subscriptions.Add(request);
    }

    public async Task UnsubscribeAsync(int subscriptionId, CancellationToken ct)
    {
        if (Live() is { } session)
        {
            try
            {
                await session.UnsubscribeAsync(subscriptionId, ct).ConfigureAwait(false);
                return;
            }
            catch (StreamConnectionLostException)
            {
            }
        }
        Subscriptions.Remove(subscriptionId);
    }

    public async Task<IReadOnlyList<string>> AddMarketsAsync(int subscriptionId, IReadOnlyList<string> tickers, CancellationToken ct)
    {
        if (Live() is { } session) return await session.AddMarketsAsync(subscriptionId, tickers, ct).ConfigureAwait(false);
        var s = Subscriptions[subscriptionId] ?? throw new ArgumentException($"no subscription {subscriptionId}", nameof(subscriptionId));
        s.AddMarkets(tickers);
        return s.Markets;
    }

    public async Task<IReadOnlyList<string>> RemoveMarketsAsync(int subscriptionId, IReadOnlyList<string> tickers, CancellationToken ct)
    {
        if (Live() is { } session) return await session.RemoveMarketsAsync(subscriptionId, tickers, ct).ConfigureAwait(false);
        var s = Subscriptions[subscriptionId] ?? throw new ArgumentException($"no subscription {subscriptionId}", nameof(subscriptionId));
        s.RemoveMarkets(tickers);
        return s.Markets;
    }

    private KalshiStreamSession? Live()
    {
        lock (_gate) return _session is { IsConnected: true } s ? s : null;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        int failures = 0;
        int connection = 0;
        while (!ct.IsCancellationRequested)
        {
            var session = new KalshiStreamSession(_options, _handler, Subscriptions, Statistics);
            bool restored = false;
            try
            {
                await session.ConnectAsync(ct, ++connection).ConfigureAwait(false);
                lock (_gate) _session = session;
                var run = session.RunAsync(ct);
                try
                {
                    await session.RestoreSubscriptionsAsync(ct).ConfigureAwait(false);
                    restored = true;
                    failures = 0;
                    lock (_gate) _connected.TrySetResult();
                }
                catch (Exception e) when (e is StreamCommandException or StreamConnectionLostException)
                {
                    _log.LogWarning("Kalshi stream: restoring subscriptions failed: {Problem}", e.Message);
                    await session.CloseAsync(CancellationToken.None).ConfigureAwait(false);
                }
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or HttpRequestException or TimeoutException)
            {
                _log.LogWarning("Kalshi stream: cannot connect to {Endpoint}: {Problem}", _options.Endpoint, e.Message);
                _handler.OnEvent(new StreamDisconnected($"cannot connect: {e.Message}", e));
            }
            catch (Exception e)
            {
                // The handler threw (a consumer bug): log it loudly, and carry on with a new connection after a backoff.
                restored = false;
                _log.LogError(e, "Kalshi stream: the session failed");
                _handler.OnEvent(new StreamDisconnected($"session failed: {e.Message}", e));
            }
            finally
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_session, session)) _session = null;
                    if (_connected.Task.IsCompleted) _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                await session.DisposeAsync().ConfigureAwait(false);
            }
            if (ct.IsCancellationRequested) break;
            if (!restored) failures++;
            var delay = _options.Reconnect.DelayFor(Math.Max(1, failures), _options.Jitter());
            _log.LogInformation("Kalshi stream: reconnecting in {Delay:0.0} s", delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _options.Time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Closes the connection and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        KalshiStreamSession? session;
        lock (_gate) session = _session;
        if (session is not null) await session.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
