using Trader.Core.Numbers;
using Trader.Kalshi.Api;

namespace Trader.Exchange;

/// <summary>
/// The refusals the simulated exchange gives, with Kalshi's HTTP statuses, codes and messages
/// (kalshi-api.md §3.12, §9.5). <see cref="KalshiError.Service"/> is left out: Kalshi dropped it in August 2026.
/// <para>
/// Market not open: Kalshi documents <c>MARKET_INACTIVE</c> for every order operation after close without
/// confirming the wire casing; this exchange answers <b>400 <c>market_inactive</c></b> (Kalshi's codes are
/// lower snake case), message <c>market inactive</c>, details naming the market and its status. It is given for a
/// market not yet open, paused (creates, amends and decreases only: cancels are allowed while paused), closed,
/// determined or settled.
/// </para>
/// </summary>
public static class ExchangeErrors
{
    public static KalshiError NotFound(string details) => new(404, "not_found", "not found", details);

    public static KalshiError OrderAlreadyExists(string clientOrderId) =>
        new(409, "order_already_exists", "order already exists", $"client_order_id \"{clientOrderId}\" was used before");

    public static KalshiError InsufficientBalance(Money required, Money available) =>
        new(400, "insufficient_balance", "insufficient balance",
            $"the order needs {required.ToWireString()} and {available.ToWireString()} is available");

    public static KalshiError InvalidPrice(Price price, string ticker) =>
        new(400, "invalid_price", "invalid price", $"price \"{price.ToWireString()}\" is not on the tick grid of {ticker}");

    public static KalshiError PostOnlyCross() => new(400, "invalid_order", "invalid order", "post only cross");

    public static KalshiError InvalidOrder(string details) => new(400, "invalid_order", "invalid order", details);

    public static KalshiError InvalidOrderSize(string details) => new(400, "invalid_order_size", "invalid order size", details);

    public static KalshiError MarketInactive(string ticker, string status) =>
        new(400, "market_inactive", "market inactive", $"market {ticker} is {status}");

    public static KalshiError OrderSideMismatch() => new(400, "order_side_mismatch", "order side mismatch", "the side differs from the order's side");

    public static KalshiError OrderTickerMismatch() => new(400, "order_ticker_mismatch", "order ticker mismatch", "the ticker differs from the order's market");

    public static KalshiError OrderIdAndClientOrderIdMismatch() =>
        new(400, "order_id_and_client_order_id_mismatch", "order id and client order id mismatch", "the client_order_id is not this order's");

    public static KalshiError UnknownAccount(string userId) => NotFound($"account {userId}");

    public static KalshiError UnknownMarket(string ticker) => NotFound($"market {ticker}");

    public static KalshiError UnknownOrder(string orderId) => NotFound($"order {orderId}");
}
