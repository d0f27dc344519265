using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Core.Orders;
using Trader.Exchange.Server.Faults;
using Trader.Integration.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Xunit.Abstractions;
using static Trader.Integration.Tests.Infrastructure.ExchangeUnderTest;

namespace Trader.Integration.Tests;

/// <summary>The exchange misbehaving on purpose (its fault injection), and the trader carrying on or recovering by itself.</summary>
public sealed class FaultRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_every_websocket_refused_with_503_the_trader_is_ready_reports_the_streams_down_and_trades_by_rest()
    {
        // As Kalshi's demo refused the orderbook WebSocket: every upgrade answered 503, from the start.
        await using var exchange = await StartAsync(configure: o => o with { Faults = new FaultSettings { WebsocketUpgrade503 = -1 } });
        var counterparty = exchange.AddUser();
        exchange.Place(counterparty.UserId, BookSide.Ask, "0.5500", 5);
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker] });
        await trader.ExpectStateAsync(TraderState.Ready);

        await trader.Kit.AwaitAssertAsync(async () =>
        {
            var report = await trader.StatusAsync();
            Assert.Equal(TraderState.Ready, report.State);
            var orderbook = Assert.Single(report.Streams, s => s.Stream == MarketDataActor.Name);
            Assert.False(orderbook.Connected);
            Assert.Contains("503", orderbook.Detail);
            Assert.Contains(report.Streams, s => s.Stream == "user-stream" && !s.Connected);
        }, TraderUnderTest.Patience);
        await trader.AwaitStatusLineAsync(l => l.Contains("-> orderbook down") && l.Contains("503") && l.EndsWith("(optional: trading goes on, degraded)"),
            "saying the orderbook stream is down with 503");
        Assert.Equal(1, trader.Metrics.StaleMarkets.Value());

        // Trading goes on by REST: the order is placed, and its fill arrives through the REST poll.
        var buy = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.55", 5));
        Assert.Equal(ActionOutcome.Placed, buy.Outcome);
        await trader.AwaitAgreementAsync(exchange);
        Assert.Equal(Trader.Core.Numbers.Quantity.FromContracts(5), (await trader.PositionsAsync()).Positions[Ticker].Contracts);
        Assert.Equal(TraderState.Ready, (await trader.StatusAsync()).State);

        // Once the exchange takes WebSockets again, both streams come back by themselves and the book is fresh.
        await exchange.Control.ClearFaultsAsync();
        await trader.Kit.AwaitAssertAsync(async () =>
        {
            var report = await trader.StatusAsync();
            Assert.All(report.Streams, s => Assert.True(s.Connected, $"{s.Stream}: {s.Detail}"));
            Assert.Equal(2, report.Streams.Count);
        }, TraderUnderTest.Patience);
        await trader.Events.FishForMessageAsync<BookSnapshotApplied>(s => s.Ticker == Ticker, TraderUnderTest.Patience);
        await trader.Kit.AwaitAssertAsync(() => Assert.Equal(0, trader.Metrics.StaleMarkets.Value()), TraderUnderTest.Patience);
        await trader.AwaitStatusLineAsync(l => l.StartsWith("ready -> orderbook up"), "saying the orderbook stream is up");
    }

    [Fact]
    public async Task An_exchange_that_answers_5xx_puts_the_trader_in_error_and_it_recovers_to_ready_by_itself_when_it_is_back()
    {
        await using var exchange = await StartAsync();
        using var trader = TraderUnderTest.Start(exchange, output);
        await trader.ExpectStateAsync(TraderState.Ready);

        // The exchange goes down for the trader's reads: status and every portfolio read answer 503.
        await exchange.Control.SetFaultsAsync(new FaultSettings
        {
            Rest = [new RestFaultRule("/exchange/status", 503, Times: -1), new RestFaultRule("/portfolio/*", 503, Times: -1)],
        });
        // The failing fill polls count as errors, the recalibration they trigger fails its exchange check: ERROR.
        await trader.ExpectStateAsync(TraderState.Error);
        var refused = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.40", 1));
        Assert.Equal((ActionOutcome.Refused, "trader_error"), (refused.Outcome, refused.Code));
        Assert.Contains("503", refused.Message);
        await trader.AwaitStatusLineAsync(l => l.StartsWith("error calibration failed: exchange status:") && l.Contains("503"), "of the failed calibration");
        // ERROR retries by itself (and fails again while the exchange is down).
        await trader.ExpectStateAsync(TraderState.Calibrating);
        await trader.ExpectStateAsync(TraderState.Error);

        await exchange.Control.ClearFaultsAsync();
        await trader.ExpectStateAsync(TraderState.Ready);
        await trader.AwaitAgreementAsync(exchange);
        var report = await trader.StatusAsync();
        Assert.Null(report.LastError);
        Assert.True(report.Calibrations >= 2, $"{report.Calibrations} calibrations");
        Assert.Empty(exchange.Orders());
        var placed = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.40", 1));
        Assert.Equal(ActionOutcome.Placed, placed.Outcome);
    }

    [Fact]
    public async Task An_accepted_create_whose_answer_never_arrives_blocks_the_market_until_found_by_client_order_id_without_a_duplicate()
    {
        await using var exchange = await StartAsync();
        // Without the account stream, whose user_orders frame would tell the trader about the order first (the next test).
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Hocon = "trader.market-data.user-stream = off" });
        await trader.ExpectStateAsync(TraderState.Ready);

        // The create is executed, then the connection is cut: no answer. The lookup by client order id fails for now,
        // so that the unknown outcome lasts until the test has seen it.
        await exchange.Control.SetFaultsAsync(new FaultSettings
        {
            Rest =
            [
                new RestFaultRule("/portfolio/events/orders", 0, "POST", Times: 1, AfterExecute: true),
                new RestFaultRule("/portfolio/orders", 503, "GET", Times: -1),
            ],
        });
        var unknown = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.40", 3));
        Assert.Equal((ActionOutcome.Unknown, "outcome_unknown"), (unknown.Outcome, unknown.Code));
        var cid = unknown.ClientOrderId!;
        Assert.Single(exchange.Orders(), o => o.ClientOrderId == cid); // it landed

        var blocked = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.41", 1));
        Assert.Equal((ActionOutcome.Refused, "market_blocked"), (blocked.Outcome, blocked.Code));
        Assert.Contains(cid, blocked.Message);
        Assert.Contains(Ticker, (await trader.StatusAsync()).Trading.Blocked.Keys);
        Assert.Equal(OrderStatus.Unknown, (await trader.OpenOrdersAsync(Ticker)).Single(o => o.ClientOrderId == cid).Status);
        await trader.AwaitStatusLineAsync(l => l.StartsWith("ready -> order outcome unknown") && l.Contains("BUY_YES 3.00 @ 0.4000"), "of the unknown outcome");
        var other = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.30", 1, OtherTicker));
        Assert.Equal(ActionOutcome.Placed, other.Outcome); // only that market is blocked

        // The lookup works again: the order is found by its client order id and the market unblocks.
        await exchange.Control.ClearFaultsAsync();
        await trader.Kit.AwaitAssertAsync(async () => Assert.Empty((await trader.StatusAsync()).Trading.Blocked), TraderUnderTest.Patience);
        var found = (await trader.OpenOrdersAsync(Ticker)).Single(o => o.ClientOrderId == cid);
        var onExchange = Assert.Single(exchange.Orders(), o => o.ClientOrderId == cid);
        Assert.Equal((OrderStatus.Accepted, onExchange.OrderId), (found.Status, found.ExchangeOrderId));
        Assert.Equal(ExchangeOrderStatus.Resting, onExchange.Status);

        var next = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.41", 1));
        Assert.Equal(ActionOutcome.Placed, next.Outcome);
        await trader.AwaitAgreementAsync(exchange);
        // Three orders created in all: the ambiguous one was never sent again.
        Assert.Equal(3, exchange.Orders().Count);
        Assert.Single(exchange.Orders(), o => o.ClientOrderId == cid);
    }

    [Fact]
    public async Task With_the_streams_up_a_create_whose_answer_never_arrives_is_settled_once_without_a_duplicate()
    {
        await using var exchange = await StartAsync();
        using var trader = TraderUnderTest.Start(exchange, output, new TraderSetup { Markets = [Ticker] });
        await trader.ExpectStateAsync(TraderState.Ready);
        await trader.Kit.AwaitAssertAsync(async () => Assert.All((await trader.StatusAsync()).Streams, s => Assert.True(s.Connected)),
            TraderUnderTest.Patience);

        await exchange.Control.SetFaultsAsync(new FaultSettings { Rest = [new RestFaultRule("/portfolio/events/orders", 0, "POST", AfterExecute: true)] });
        // Whichever comes first, the lost answer or the order's user_orders frame: unknown then found, or placed at once.
        var result = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.40", 3));
        Assert.Contains(result.Outcome, new[] { ActionOutcome.Unknown, ActionOutcome.Placed });

        await trader.Kit.AwaitAssertAsync(async () =>
        {
            Assert.Empty((await trader.StatusAsync()).Trading.Blocked);
            Assert.Equal(OrderStatus.Accepted, (await trader.OpenOrdersAsync(Ticker)).Single(o => o.ClientOrderId == result.ClientOrderId).Status);
        }, TraderUnderTest.Patience);
        Assert.Single(exchange.Orders());
        var next = await trader.SubmitAsync(trader.Action(OrderIntent.BuyYes, "0.41", 1));
        Assert.Equal(ActionOutcome.Placed, next.Outcome);
        await trader.AwaitAgreementAsync(exchange);
        Assert.Equal(2, exchange.Orders().Count);
    }
}
