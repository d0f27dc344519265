using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Exchange;

/// <summary>The exchange's view of an order as a Core <see cref="Order"/>, for reconciliation.</summary>
public static class ExchangeOrderMapping
{
    /// <summary>Client order id given to orders placed without one (from Kalshi's site, another program).</summary>
    public static string ExternalClientOrderId(string orderId) => "ext:" + orderId;

    public static OrderStatus ToCoreStatus(this ExchangeOrder e) => e.Status switch
    {
        ExchangeOrderStatus.Executed => OrderStatus.Filled,
        ExchangeOrderStatus.Canceled => OrderStatus.Canceled,
        _ => e.FillCount.IsPositive ? OrderStatus.PartiallyFilled : OrderStatus.Accepted,
    };

    /// <summary>
    /// Maps the exchange's order. The V2 book side does not say whether an ask was "sell YES" or "buy NO"; the intent
    /// is taken in Kalshi's outcome-side terms (bid → buy YES, ask → buy NO). The YES-leg price and side are exact.
    /// </summary>
    public static Order ToCoreOrder(this ExchangeOrder e, DateTimeOffset now)
    {
        var intent = e.Side == BookSide.Bid ? OrderIntent.BuyYes : OrderIntent.BuyNo;
        // Fill costs are booked from the outcome side: a bid pays YES prices, an ask NO prices (1 − YES each).
        var outcomeCost = e.TakerFillCost + e.MakerFillCost;
        var fillCostYes = e.Side == BookSide.Bid ? outcomeCost : Price.One * e.FillCount - outcomeCost;
        return new Order
        {
            ClientOrderId = string.IsNullOrEmpty(e.ClientOrderId) ? ExternalClientOrderId(e.OrderId) : e.ClientOrderId,
            ExchangeOrderId = e.OrderId,
            Ticker = e.Ticker,
            Intent = intent,
            YesPrice = e.YesPrice,
            Count = e.InitialCount,
            Filled = e.FillCount,
            Remaining = e.RemainingCount,
            Status = e.ToCoreStatus(),
            FillCostYes = fillCostYes,
            Fees = e.TakerFees + e.MakerFees,
            CreatedAt = e.CreatedTime ?? now,
            UpdatedAt = e.LastUpdateTime ?? now,
            ExpiresAt = e.ExpirationTime,
        };
    }
}
