using Trader.Actors.Coordinator;
using Trader.Core.Orders;
using Trader.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>Calibration against the simulated exchange: system check, sync, READY, with the exchange's state adopted.</summary>
public sealed class CalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Calibrates_to_ready_with_the_exchanges_balance_positions_and_resting_orders_and_logs_each_step()
    {
        await using var exchange = await StartAsync();
        // The account already traded before this trader started: a position from a fill and an order still resting.
        var seller = exchange.AddUser();
        exchange.Place(seller.UserId, BookSide.Ask, "0.5500", 5);
        exchange.Place(exchange.UserId, BookSide.Bid, "0.5500", 5);
        var resting = exchange.Place(exchange.UserId, BookSide.Bid, "0.4000", 3, OtherTicker);
        var cash = exchange.Balance().Cash;

        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker] });
        await trader.ExpectStateAsync(TraderState.Calibrating);
        await trader.ExpectStateAsync(TraderState.Ready);
        await trader.AwaitAgreementAsync(exchange);

        var report = await trader.StatusAsync();
        Assert.Equal(1, report.Calibrations);
        Assert.Null(report.LastError);
        var order = Assert.Single(await trader.OpenOrdersAsync());
        Assert.Equal((resting.OrderId, OrderStatus.Accepted), (order.ExchangeOrderId, order.Status));

        // The status log tells the calibration step by step, with the exchange's numbers.
        await trader.Kit.AwaitAssertAsync(() =>
        {
            var lines = trader.StatusLines();
            Assert.Equal("calibrating startup", lines[0]);
            Assert.Equal("calibrating -> checking exchange", lines[1]);
            Assert.StartsWith("calibrating -> health checks exchange: ✓", lines[2]);
            Assert.Contains("calibrating -> orders reconciled 1 adopted, 0 found, 0 updated, 0 finished elsewhere", lines);
            Assert.Contains($"calibrating -> syncing state Balance: {cash.ToDisplayString()} | Portfolio: ", lines.Single(l => l.StartsWith("calibrating -> syncing state")));
            Assert.Contains("| Positions: 1 active | Settlements: 0 fetched | Orders: 1 on exchange, 1 tracked locally", lines.Single(l => l.StartsWith("calibrating -> syncing state")));
            Assert.Equal($"ready cash {cash.ToDisplayString()}", lines.First(l => l.StartsWith("ready")));
        }, TraderUnderTest.Patience);
        Assert.Equal("ready", trader.Status.Current.CurrentState);
    }
}
