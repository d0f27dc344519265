using Trader.Core.Orders;
using Trader.Exchange.Markets;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Matching;

/// <summary>The checks of a V2 create that need nothing but the request, the market and the time.</summary>
internal static class OrderValidation
{
    /// <summary>Kalshi's documented limit for client order ids: at most 64 characters of <c>[-\w:+=/]</c>.</summary>
    public const int MaxClientOrderIdLength = 64;

    public static KalshiError? Check(CreateOrderRequest request, Market market, DateTimeOffset now)
    {
        if (!request.Count.IsPositive)
            return ExchangeErrors.InvalidOrderSize($"count \"{request.Count.ToWireString()}\" must be at least 0.01");
        if (!market.Definition.Grid.IsValidOrderPrice(request.YesPrice))
            return ExchangeErrors.InvalidPrice(request.YesPrice, market.Ticker);
        if (ClientOrderIdProblem(request.ClientOrderId) is { } problem)
            return ExchangeErrors.InvalidOrder(problem);
        if (request.ExpirationTime is { } expiry)
        {
            if (request.TimeInForce != TimeInForce.GoodTillCanceled)
                return ExchangeErrors.InvalidOrder("expiration_time is only allowed with good_till_canceled");
            if (expiry <= now)
                return ExchangeErrors.InvalidOrder("expiration_time must be in the future");
        }
        if (request.PostOnly && request.TimeInForce != TimeInForce.GoodTillCanceled)
            return ExchangeErrors.InvalidOrder("post_only is only allowed with good_till_canceled");
        return null;
    }

    /// <summary>Why a client order id is unacceptable, or null when it is fine (an empty id means none was given).</summary>
    public static string? ClientOrderIdProblem(string? clientOrderId)
    {
        if (string.IsNullOrEmpty(clientOrderId)) return null;
        if (clientOrderId.Length > MaxClientOrderIdLength)
            return $"client_order_id is longer than {MaxClientOrderIdLength} characters";
        foreach (char c in clientOrderId)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '+' or '=' or '/';
            if (!ok) return $"client_order_id contains '{c}'; only letters, digits and _ - : + = / are allowed";
        }
        return null;
    }
}
