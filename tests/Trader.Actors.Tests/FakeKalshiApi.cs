using System.Collections.Concurrent;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Tests;

/// <summary>
/// An in-memory exchange for actor tests: answers reads from its fields, records every write, and lets a test script
/// the outcome of creates (accept, refuse, ambiguous, or a task it completes later) and make reads fail.
/// </summary>
public sealed class FakeKalshiApi : IKalshiApi
{
    private int _nextId;

    public ExchangeStatus Status { get; set; } = new(true, true);
    public AccountBalance Balance { get; set; } = new(Money.FromDollars(1000), Money.FromDollars(1000));
    public List<ExchangePosition> Positions { get; } = [];
    public List<ExchangeOrder> Orders { get; } = [];
    public List<Fill> Fills { get; } = [];
    public List<Settlement> Settlements { get; } = [];

    /// <summary>When set, every read throws this (the exchange is down).</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>When set, every read waits for this task first (a slow exchange, to hold a calibration mid-way).</summary>
    public TaskCompletionSource? ReadGate { get; set; }

    /// <summary>Scripted create outcomes, used in order; when empty, creates are accepted and rest.</summary>
    public ConcurrentQueue<Func<CreateOrderRequest, Task<WriteOutcome<OrderAck>>>> CreateScript { get; } = new();

    public ConcurrentQueue<CreateOrderRequest> Creates { get; } = new();
    public ConcurrentQueue<string> Cancels { get; } = new();
    public ConcurrentQueue<string> Lookups { get; } = new();
    public int SyncReads;

    public ExchangeOrder Resting(CreateOrderRequest r, string? id = null) => new(
        id ?? $"ex-{Interlocked.Increment(ref _nextId)}", r.ClientOrderId, r.Ticker, r.Side, r.YesPrice, ExchangeOrderStatus.Resting,
        r.Count, Quantity.Zero, r.Count, Money.Zero, Money.Zero, Money.Zero, Money.Zero, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    public Task<WriteOutcome<OrderAck>> CreateOrderAsync(CreateOrderRequest request, CancellationToken ct = default)
    {
        Creates.Enqueue(request);
        if (CreateScript.TryDequeue(out var script)) return script(request);
        var order = Resting(request);
        lock (Orders) Orders.Add(order);
        return Task.FromResult<WriteOutcome<OrderAck>>(new WriteOutcome<OrderAck>.Accepted(
            new OrderAck(order.OrderId, request.ClientOrderId, Quantity.Zero, request.Count)));
    }

    public Task<WriteOutcome<CancelAck>> CancelOrderAsync(string orderId, string? ticker = null, CancellationToken ct = default)
    {
        Cancels.Enqueue(orderId);
        lock (Orders)
        {
            int i = Orders.FindIndex(o => o.OrderId == orderId && o.Status == ExchangeOrderStatus.Resting);
            if (i < 0)
                return Task.FromResult<WriteOutcome<CancelAck>>(new WriteOutcome<CancelAck>.Refused(new KalshiError(404, "not_found", "not found")));
            var o = Orders[i];
            Orders[i] = o with { Status = ExchangeOrderStatus.Canceled, RemainingCount = Quantity.Zero };
            return Task.FromResult<WriteOutcome<CancelAck>>(new WriteOutcome<CancelAck>.Accepted(new CancelAck(orderId, o.ClientOrderId, o.RemainingCount)));
        }
    }

    public Task<ExchangeStatus> GetExchangeStatusAsync(CancellationToken ct = default) => Read(() => Status);
    public Task<AccountBalance> GetBalanceAsync(CancellationToken ct = default) => Read(() => Balance);
    public Task<IReadOnlyList<ExchangePosition>> GetPositionsAsync(string? ticker = null, CancellationToken ct = default) =>
        Read<IReadOnlyList<ExchangePosition>>(() => { Interlocked.Increment(ref SyncReads); return Positions.ToList(); });

    public Task<IReadOnlyList<ExchangeOrder>> GetOrdersAsync(OrderQuery query, CancellationToken ct = default) =>
        Read<IReadOnlyList<ExchangeOrder>>(() => { lock (Orders) return Orders.Where(o => query.Status is null || o.Status == query.Status).ToList(); });

    public Task<ExchangeOrder?> GetOrderAsync(string orderId, CancellationToken ct = default) =>
        Read(() => { lock (Orders) return Orders.FirstOrDefault(o => o.OrderId == orderId); });

    public Task<ExchangeOrder?> FindOrderByClientOrderIdAsync(string ticker, string clientOrderId, DateTimeOffset createdAfter, CancellationToken ct = default)
    {
        Lookups.Enqueue(clientOrderId);
        return Read(() => { lock (Orders) return Orders.FirstOrDefault(o => o.ClientOrderId == clientOrderId); });
    }

    public Task<IReadOnlyList<Fill>> GetFillsAsync(FillQuery query, CancellationToken ct = default) =>
        Read<IReadOnlyList<Fill>>(() => { lock (Fills) return Fills.Where(f => query.MinTime is null || f.Time >= query.MinTime).ToList(); });

    public Task<IReadOnlyList<Settlement>> GetSettlementsAsync(DateTimeOffset? since = null, CancellationToken ct = default) =>
        Read<IReadOnlyList<Settlement>>(() => Settlements.Where(s => since is null || s.SettledTime > since).ToList());

    public Task<IReadOnlyList<MarketInfo>> GetMarketsAsync(MarketQuery query, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<MarketInfo>>([]);

    public Task<MarketInfo?> GetMarketAsync(string ticker, CancellationToken ct = default) =>
        Task.FromResult<MarketInfo?>(new MarketInfo(ticker, null, "active", TickGrid.LinearCent, null, null, null, null, null, null, Quantity.Zero, Quantity.Zero));

    public Task<OrderBookSnapshot> GetOrderBookAsync(string ticker, int? depth = null, CancellationToken ct = default) =>
        Task.FromResult(new OrderBookSnapshot(ticker, [], []));

    public Task<AccountLimits> GetAccountLimitsAsync(CancellationToken ct = default) => Task.FromResult(new AccountLimits("basic", 200, 200, 100, 100));

    public Task<WriteOutcome<OrderAck>> AmendOrderAsync(AmendOrderRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("the actors under test do not amend");

    public Task<WriteOutcome<DecreaseAck>> DecreaseOrderAsync(DecreaseOrderRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("the actors under test do not decrease");

    public Task<WriteOutcome<IReadOnlyList<BatchItem<OrderAck>>>> BatchCreateOrdersAsync(IReadOnlyList<CreateOrderRequest> requests, CancellationToken ct = default) =>
        throw new InvalidOperationException("the actors under test do not batch");

    public Task<WriteOutcome<IReadOnlyList<BatchItem<CancelAck>>>> BatchCancelOrdersAsync(IReadOnlyList<(string OrderId, string? Ticker)> orders, CancellationToken ct = default) =>
        throw new InvalidOperationException("the actors under test do not batch");

    public Task<WriteOutcome<NoContent>> CancelAllOrdersAsync(CancellationToken ct = default) =>
        throw new InvalidOperationException("the actors under test cancel order by order");

    private Task<T> Read<T>(Func<T> read)
    {
        if (ReadGate is { } gate) return gate.Task.ContinueWith(_ => ReadNow(read)).Unwrap();
        return ReadNow(read);
    }

    private Task<T> ReadNow<T>(Func<T> read) =>
        ReadFailure is { } failure ? Task.FromException<T>(failure) : Task.FromResult(read());
}
