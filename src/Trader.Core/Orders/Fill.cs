using Trader.Core.Numbers;

namespace Trader.Core.Orders;

/// <summary>
/// One execution of one of our orders. <see cref="Side"/> is the YES-leg book side of our order (bid = we gained YES
/// exposure), <see cref="YesPrice"/> the execution price on the YES leg (the NO leg is its complement).
/// <see cref="PostPosition"/> is the exchange's signed position after this fill when it said so.
/// </summary>
public sealed record Fill(
    string TradeId,
    string OrderId,
    string Ticker,
    BookSide Side,
    Price YesPrice,
    Quantity Count,
    Money Fee,
    bool IsTaker,
    DateTimeOffset Time,
    Quantity? PostPosition = null,
    string? ClientOrderId = null)
{
    public Price NoPrice => YesPrice.Complement;

    /// <summary>Signed change of the position: +count for a bid, −count for an ask.</summary>
    public Quantity SignedCount => Side == BookSide.Bid ? Count : -Count;
}
