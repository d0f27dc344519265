using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Accounts;
using Trader.Exchange.Events;
using Trader.Exchange.Markets;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Matching;

/// <summary>
/// Everything that happens to orders besides matching: cancel (one, all, by expiry, at close, by self-trade
/// prevention), decrease (keeps time priority), finishing an order, its owner's reservation and reduce-only caps.
/// <para>
/// Reduce-only orders are capped at the position they can close: when placed, and again after every fill of their
/// owner, the reduce-only orders on a side may together be at most the contracts held on the other leg; the newest
/// are cut first (<c>ReduceOnlyCancel</c>, canceled when nothing is left).
/// </para>
/// </summary>
internal sealed class OrderKeeper(ExchangeState state)
{
    public ExchangeResult<CancelAck> Cancel(string userId, string orderId, string? ticker, DateTimeOffset now)
    {
        var located = Locate(userId, orderId, ticker, forCancel: true);
        if (!located.IsSuccess) return located.Error;
        var order = located.Value;
        var reduced = Cancel(order, OrderUpdateReason.Canceled, now);
        state.FlushTickers(now);
        return new CancelAck(order.OrderId, order.ClientOrderId, reduced, now);
    }

    /// <summary>Cancels every resting order of the user in markets that take cancels (optionally one market).</summary>
    public IReadOnlyList<CancelAck> CancelAll(string userId, string? ticker, DateTimeOffset now)
    {
        if (!state.Accounts.TryGetValue(userId, out var account)) return [];
        var open = account.Markets
            .Where(h => ticker is null || h.Ticker == ticker)
            .Where(h => state.Markets[h.Ticker].AcceptsCancels)
            .SelectMany(h => h.OpenOrders)
            .OrderBy(o => o.Sequence)
            .ToList();
        var acks = new List<CancelAck>(open.Count);
        foreach (var order in open) acks.Add(new CancelAck(order.OrderId, order.ClientOrderId, Cancel(order, OrderUpdateReason.Canceled, now), now));
        state.FlushTickers(now);
        return acks;
    }

    public ExchangeResult<DecreaseAck> Decrease(string userId, DecreaseOrderRequest request, DateTimeOffset now)
    {
        var located = Locate(userId, request.OrderId, request.Ticker, forCancel: false);
        if (!located.IsSuccess) return located.Error;
        var order = located.Value;
        if (request.ReduceBy.HasValue == request.ReduceTo.HasValue)
            return ExchangeErrors.InvalidOrder("exactly one of reduce_by and reduce_to must be given");
        Quantity target;
        if (request.ReduceBy is { } by)
        {
            if (!by.IsPositive) return ExchangeErrors.InvalidOrderSize($"reduce_by \"{by.ToWireString()}\" must be at least 0.01");
            target = Quantity.Max(Quantity.Zero, order.Remaining - by);
        }
        else
        {
            target = request.ReduceTo!.Value;
            if (target.IsNegative) return ExchangeErrors.InvalidOrderSize($"reduce_to \"{target.ToWireString()}\" is negative");
            if (target > order.Remaining)
                return ExchangeErrors.InvalidOrderSize($"reduce_to \"{target.ToWireString()}\" is more than the remaining {order.Remaining.ToWireString()}");
        }

        if (target.IsZero) Cancel(order, OrderUpdateReason.Decrease, now);
        else if (target < order.Remaining) Shrink(order, order.Remaining - target, OrderUpdateReason.Decrease, now);
        state.FlushTickers(now);
        return new DecreaseAck(order.OrderId, order.ClientOrderId, order.Remaining, now);
    }

    /// <summary>Cancels every order whose expiration time has come (<c>ExpiryCancel</c>), each at its own expiration time.</summary>
    public void ExpireDue(DateTimeOffset now)
    {
        while (state.TryTakeExpired(now, out var order))
        {
            if (!order.IsOpen || order.ExpirationTime is not { } at) continue;
            Cancel(order, OrderUpdateReason.ExpiryCancel, at);
            state.FlushTickers(at);
        }
    }

