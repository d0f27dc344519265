using Trader.Core.Actions;
using Trader.Core.Books;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Tests.Actions;

public class ActionPricingTests
{
    private static readonly ActionSpace Five = ActionSpace.FiveActions(Quantity.FromContracts(5));

    /// <summary>
    /// The §15 F book: YES bids {50:100, 49:200}, YES asks {51:150, 52:250}. Kalshi sends the asks as NO bids at
    /// 100 − x: {49:150, 48:250}.
    /// </summary>
    private static OrderBook F15Book()
    {
        var book = new OrderBook("F15");
        book.ApplySnapshot(1,
            [new BookLevel(Price.FromCents(50), Quantity.FromContracts(100)), new BookLevel(Price.FromCents(49), Quantity.FromContracts(200))],
            [new BookLevel(Price.FromCents(49), Quantity.FromContracts(150)), new BookLevel(Price.FromCents(48), Quantity.FromContracts(250))]);
        return book;
    }

    private static OrderProposal Order(ProposalOutcome outcome)
    {
        Assert.True(outcome.HasOrder, outcome.Explanation);
        Assert.Equal(NoOrderReason.None, outcome.Reason);
        return outcome.Order!.Value;
    }

    [Fact]
    public void Hold_gives_no_order()
    {
        var outcome = ActionPricing.Propose(Five, 0, F15Book());
        Assert.False(outcome.HasOrder);
        Assert.Equal(NoOrderReason.Hold, outcome.Reason);
        Assert.Equal("hold", outcome.Code);
    }

    [Fact]
    public void Buy_yes_crosses_at_the_best_yes_ask()
    {
        var order = Order(ActionPricing.Propose(Five, 1, F15Book()));
        Assert.Equal(OrderIntent.BuyYes, order.Intent);
        Assert.Equal(Price.FromCents(51), order.ContractPrice);
        Assert.Equal(Price.FromCents(51), order.YesPrice);
        Assert.Equal(BookSide.Bid, order.Side);
        Assert.Equal(Quantity.FromContracts(5), order.Count);
        Assert.Equal(Money.FromCents(255), order.Notional);
    }

    [Fact]
    public void Sell_yes_crosses_at_the_best_yes_bid()
    {
        var order = Order(ActionPricing.Propose(Five, 2, F15Book()));
        Assert.Equal(OrderIntent.SellYes, order.Intent);
        Assert.Equal(Price.FromCents(50), order.ContractPrice);
        Assert.Equal(BookSide.Ask, order.Side);
    }

    /// <summary>The original priced BUY_NO at 99 − 50 = 49¢, a cent under the NO ask; the true NO ask is 1 − 0.50.</summary>
    [Fact]
    public void Buy_no_crosses_at_the_best_no_ask_which_is_one_minus_the_best_yes_bid()
    {
        var order = Order(ActionPricing.Propose(Five, 3, F15Book()));
        Assert.Equal(OrderIntent.BuyNo, order.Intent);
        Assert.Equal(Price.FromCents(50), order.ContractPrice);
        Assert.NotEqual(Price.FromCents(49), order.ContractPrice);
        // V2: buy NO at q = ask on the YES leg at 1 − q, which is the best YES bid: it crosses.
        Assert.Equal(BookSide.Ask, order.Side);
        Assert.Equal(Price.FromCents(50), order.YesPrice);
    }

    /// <summary>The original priced SELL_NO at 99 − 51 = 48¢, a cent under the NO bid; the true NO bid is 1 − 0.51.</summary>
    [Fact]
    public void Sell_no_crosses_at_the_best_no_bid()
    {
        var order = Order(ActionPricing.Propose(Five, 4, F15Book()));
        Assert.Equal(OrderIntent.SellNo, order.Intent);
        Assert.Equal(Price.FromCents(49), order.ContractPrice);
        Assert.Equal(BookSide.Bid, order.Side);
        Assert.Equal(Price.FromCents(51), order.YesPrice);
    }

    [Fact]
    public void Sized_space_uses_the_actions_size()
    {
        var space = ActionSpace.TwentyOneActions();
        var order = Order(ActionPricing.Propose(space, space.Encode(TradeAction.SellNo, 3), F15Book()));
        Assert.Equal(OrderIntent.SellNo, order.Intent);
        Assert.Equal(Quantity.FromContracts(50), order.Count);
        Assert.Equal(Price.FromCents(49), order.ContractPrice);
    }

