using Trader.Actors.Coordinator;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Integration.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>
/// The whole process killed mid-trading and started again, in process: the first trader's actor system is aborted
/// (nothing of its shutdown runs: no stop of trading, no cancel of resting orders) and a brand-new one — new actor
/// system, settings, REST client, key loaded from the file again, status log — calibrates against the same account.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_trader_killed_mid_trading_and_started_again_adopts_the_exchanges_orders_positions_and_cash_without_placing_twice()
    {
        await using var exchange = await StartAsync();
        var counterparty = exchange.AddUser();
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 4);
        exchange.Place(counterparty.UserId, BookSide.Bid, "0.3000", 5, OtherTicker);

        var first = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker], SystemName = "trader-before" });
        ActionResult partial, resting, sold;
        try
        {
            await first.ExpectStateAsync(TraderState.Ready);
            partial = await first.SubmitAsync(first.Action(OrderIntent.BuyYes, "0.55", 6));      // 4 filled, 2 rest
            resting = await first.SubmitAsync(first.Action(OrderIntent.BuyYes, "0.40", 3));      // rests
            sold = await first.SubmitAsync(first.Action(OrderIntent.BuyNo, "0.70", 5, OtherTicker)); // filled: short YES 5
            Assert.All(new[] { partial, resting, sold }, r => Assert.Equal(ActionOutcome.Placed, r.Outcome));
            await first.AwaitAgreementAsync(exchange);
            await first.KillAsync();
        }
        finally
        {
            first.Dispose();
        }

        // Nothing was canceled by the "crash": both bids still rest on the exchange.
        var created = exchange.Orders();
        Assert.Equal(3, created.Count);
        var stillResting = exchange.RestingOrders();
        Assert.Equal(new[] { partial.ClientOrderId, resting.ClientOrderId }.Order(), stillResting.Select(o => o.ClientOrderId).Order());

        using var second = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker], SystemName = "trader-after" });
        await second.ExpectStateAsync(TraderState.Ready);
        await second.AwaitAgreementAsync(exchange);
        await second.AwaitStatusLineAsync(l => l.StartsWith("calibrating -> orders reconciled 2 adopted"), "adopting the two resting orders");
        var adopted = await second.OpenOrdersAsync();
        var adoptedPartial = adopted.Single(o => o.ClientOrderId == partial.ClientOrderId);
        Assert.Equal((OrderStatus.PartiallyFilled, Quantity.FromContracts(4)), (adoptedPartial.Status, adoptedPartial.Filled));
        var positions = (await second.PositionsAsync()).Positions;
        Assert.Equal(Quantity.FromContracts(4), positions[Ticker].Contracts);
        Assert.Equal(Quantity.FromContracts(-5), positions[OtherTicker].Contracts);
        Assert.Equal(created.Select(o => o.OrderId).Order(), exchange.Orders().Select(o => o.OrderId).Order()); // nothing placed again

        // The new trader carries on with what it adopted: the rest of the partial bid fills, the far bid is canceled.
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 2);
        var canceled = await second.CancelAsync(resting.ClientOrderId!);
        Assert.True(canceled.Canceled, canceled.Detail);
        await second.Kit.AwaitAssertAsync(async () => Assert.Empty(await second.OpenOrdersAsync()), TraderUnderTest.Patience);
        await second.AwaitAgreementAsync(exchange);
        Assert.Equal(Quantity.FromContracts(6), (await second.PositionsAsync()).Positions[Ticker].Contracts);
        Assert.Empty(exchange.RestingOrders());
        Assert.Equal(3, exchange.Orders().Count);
    }
}
