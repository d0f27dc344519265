using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>A service actor crashing mid-session (the <see cref="InjectFault"/> drill): restart, recalibration, the exchange's state again.</summary>
public sealed class SupervisionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("orders")]
    [InlineData("positions")]
    [InlineData("sync")]
    public async Task A_crashed_child_is_restarted_and_the_trader_recalibrates_to_ready_with_the_exchanges_state(string child)
    {
        await using var exchange = await StartAsync();
        var counterparty = exchange.AddUser();
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 4);
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker] });
        await trader.ExpectStateAsync(TraderState.Ready);
        // A position (4 filled) and a resting order (the other 2), so that the crashed actor had state to lose.
        Assert.Equal(ActionOutcome.Placed, (await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.55", 6))).Outcome);
        await trader.AwaitAgreementAsync(exchange);

        trader.System.ActorSelection($"/user/trader/{child}").Tell(new InjectFault("integration drill"));
        await trader.ExpectStateAsync(TraderState.Calibrating);
        await trader.ExpectStateAsync(TraderState.Ready);
        await trader.AwaitStatusLineAsync(l => l == $"ready -> {child} restarted injected fault: integration drill", "of the restart");
        await trader.AwaitStatusLineAsync(l => l.StartsWith("calibrating cash ") && l.EndsWith($"| {child} restarted"), "of the recalibration");
        if (child == "orders")
            await trader.AwaitStatusLineAsync(l => l.StartsWith("calibrating -> orders reconciled 1 adopted"), "adopting the resting order");
        if (child == "positions")
            await trader.AwaitStatusLineAsync(l => l == "calibrating -> position differs KXBTCD-26DEC01-T100000: contracts 0.00 → 4.00, cost $0.00 → $2.20",
                "restoring the position");
        Assert.Equal(1, trader.Metrics.ChildRestarts.Value(child));

        await trader.AwaitAgreementAsync(exchange);
        Assert.Equal(Quantity.FromContracts(4), (await trader.PositionsAsync()).Positions[Ticker].Contracts);
        Assert.Equal(2, (await trader.StatusAsync()).Calibrations);

        // And it trades on: the restarted actors track the next fill of the adopted order.
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 2);
        await trader.Kit.AwaitAssertAsync(async () => Assert.Empty(await trader.OpenOrdersAsync()), TraderUnderTest.Patience);
        await trader.AwaitAgreementAsync(exchange);
        Assert.Equal(Quantity.FromContracts(6), (await trader.PositionsAsync()).Positions[Ticker].Contracts);
    }
}
