using Trader.Core.Collections;

namespace Trader.Core.Orders;

/// <summary>What became of a fill offered to the ledger.</summary>
public enum FillDisposition
{
    /// <summary>Applied to one of our orders.</summary>
    Applied,

    /// <summary>This trade id was seen before: ignore it everywhere.</summary>
    Duplicate,

    /// <summary>New, but for an order the ledger does not know (placed elsewhere, or before a restart): it still moves the position.</summary>
    UnknownOrder,

    /// <summary>New, for a known order, but inconsistent with it (over-fill, wrong side): reported, still moves the position.</summary>
    Inconsistent,
}

public readonly record struct FillOutcome(FillDisposition Disposition, Order? Order, string? Error = null)
{
    /// <summary>True unless the trade id was already seen: the position must take the fill.</summary>
    public bool IsNew => Disposition != FillDisposition.Duplicate;
}

/// <summary>What reconciling our orders against the exchange's resting orders found.</summary>
public sealed record OrderReconciliation(
    IReadOnlyList<Order> Adopted,
    IReadOnlyList<Order> Resolved,
    IReadOnlyList<Order> Updated,
    IReadOnlyList<Order> Vanished)
{
    public bool IsClean => Adopted.Count == 0 && Resolved.Count == 0 && Updated.Count == 0 && Vanished.Count == 0;
}

/// <summary>
/// Every order of the trader, by client order id and by exchange id, with the rules around them: fills de-duplicated by
/// trade id (also for orders it does not know), a market blocked while one of its orders has an unknown outcome,
/// reconciliation against the exchange's resting orders, and a bound on how many finished orders are remembered.
/// Single-owner and not thread-safe: the OrderActor owns one.
/// </summary>
public sealed class OrderLedger
{
    private readonly Dictionary<string, Order> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _clientIdByExchangeId = new(StringComparer.Ordinal);
    private readonly RecentIds _tradeIds;
    private readonly Queue<string> _finished = new();
    private readonly int _maxFinishedOrders;

    public OrderLedger(int maxFinishedOrders = 1_000, int maxTradeIds = 100_000)
    {
        _maxFinishedOrders = maxFinishedOrders;
        _tradeIds = new RecentIds(maxTradeIds);
    }

    public int Count => _byClientId.Count;

    public Order? Get(string clientOrderId) => _byClientId.GetValueOrDefault(clientOrderId);

    public Order? GetByExchangeId(string exchangeOrderId) =>
        _clientIdByExchangeId.TryGetValue(exchangeOrderId, out var cid) ? _byClientId.GetValueOrDefault(cid) : null;

    public IEnumerable<Order> All => _byClientId.Values;

    public IEnumerable<Order> Open(string? ticker = null) =>
        _byClientId.Values.Where(o => o.IsOpen && (ticker is null || o.Ticker == ticker));

    public int OpenCount(string ticker) => _byClientId.Values.Count(o => o.IsOpen && o.Ticker == ticker);

    /// <summary>Why the market takes no new orders (one of its orders has an unknown outcome), or null.</summary>
    public string? BlockedReason(string ticker)
    {
        foreach (var o in _byClientId.Values)
        {
            if (o.Ticker == ticker && o.Status == OrderStatus.Unknown)
                return $"order {o.ClientOrderId} has an unknown outcome";
        }
        return null;
    }

    public IEnumerable<Order> WithUnknownOutcome => _byClientId.Values.Where(o => o.Status == OrderStatus.Unknown);

    public void Add(Order order)
    {
        if (_byClientId.ContainsKey(order.ClientOrderId))
            throw new InvalidOperationException($"order {order.ClientOrderId} is already in the ledger");
        Store(order);
    }

    /// <summary>Applies a change produced from the stored order (e.g. <c>o => o.Cancel(now)</c>); stores it when applied.</summary>
    public OrderChange Update(string clientOrderId, Func<Order, OrderChange> change)
    {
        if (!_byClientId.TryGetValue(clientOrderId, out var order))
            throw new KeyNotFoundException($"order {clientOrderId} is not in the ledger");
        var result = change(order);
        if (result.IsApplied) Store(result.Order);
        return result;
    }