    /// <summary>
    /// Finds an open order of the user for cancel, amend or decrease. After close every order operation is refused
    /// (<c>market_inactive</c>) before the order is even looked at; an unknown, foreign or finished order is 404.
    /// </summary>
    public ExchangeResult<OrderRecord> Locate(string userId, string orderId, string? ticker, bool forCancel)
    {
        if (!state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        Market? market = null;
        if (!string.IsNullOrEmpty(ticker))
        {
            if (!state.Markets.TryGetValue(ticker, out market)) return ExchangeErrors.UnknownMarket(ticker);
            if (Refuses(market, forCancel)) return ExchangeErrors.MarketInactive(market.Ticker, market.Status.ToWire());
        }
        var order = account.FindOrder(orderId);
        if (order is null) return ExchangeErrors.UnknownOrder(orderId);
        if (market is not null && order.Ticker != market.Ticker) return ExchangeErrors.OrderTickerMismatch();
        market ??= state.Markets[order.Ticker];
        if (Refuses(market, forCancel)) return ExchangeErrors.MarketInactive(market.Ticker, market.Status.ToWire());
        if (!order.IsOpen) return ExchangeErrors.UnknownOrder(orderId);
        return order;
    }

    private static bool Refuses(Market market, bool forCancel) => forCancel ? !market.AcceptsCancels : !market.IsTrading;

    /// <summary>Cancels an open order for <paramref name="reason"/>; returns the contracts it took off the book.</summary>
    public Quantity Cancel(OrderRecord order, OrderUpdateReason reason, DateTimeOffset now)
    {
        var account = state.Account(order.UserId);
        var market = state.Markets[order.Ticker];
        var holding = state.Holding(account, market);
        var reduced = order.Remaining;
        if (order.InBook)
        {
            market.Book.Remove(order);
            state.Publish(MatchingEngine.Delta(market, order, -reduced, now));
        }
        order.Remaining = Quantity.Zero;
        Finish(account, holding, market, order, ExchangeOrderStatus.Canceled, reason, now);
        return reduced;
    }

    /// <summary>Takes <paramref name="by"/> contracts off an open order that keeps some (and keeps its place in line).</summary>
    public void Shrink(OrderRecord order, Quantity by, OrderUpdateReason reason, DateTimeOffset now)
    {
        var account = state.Account(order.UserId);
        var market = state.Markets[order.Ticker];
        var holding = state.Holding(account, market);
        if (order.InBook)
        {
            market.Book.Resize(order, -by);
            state.Publish(MatchingEngine.Delta(market, order, -by, now));
            state.Touch(market);
        }
        order.Remaining -= by;
        order.LastUpdateTime = now;
        holding.Collateral.Refresh(order);
        Reserve(account, holding, market);
        Publish(order, reason, now);
    }

    /// <summary>Marks an order (already out of the book) executed or canceled, releases what it reserved and tells its owner.</summary>
    public void Finish(Account account, AccountMarket holding, Market market, OrderRecord order, ExchangeOrderStatus status,
        OrderUpdateReason reason, DateTimeOffset now)
    {
        if (order.InBook) throw new InvalidOperationException($"order {order.OrderId} is still in the book");
        order.Status = status;
        order.LastUpdateTime = now;
        holding.RemoveOrder(order);
        account.OrderFinished(order);
        Reserve(account, holding, market);
        if (holding.OpenOrders.Count == 0 && holding.Position.Volume.IsZero) account.RemoveMarket(holding.Ticker);
        state.Touch(market);
        Publish(order, reason, now);
    }

    /// <summary>Recomputes what the user's open orders in the market hold back.</summary>
    public void Reserve(Account account, AccountMarket holding, Market market) =>
        account.SetReserved(holding, holding.Collateral.Required(holding.Position.Contracts));

    public void Publish(OrderRecord order, OrderUpdateReason reason, DateTimeOffset now) =>
        state.Publish(new OrderUpdated(order.UserId, order.ToExchangeOrder(), reason, order.SelfTradePrevention, now));

    /// <summary>How many more contracts a reduce-only order on <paramref name="side"/> may carry: what it can close, less the other reduce-only orders on that side.</summary>
    public static Quantity ReduceOnlyRoom(AccountMarket holding, BookSide side, OrderRecord? except)
    {
        var room = Ledger.Closing(holding.Position.Contracts, side, Quantity.FromUnits(Quantity.MaxUnits)) - holding.Collateral.ReduceOnly(side);
        if (except is { ReduceOnly: true } && except.Side == side) room += except.Remaining;
        return Quantity.Max(Quantity.Zero, room);
    }

    /// <summary>Cuts the user's reduce-only orders in the market down to what their position lets them close, newest first.</summary>
    public void TrimReduceOnly(AccountMarket holding, DateTimeOffset now)
    {
        foreach (var side in (ReadOnlySpan<BookSide>)[BookSide.Bid, BookSide.Ask])
        {
            var excess = -ReduceOnlyRoomSigned(holding, side);
            if (!excess.IsPositive) continue;
            var newestFirst = holding.OpenOrders.Where(o => o.ReduceOnly && o.Side == side).OrderByDescending(o => o.Sequence).ToList();
            foreach (var order in newestFirst)
            {
                if (!excess.IsPositive) break;
                var cut = Quantity.Min(excess, order.Remaining);
                excess -= cut;
                if (cut == order.Remaining) Cancel(order, OrderUpdateReason.ReduceOnlyCancel, now);
                else Shrink(order, cut, OrderUpdateReason.ReduceOnlyCancel, now);
            }
        }
    }

    private static Quantity ReduceOnlyRoomSigned(AccountMarket holding, BookSide side)
    {
        return Ledger.Closing(holding.Position.Contracts, side, Quantity.FromUnits(Quantity.MaxUnits)) - holding.Collateral.ReduceOnly(side);
    }
}
