using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Actions;

/// <summary>An order the policy's action asks for: what, at which price on its own contract, how many.</summary>
/// <param name="Intent">Buy/sell YES/NO.</param>
/// <param name="ContractPrice">The limit price on the intent's contract (a NO price for NO intents).</param>
/// <param name="Count">Contracts.</param>
public readonly record struct OrderProposal(OrderIntent Intent, Price ContractPrice, Quantity Count)
{
    /// <summary>The V2 side on the YES leg (bid = buy YES / sell NO, ask = sell YES / buy NO).</summary>
    public BookSide Side => Intent.BookSide;

    /// <summary>The YES-leg price the V2 order carries.</summary>
    public Price YesPrice => Intent.ToYesPrice(ContractPrice);

    /// <summary>Price × count on the intent's contract: what a buy costs or a sell brings, before fees.</summary>
    public Money Notional => ContractPrice * Count;

    public override string ToString() => $"{Intent} {Count.ToWireString()} @ {ContractPrice.ToWireString()}";
}

/// <summary>Why an action gave no order.</summary>
public enum NoOrderReason
{
    /// <summary>There is an order.</summary>
    None,

    /// <summary>The action is HOLD.</summary>
    Hold,

    /// <summary>The book is awaiting a snapshot or was invalidated: its prices cannot be trusted.</summary>
    BookNotLive,

    /// <summary>BUY_YES with no YES ask (no NO bids).</summary>
    NoYesAsk,

    /// <summary>SELL_YES with no YES bid.</summary>
    NoYesBid,

    /// <summary>BUY_NO with no NO ask (no YES bids).</summary>
    NoNoAsk,

    /// <summary>SELL_NO with no NO bid.</summary>
    NoNoBid,
}

/// <summary>The result of pricing an action: an order, or the reason there is none.</summary>
public readonly record struct ProposalOutcome(OrderProposal? Order, NoOrderReason Reason)
{
    public bool HasOrder => Order.HasValue;

    /// <summary>A sentence for logs: <c>no YES ask to buy at</c>, …</summary>
    public string Explanation => Reason switch
    {
        NoOrderReason.None => "order proposed",
        NoOrderReason.Hold => "hold: no order",
        NoOrderReason.BookNotLive => "the order book is not live (awaiting a snapshot or invalidated)",
        NoOrderReason.NoYesAsk => "no YES ask to buy at",
        NoOrderReason.NoYesBid => "no YES bid to sell at",
        NoOrderReason.NoNoAsk => "no NO ask to buy at",
        NoOrderReason.NoNoBid => "no NO bid to sell at",
        _ => Reason.ToString(),
    };

    /// <summary>snake_case code for metrics: <c>no_yes_ask</c>, …</summary>
    public string Code => Reason switch
    {
        NoOrderReason.None => "order",
        NoOrderReason.Hold => "hold",
        NoOrderReason.BookNotLive => "book_not_live",
        NoOrderReason.NoYesAsk => "no_yes_ask",
        NoOrderReason.NoYesBid => "no_yes_bid",
        NoOrderReason.NoNoAsk => "no_no_ask",
        NoOrderReason.NoNoBid => "no_no_bid",
        _ => Reason.ToString(),
    };

    internal static ProposalOutcome For(OrderProposal order) => new(order, NoOrderReason.None);
    internal static ProposalOutcome Without(NoOrderReason reason) => new(null, reason);
}

/// <summary>
/// Turns a decoded action into an order with the original's "aggressive" pricing (original-system.md §1.3): cross the
/// spread at the best opposite price of the contract traded —
/// BUY_YES at the best YES ask, SELL_YES at the best YES bid, BUY_NO at the best NO ask (= 1 − best YES bid),
/// SELL_NO at the best NO bid — for the action's size. Prices come from the book, so sub-penny books work as they are.
/// <para>Deliberate differences from the original (the issue keeps neither defect):</para>
/// <list type="bullet">
/// <item>NO prices are the true NO prices (1 − YES price, i.e. the book's NO levels). The original used 99 − x, which
/// put BUY_NO 1¢ under the NO ask and SELL_NO 1¢ under the NO bid: neither crossed, despite the "aggressive" name. On
/// the §15 F book (YES bids 50/49, YES asks 51/52) the original priced 51 / 50 / 49 / 48; this prices
/// 51 / 50 / 50 / 49.</item>
/// <item>A missing side gives no order and a named reason (<see cref="NoOrderReason"/>), where the original fell back
/// to 50¢ — a blind order at a price the book never showed.</item>
/// <item>A book that is not live (no snapshot yet, or invalidated by a gap) gives no order.</item>
/// </list>
/// Pure: the caller (the decision actor) applies the pre-trade checks and sends the order.
/// </summary>
public static class ActionPricing
{
    public static ProposalOutcome Propose(in DecodedAction action, OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (action.IsHold) return ProposalOutcome.Without(NoOrderReason.Hold);
        if (!action.Size.IsPositive)
            throw new ArgumentException($"action {action} has no positive size", nameof(action));
        if (!book.IsTrusted) return ProposalOutcome.Without(NoOrderReason.BookNotLive);

        (BookLevel? level, NoOrderReason missing) = action.Action switch
        {
            TradeAction.BuyYes => (book.BestYesAsk, NoOrderReason.NoYesAsk),
            TradeAction.SellYes => (book.BestYesBid, NoOrderReason.NoYesBid),
            TradeAction.BuyNo => (book.BestNoAsk, NoOrderReason.NoNoAsk),
            TradeAction.SellNo => (book.BestNoBid, NoOrderReason.NoNoBid),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.Action, "not a trade action"),
        };
        if (level is not { } best) return ProposalOutcome.Without(missing);
        return ProposalOutcome.For(new OrderProposal(action.Action.ToIntent()!.Value, best.Price, action.Size));
    }

    /// <summary>Decodes <paramref name="actionIndex"/> in <paramref name="space"/> (throwing when out of range) and prices it.</summary>
    public static ProposalOutcome Propose(ActionSpace space, int actionIndex, OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Propose(space.Decode(actionIndex), book);
    }
}
