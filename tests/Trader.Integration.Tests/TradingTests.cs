using Trader.Actors.Coordinator;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Integration.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>Orders placed through the coordinator, filled by another user of the exchange, and canceled.</summary>
public sealed class TradingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Orders_fill_fully_and_partially_positions_and_pnl_match_the_exchange_and_a_canceled_order_is_gone()
    {
        await using var exchange = await StartAsync();
        var counterparty = exchange.AddUser();
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 10); // sells 10 YES at 55¢
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker] });
        await trader.ExpectStateAsync(TraderState.Ready);

        // Fully filled at once: 4 of the 10 on offer.
        var full = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.55", 4));
        Assert.Equal(ActionOutcome.Placed, full.Outcome);
        var fullOrder = exchange.Orders().Single(o => o.ClientOrderId == full.ClientOrderId);
        Assert.Equal((ExchangeOrderStatus.Executed, Quantity.FromContracts(4)), (fullOrder.Status, fullOrder.FillCount));

        // Partially filled: the other 6 on offer, the remaining 4 rest as our bid.
        var partial = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.55", 10));
        Assert.Equal(ActionOutcome.Placed, partial.Outcome);
        // The counterparty then sells 3 more into our resting bid: a maker fill that reaches us through the streams.
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 3);
        var partialOrder = exchange.Orders().Single(o => o.ClientOrderId == partial.ClientOrderId);
        Assert.Equal((ExchangeOrderStatus.Resting, Quantity.FromContracts(9), Quantity.FromContracts(1)),
            (partialOrder.Status, partialOrder.FillCount, partialOrder.RemainingCount));

        // Sell 5 of the 13 into the counterparty's bid at 60¢: realized P&L 5 × (0.60 − 0.55).
        exchange.Place(counterparty.UserId, BookSide.Bid, "0.6000", 5);
        var sell = await trader.SubmitAsync(trader.Action(OrderIntent.SellYes, "0.60", 5));
        Assert.Equal(ActionOutcome.Placed, sell.Outcome);

        // A bid far from the market that rests untouched.
        var resting = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.40", 3));
        Assert.Equal(ActionOutcome.Placed, resting.Outcome);

        await trader.AwaitAgreementAsync(exchange);
        var position = (await trader.PositionsAsync()).Positions[Ticker];
        Assert.Equal(Quantity.FromContracts(8), position.Contracts);
        Assert.Equal(Money.Parse("4.40"), position.CostBasis);
        Assert.Equal(Money.Parse("0.25"), position.RealizedPnl);
        Assert.Equal(exchange.Fills().Aggregate(Money.Zero, (sum, f) => sum + f.Fee), position.FeesPaid);
        var open = await trader.OpenOrdersAsync(Ticker);
        Assert.Equal(OrderStatus.PartiallyFilled, open.Single(o => o.ClientOrderId == partial.ClientOrderId).Status);
        Assert.Equal(OrderStatus.Accepted, open.Single(o => o.ClientOrderId == resting.ClientOrderId).Status);
        Assert.DoesNotContain(open, o => o.ClientOrderId == full.ClientOrderId || o.ClientOrderId == sell.ClientOrderId);

        // Cancel the untouched bid: it is gone from the exchange, and the trader agrees.
        var canceled = await trader.CancelAsync(resting.ClientOrderId!);
        Assert.True(canceled.Canceled, canceled.Detail);
        Assert.Equal(ExchangeOrderStatus.Canceled, exchange.Orders().Single(o => o.ClientOrderId == resting.ClientOrderId).Status);
        Assert.DoesNotContain(exchange.RestingOrders(), o => o.ClientOrderId == resting.ClientOrderId);
        await trader.AwaitAgreementAsync(exchange);
        Assert.Equal(4, exchange.Orders().Count);
    }
}