    [Fact]
    public void Missing_sides_give_no_order_and_a_named_reason()
    {
        // Only YES bids: no YES ask (no NO bids) and no NO bid.
        var yesOnly = new OrderBook("Y");
        yesOnly.ApplySnapshot(1, [new BookLevel(Price.FromCents(40), Quantity.FromContracts(10))], []);
        var buyYes = ActionPricing.Propose(Five, 1, yesOnly);
        Assert.False(buyYes.HasOrder);
        Assert.Equal(NoOrderReason.NoYesAsk, buyYes.Reason);
        Assert.Equal("no YES ask to buy at", buyYes.Explanation);
        Assert.Equal("no_yes_ask", buyYes.Code);
        Assert.Equal(NoOrderReason.NoNoBid, ActionPricing.Propose(Five, 4, yesOnly).Reason);
        Assert.Equal("no NO bid to sell at", ActionPricing.Propose(Five, 4, yesOnly).Explanation);
        Assert.Equal(Price.FromCents(40), Order(ActionPricing.Propose(Five, 2, yesOnly)).ContractPrice);
        Assert.Equal(Price.FromCents(60), Order(ActionPricing.Propose(Five, 3, yesOnly)).ContractPrice);

        // Only NO bids: no YES bid and no NO ask.
        var noOnly = new OrderBook("N");
        noOnly.ApplySnapshot(1, [], [new BookLevel(Price.FromCents(30), Quantity.FromContracts(10))]);
        Assert.Equal(NoOrderReason.NoYesBid, ActionPricing.Propose(Five, 2, noOnly).Reason);
        Assert.Equal("no YES bid to sell at", ActionPricing.Propose(Five, 2, noOnly).Explanation);
        Assert.Equal(NoOrderReason.NoNoAsk, ActionPricing.Propose(Five, 3, noOnly).Reason);
        Assert.Equal("no NO ask to buy at", ActionPricing.Propose(Five, 3, noOnly).Explanation);
        Assert.Equal(Price.FromCents(70), Order(ActionPricing.Propose(Five, 1, noOnly)).ContractPrice);
        Assert.Equal(Price.FromCents(30), Order(ActionPricing.Propose(Five, 4, noOnly)).ContractPrice);

        // Empty book: every trading action has a reason, none falls back to 50¢.
        var empty = new OrderBook("E");
        empty.ApplySnapshot(1, [], []);
        for (int a = 1; a <= 4; a++) Assert.False(ActionPricing.Propose(Five, a, empty).HasOrder);
    }

    [Fact]
    public void A_book_that_is_not_live_gives_no_order()
    {
        var awaiting = new OrderBook("A");
        var outcome = ActionPricing.Propose(Five, 1, awaiting);
        Assert.Equal(NoOrderReason.BookNotLive, outcome.Reason);
        Assert.Contains("not live", outcome.Explanation);

        var book = F15Book();
        book.Invalidate();
        Assert.Equal(NoOrderReason.BookNotLive, ActionPricing.Propose(Five, 2, book).Reason);
        // HOLD is still HOLD.
        Assert.Equal(NoOrderReason.Hold, ActionPricing.Propose(Five, 0, book).Reason);
    }

    [Fact]
    public void Sub_penny_books_are_priced_from_their_levels()
    {
        var book = new OrderBook("SUB", TickGrid.DeciCent);
        book.ApplySnapshot(1,
            [new BookLevel(Price.FromTicks(450), Quantity.FromContracts(10))],      // YES bid 0.045
            [new BookLevel(Price.FromTicks(9530), Quantity.FromUnits(250))]);        // NO bid 0.953 → YES ask 0.047
        Assert.Equal(Price.FromTicks(470), Order(ActionPricing.Propose(Five, 1, book)).ContractPrice);
        Assert.Equal(Price.FromTicks(450), Order(ActionPricing.Propose(Five, 2, book)).ContractPrice);
        Assert.Equal(Price.FromTicks(9550), Order(ActionPricing.Propose(Five, 3, book)).ContractPrice);
        var sellNo = Order(ActionPricing.Propose(Five, 4, book));
        Assert.Equal(Price.FromTicks(9530), sellNo.ContractPrice);
        Assert.Equal(Price.FromTicks(470), sellNo.YesPrice);
        Assert.Equal("SELL_NO 5.00 @ 0.9530", sellNo.ToString());
    }

    [Fact]
    public void Out_of_range_index_is_an_error_not_a_hold()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ActionPricing.Propose(Five, 5, F15Book()));
        Assert.Contains("outside this 5-action space", ex.Message);
    }

    [Fact]
    public void An_action_without_a_size_is_rejected()
    {
        var sizeless = new DecodedAction(1, TradeAction.BuyYes, 0, Quantity.Zero);
        Assert.Contains("no positive size", Assert.Throws<ArgumentException>(() => ActionPricing.Propose(sizeless, F15Book())).Message);
    }
}
