using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Orders;

/// <summary>Place a V2 order with a fresh client order id; answered with <see cref="OrderPlaced"/>, <see cref="OrderRejected"/> or <see cref="OrderOutcomeUnknown"/>.</summary>
public sealed record PlaceOrder(string DecisionId, string Ticker, OrderIntent Intent, Price Price, Quantity Count,
    TimeInForce TimeInForce = TimeInForce.GoodTillCanceled);

public sealed record OrderPlaced(string DecisionId, Order Order, OrderAck Ack);

public sealed record OrderRejected(string DecisionId, Order Order, KalshiError Error);

public sealed record OrderOutcomeUnknown(string DecisionId, Order Order, string Reason);

/// <summary>Cancel one order by client order id; answered with <see cref="CancelResult"/>.</summary>
public sealed record CancelOrder(string ClientOrderId);

public sealed record CancelResult(string ClientOrderId, bool Canceled, string Detail);

/// <summary>Cancel every resting order (of one market, or all); answered with <see cref="AllOrdersCanceled"/>.</summary>
public sealed record CancelAllOrders(string? Ticker = null);

public sealed record AllOrdersCanceled(int Canceled, int Failed);

/// <summary>New (already de-duplicated) fills.</summary>
public sealed record ApplyFills(IReadOnlyList<Fill> Fills);

/// <summary>The exchange's resting orders from a sync; the order actor reconciles and answers <see cref="OrdersReconciled"/>.</summary>
public sealed record ReconcileOrders(IReadOnlyList<ExchangeOrder> Resting);

public sealed record OrdersReconciled(OrderReconciliation Report, int Tracked);

public sealed record GetOpenOrders(string? Ticker = null);

public sealed record OpenOrdersResponse(IReadOnlyList<Order> Orders);

/// <summary>A market's open orders, as the observation's order features need them.</summary>
public sealed record OpenOrderSummary(int Count, bool HasBuy, bool HasSell, DateTimeOffset? NewestPlacedAt);

/// <summary>Sent to the parent after every change: open orders per market and the markets blocked by an unknown outcome.</summary>
public sealed record OrdersChanged(IReadOnlyDictionary<string, OpenOrderSummary> ByMarket, IReadOnlyDictionary<string, string> Blocked)
{
    public IReadOnlyDictionary<string, int> OpenByMarket => ByMarket.ToDictionary(kv => kv.Key, kv => kv.Value.Count, StringComparer.Ordinal);
}

/// <summary>The exchange's word on one order (the <c>user_orders</c> stream): the order actor adopts it for an order it tracks.</summary>
public sealed record ExchangeOrderUpdated(ExchangeOrder Order, string? Reason);