    /// <summary>Offers a fill: de-duplicates by trade id across all orders, then applies it to its order when known.</summary>
    public FillOutcome ApplyFill(Fill fill, DateTimeOffset now)
    {
        if (!RememberTradeId(fill.TradeId)) return new FillOutcome(FillDisposition.Duplicate, null);
        var order = GetByExchangeId(fill.OrderId)
            ?? (fill.ClientOrderId is { } cid ? Get(cid) : null);
        if (order is null) return new FillOutcome(FillDisposition.UnknownOrder, null);

        var change = order.ApplyFill(fill, now);
        switch (change.Kind)
        {
            case OrderChangeKind.Applied:
                Store(change.Order);
                return new FillOutcome(FillDisposition.Applied, change.Order);
            case OrderChangeKind.Duplicate:
                return new FillOutcome(FillDisposition.Duplicate, order);
            default:
                return new FillOutcome(FillDisposition.Inconsistent, order, change.Error);
        }
    }

    /// <summary>
    /// Compares our orders with the exchange's resting orders (mapped to <see cref="Order"/>s with their exchange ids and
    /// statuses): resting orders we do not know are adopted; our orders with an unknown outcome found resting are
    /// resolved (so are orders we had given up on as absent: the exchange wins); known ones get the exchange's filled and
    /// remaining counts; our open orders that are no longer resting have
    /// vanished (filled or canceled while we were not looking) and must be looked up one by one. Orders still in flight
    /// (submitted) and orders with an unknown outcome that are not resting are left alone.
    /// </summary>
    public OrderReconciliation ReconcileResting(IReadOnlyCollection<Order> exchangeResting, DateTimeOffset now)
    {
        var adopted = new List<Order>();
        var resolved = new List<Order>();
        var updated = new List<Order>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var remote in exchangeResting)
        {
            var local = (remote.ExchangeOrderId is { } eid ? GetByExchangeId(eid) : null) ?? Get(remote.ClientOrderId);
            if (local is null)
            {
                Store(remote);
                adopted.Add(remote);
                seen.Add(remote.ClientOrderId);
                continue;
            }
            seen.Add(local.ClientOrderId);
            if (local.Status is OrderStatus.Unknown or OrderStatus.Rejected)
            {
                // An order we had no answer for, or had given up on as absent, rests on the exchange: the exchange wins.
                // (A cancel or fill the exchange itself confirmed is not undone by a listing, which can lag: §7 gotcha 6.)
                var found = local.AdoptExchangeState(remote.Status, remote.Filled, remote.Remaining, remote.ExchangeOrderId, now);
                Store(found);
                resolved.Add(found);
            }
            else if (local.Status.IsTerminal())
            {
                // Confirmed finished by the exchange itself; a resting listing of it is stale. Leave it.
            }
            else if (local.Remaining != remote.Remaining || local.Filled != remote.Filled || local.ExchangeOrderId != remote.ExchangeOrderId)
            {
                var fixedOrder = local.AdoptExchangeState(local.Status == OrderStatus.PendingCancel ? local.Status : remote.Status,
                    remote.Filled, remote.Remaining, remote.ExchangeOrderId, now);
                Store(fixedOrder);
                updated.Add(fixedOrder);
            }
        }

        var vanished = _byClientId.Values
            .Where(o => !seen.Contains(o.ClientOrderId)
                && o.Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel)
            .ToList();
        return new OrderReconciliation(adopted, resolved, updated, vanished);
    }

    /// <summary>Forgets everything (the owner restarted and will rebuild from the exchange).</summary>
    public void Clear()
    {
        _byClientId.Clear();
        _clientIdByExchangeId.Clear();
        _finished.Clear();
    }

    private void Store(Order order)
    {
        bool wasKnown = _byClientId.TryGetValue(order.ClientOrderId, out var previous);
        _byClientId[order.ClientOrderId] = order;
        if (order.ExchangeOrderId is { } eid) _clientIdByExchangeId[eid] = order.ClientOrderId;
        foreach (var t in order.TradeIds) RememberTradeId(t);
        if (order.Status.IsTerminal() && !(wasKnown && previous!.Status.IsTerminal()))
        {
            _finished.Enqueue(order.ClientOrderId);
            while (_finished.Count > _maxFinishedOrders)
            {
                var old = _finished.Dequeue();
                if (_byClientId.Remove(old, out var gone) && gone.ExchangeOrderId is { } goneId) _clientIdByExchangeId.Remove(goneId);
            }
        }
    }

    /// <summary>Remembers a trade id; false when it was already known.</summary>
    private bool RememberTradeId(string tradeId) => _tradeIds.Add(tradeId);
}
