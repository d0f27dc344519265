using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Matching;

/// <summary>Why an order last changed, Kalshi's <c>last_update_reason</c> (kalshi-api.md §3.5) plus the two plain cases.</summary>
public enum OrderUpdateReason
{
    /// <summary>The order was just placed (no <c>last_update_reason</c> on the wire).</summary>
    Placed,

    /// <summary>Canceled by its owner (no <c>last_update_reason</c> on the wire).</summary>
    Canceled,
    Trade,
    Amend,
    Decrease,
    MarginCancel,
    SelfTradeCancel,
    ExpiryCancel,
    CloseCancel,
    HaltCancel,
    PostOnlyCrossCancel,
    ReduceOnlyCancel,
}

public static class OrderUpdateReasonExtensions
{
    /// <summary>The wire word (<c>Trade</c>, <c>SelfTradeCancel</c>, …); null for <see cref="OrderUpdateReason.Placed"/> and <see cref="OrderUpdateReason.Canceled"/>.</summary>
    public static string? ToWire(this OrderUpdateReason reason) =>
        reason is OrderUpdateReason.Placed or OrderUpdateReason.Canceled ? null : reason.ToString();
}

/// <summary>
/// The exchange's own, mutable record of one order: what was asked, what is left, what it paid. Owned by the
/// <see cref="MatchingEngine"/>; linked into a <see cref="MarketBook"/> level while it rests (<see cref="Previous"/>,
/// <see cref="Next"/>). Everyone else sees it through <see cref="ToExchangeOrder"/>.
/// </summary>
internal sealed class OrderRecord
{
    public OrderRecord(string orderId, string? clientOrderId, string userId, string ticker, BookSide side, Price yesPrice,
        Quantity count, CreateOrderRequest request, DateTimeOffset now, Money balancePrecision)
    {
        OrderId = orderId;
        ClientOrderId = clientOrderId;
        UserId = userId;
        Ticker = ticker;
        Side = side;
        YesPrice = yesPrice;
        InitialCount = count;
        Remaining = count;
        TimeInForce = request.TimeInForce;
        SelfTradePrevention = request.SelfTradePrevention;
        PostOnly = request.PostOnly;
        ReduceOnly = request.ReduceOnly;
        CancelOrderOnPause = request.CancelOrderOnPause;
        ExpirationTime = request.ExpirationTime;
        CreatedTime = now;
        LastUpdateTime = now;
        Rounding = new BalanceRounding(balancePrecision);
    }

    public string OrderId { get; }
    public string? ClientOrderId { get; set; }
    public string UserId { get; }
    public string Ticker { get; }
    public BookSide Side { get; }
    public Price YesPrice { get; set; }

    /// <summary>The order's size: the count it was placed with, or the max fillable count of its last amend.</summary>
    public Quantity InitialCount { get; set; }
    public Quantity Filled { get; set; }
    public Quantity Remaining { get; set; }
    public TimeInForce TimeInForce { get; }
    public SelfTradePrevention SelfTradePrevention { get; }
    public bool PostOnly { get; }
    public bool ReduceOnly { get; }
    public bool CancelOrderOnPause { get; }
    public DateTimeOffset? ExpirationTime { get; }
    public DateTimeOffset CreatedTime { get; }
    public DateTimeOffset LastUpdateTime { get; set; }
    public ExchangeOrderStatus Status { get; set; } = ExchangeOrderStatus.Resting;
    public Money TakerFees { get; set; }
    public Money MakerFees { get; set; }
    public Money TakerFillCost { get; set; }
    public Money MakerFillCost { get; set; }

    /// <summary>Kalshi's per-order balance-rounding accumulator (fee rounding, kalshi-api.md §5.4).</summary>
    public BalanceRounding Rounding { get; }

    /// <summary>Time priority: lower rests ahead at the same price. Renewed when the order loses its place.</summary>
    public long Sequence { get; set; }

    /// <summary>What the order adds to its owner's reservation while it is open (<see cref="Accounts.Collateral"/>).</summary>
    public Accounts.Exposure? Tracked { get; set; }

    /// <summary>Where the order sits in its owner's <see cref="Accounts.AccountMarket.OpenOrders"/>; −1 when not there.</summary>
    public int HoldingIndex { get; set; } = -1;

    /// <summary>True while the order sits in its market's book.</summary>
    public bool InBook { get; set; }
    public OrderRecord? Previous { get; set; }
    public OrderRecord? Next { get; set; }

    public bool IsOpen => Status == ExchangeOrderStatus.Resting;

    /// <summary>Price of one contract on the leg this order buys: the YES price for a bid, the NO price for an ask.</summary>
    public Price LegPrice => Side == BookSide.Bid ? YesPrice : YesPrice.Complement;

    public ExchangeOrder ToExchangeOrder() => new(
        OrderId, ClientOrderId, Ticker, Side, YesPrice, Status, InitialCount, Filled, Remaining,
        TakerFees, MakerFees, TakerFillCost, MakerFillCost, CreatedTime, LastUpdateTime, ExpirationTime);
}
