using Trader.Core.Orders;

namespace Trader.Kalshi.Api;

/// <summary>
/// The Kalshi Trade API v2 as the trader uses it, in Core types. Implemented over HTTP by the REST client (against
/// Kalshi or the simulated exchange) and by test doubles.
/// <para>
/// Reads follow every page, retry 5xx and 429 with jittered backoff, and throw <see cref="KalshiApiException"/> when
/// the exchange keeps refusing or <see cref="KalshiTransportException"/> when it cannot be reached. Writes are never
/// retried blindly; they return a <see cref="WriteOutcome{T}"/>. A create always carries a client order id; a 409
/// for that id is answered by looking the order up, so a retried create that had landed is
/// <see cref="WriteOutcome{T}.Accepted"/>, not a duplicate order.
/// </para>
/// </summary>
public interface IKalshiApi
{
    Task<ExchangeStatus> GetExchangeStatusAsync(CancellationToken ct = default);

    Task<AccountBalance> GetBalanceAsync(CancellationToken ct = default);

    /// <summary>Unsettled positions with a non-zero position (all pages).</summary>
    Task<IReadOnlyList<ExchangePosition>> GetPositionsAsync(string? ticker = null, CancellationToken ct = default);

    Task<IReadOnlyList<ExchangeOrder>> GetOrdersAsync(OrderQuery query, CancellationToken ct = default);

    /// <summary>One order by exchange id; null when the exchange does not know it (404).</summary>
    Task<ExchangeOrder?> GetOrderAsync(string orderId, CancellationToken ct = default);

    /// <summary>
    /// The order created with this client order id, searching the market's orders created at or after
    /// <paramref name="createdAfter"/>; null when there is none (the create never landed).
    /// </summary>
    Task<ExchangeOrder?> FindOrderByClientOrderIdAsync(string ticker, string clientOrderId, DateTimeOffset createdAfter, CancellationToken ct = default);

    Task<IReadOnlyList<Fill>> GetFillsAsync(FillQuery query, CancellationToken ct = default);

    Task<IReadOnlyList<Settlement>> GetSettlementsAsync(DateTimeOffset? since = null, CancellationToken ct = default);

    Task<IReadOnlyList<MarketInfo>> GetMarketsAsync(MarketQuery query, CancellationToken ct = default);

    /// <summary>One market; null when the ticker is unknown (404).</summary>
    Task<MarketInfo?> GetMarketAsync(string ticker, CancellationToken ct = default);

    Task<OrderBookSnapshot> GetOrderBookAsync(string ticker, int? depth = null, CancellationToken ct = default);

    Task<AccountLimits> GetAccountLimitsAsync(CancellationToken ct = default);

    Task<WriteOutcome<OrderAck>> CreateOrderAsync(CreateOrderRequest request, CancellationToken ct = default);

    /// <summary>Cancels a resting order. A 404 (already canceled, executed or unknown) is <see cref="WriteOutcome{T}.Refused"/> with <see cref="KalshiError.IsNotFound"/>.</summary>
    Task<WriteOutcome<CancelAck>> CancelOrderAsync(string orderId, string? ticker = null, CancellationToken ct = default);

    Task<WriteOutcome<OrderAck>> AmendOrderAsync(AmendOrderRequest request, CancellationToken ct = default);

    Task<WriteOutcome<DecreaseAck>> DecreaseOrderAsync(DecreaseOrderRequest request, CancellationToken ct = default);

    Task<WriteOutcome<IReadOnlyList<BatchItem<OrderAck>>>> BatchCreateOrdersAsync(IReadOnlyList<CreateOrderRequest> requests, CancellationToken ct = default);

    Task<WriteOutcome<IReadOnlyList<BatchItem<CancelAck>>>> BatchCancelOrdersAsync(IReadOnlyList<(string OrderId, string? Ticker)> orders, CancellationToken ct = default);

    /// <summary>Cancels every resting order of the account.</summary>
    Task<WriteOutcome<NoContent>> CancelAllOrdersAsync(CancellationToken ct = default);
}
