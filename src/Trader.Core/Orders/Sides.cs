using Trader.Core.Numbers;

namespace Trader.Core.Orders;

/// <summary>The V2 order side on the YES leg: <c>bid</c> = buy YES (≡ sell NO), <c>ask</c> = sell YES (≡ buy NO).</summary>
public enum BookSide
{
    Bid,
    Ask,
}

/// <summary>Which contract of a binary market.</summary>
public enum ContractSide
{
    Yes,
    No,
}

public enum OrderAction
{
    Buy,
    Sell,
}

public enum TimeInForce
{
    GoodTillCanceled,
    ImmediateOrCancel,
    FillOrKill,
}

/// <summary>
/// The user's view of an order (buy or sell, YES or NO) and its mapping to Kalshi's V2 YES-leg side and price:
/// buy YES at p → bid p; sell YES at p → ask p; buy NO at q → ask 1 − q; sell NO at q → bid 1 − q.
/// </summary>
public readonly record struct OrderIntent(OrderAction Action, ContractSide Contract)
{
    public static readonly OrderIntent BuyYes = new(OrderAction.Buy, ContractSide.Yes);
    public static readonly OrderIntent SellYes = new(OrderAction.Sell, ContractSide.Yes);
    public static readonly OrderIntent BuyNo = new(OrderAction.Buy, ContractSide.No);
    public static readonly OrderIntent SellNo = new(OrderAction.Sell, ContractSide.No);

    public BookSide BookSide => (Action, Contract) switch
    {
        (OrderAction.Buy, ContractSide.Yes) => BookSide.Bid,
        (OrderAction.Sell, ContractSide.Yes) => BookSide.Ask,
        (OrderAction.Buy, ContractSide.No) => BookSide.Ask,
        _ => BookSide.Bid,
    };

    /// <summary>The YES-leg price the V2 order carries for a price quoted on this intent's contract.</summary>
    public Price ToYesPrice(Price contractPrice) => Contract == ContractSide.Yes ? contractPrice : contractPrice.Complement;

    /// <summary>The price on this intent's contract for a YES-leg price.</summary>
    public Price FromYesPrice(Price yesPrice) => Contract == ContractSide.Yes ? yesPrice : yesPrice.Complement;

    /// <summary>BUY_YES, SELL_NO, …</summary>
    public override string ToString() => $"{(Action == OrderAction.Buy ? "BUY" : "SELL")}_{(Contract == ContractSide.Yes ? "YES" : "NO")}";
}

public static class BookSideExtensions
{
    /// <summary>+1 when the side adds YES exposure (bid), −1 when it adds NO exposure (ask).</summary>
    public static int PositionSign(this BookSide side) => side == BookSide.Bid ? 1 : -1;

    public static string ToWire(this BookSide side) => side == BookSide.Bid ? "bid" : "ask";

    public static string ToWire(this TimeInForce tif) => tif switch
    {
        TimeInForce.GoodTillCanceled => "good_till_canceled",
        TimeInForce.ImmediateOrCancel => "immediate_or_cancel",
        _ => "fill_or_kill",
    };
}
