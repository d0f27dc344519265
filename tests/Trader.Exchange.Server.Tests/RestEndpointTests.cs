using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Server.Tests;

/// <summary>Every REST endpoint through the real <c>KalshiRestClient</c>, over loopback.</summary>
public sealed class RestEndpointTests
{
    public const string Ticker = "KXBTCD-26DEC01-T100000";
    public const string Other = "KXHIGHNY-26DEC01-B45.5";

    internal static CreateOrderRequest Order(BookSide side, string price, int count, string? clientOrderId = null, string ticker = Ticker,
        TimeInForce tif = TimeInForce.GoodTillCanceled, bool postOnly = false) =>
        new(ticker, clientOrderId ?? Guid.NewGuid().ToString(), side, Price.Parse(price), Quantity.FromContracts(count), tif, PostOnly: postOnly);

    internal static T Accepted<T>(WriteOutcome<T> outcome) =>
        outcome is WriteOutcome<T>.Accepted a ? a.Value : throw new Xunit.Sdk.XunitException($"expected Accepted, got {outcome}");

    internal static KalshiError Refused<T>(WriteOutcome<T> outcome) =>
        outcome is WriteOutcome<T>.Refused r ? r.Error : throw new Xunit.Sdk.XunitException($"expected Refused, got {outcome}");

    [Fact]
    public async Task Status_and_the_demo_users_starting_balance()
    {
        await using var sim = await Sim.StartAsync(o => o with { StartingBalance = Money.FromDollars(250) });
        var client = sim.Client();
        var status = await client.GetExchangeStatusAsync();
        Assert.True(status.ExchangeActive);
        Assert.True(status.TradingActive);
        var balance = await client.GetBalanceAsync();
        Assert.Equal(Money.FromDollars(250), balance.Cash);
        Assert.Equal(Money.Zero, balance.PortfolioValue);
    }

    [Fact]
    public async Task Markets_are_listed_filtered_and_read_one_by_one_without_a_key()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.AnonymousClient();
        var all = await client.GetMarketsAsync(new MarketQuery());
        Assert.Equal(6, all.Count);
        Assert.All(all, m => Assert.Equal("active", m.Status));
        Assert.Equal(6, (await client.GetMarketsAsync(new MarketQuery(Status: "open"))).Count);
        Assert.Empty(await client.GetMarketsAsync(new MarketQuery(Status: "settled")));
        var btc = Assert.Single(await client.GetMarketsAsync(new MarketQuery(SeriesTicker: "KXBTCD")));
        Assert.Equal(Ticker, btc.Ticker);
        Assert.Equal("KXBTCD-26DEC01", btc.EventTicker);
        var two = await client.GetMarketsAsync(new MarketQuery(Tickers: [Ticker, Other]));
        Assert.Equal(new[] { Other, Ticker }.Order(), two.Select(m => m.Ticker).Order());
        Assert.Single(await client.GetMarketsAsync(new MarketQuery(EventTicker: "KXHIGHNY-26DEC01")));

        var one = await client.GetMarketAsync("KXGREENLAND-29");
        Assert.NotNull(one);
        Assert.Equal("tapered_deci_cent", one.Grid.Name);
        Assert.True(one.Grid.IsValidOrderPrice(Price.Parse("0.0450")));
        Assert.Null(await client.GetMarketAsync("NO-SUCH-MARKET"));
    }

    [Fact]
    public async Task An_order_rests_shows_in_the_book_the_market_and_the_order_lists_and_is_canceled_once()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.Client();
        var ack = Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4200", 3, "rest-1")));
        Assert.Equal("rest-1", ack.ClientOrderId);
        Assert.Equal(Quantity.Zero, ack.FillCount);
        Assert.Equal(Quantity.FromContracts(3), ack.RemainingCount);
        Accepted(await client.CreateOrderAsync(Order(BookSide.Ask, "0.4800", 2)));
        Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 1)));

        var book = await client.GetOrderBookAsync(Ticker);
        Assert.Equal([new(Price.Parse("0.4000"), Quantity.FromContracts(1)), new(Price.Parse("0.4200"), Quantity.FromContracts(3))], book.YesBids);
        Assert.Equal([new(Price.Parse("0.5200"), Quantity.FromContracts(2))], book.NoBids); // the ask at 0.48 is a NO bid at 0.52
        var top = await client.GetOrderBookAsync(Ticker, depth: 1);
        Assert.Equal([new(Price.Parse("0.4200"), Quantity.FromContracts(3))], top.YesBids);

        var market = (await client.GetMarketAsync(Ticker))!;
        Assert.Equal(Price.Parse("0.4200"), market.YesBid);
        Assert.Equal(Price.Parse("0.4800"), market.YesAsk);

        var order = (await client.GetOrderAsync(ack.OrderId))!;
        Assert.Equal(ExchangeOrderStatus.Resting, order.Status);
        Assert.Equal(BookSide.Bid, order.Side);
        Assert.Equal(Price.Parse("0.4200"), order.YesPrice);
        Assert.Equal(3, (await client.GetOrdersAsync(new OrderQuery(Status: ExchangeOrderStatus.Resting))).Count);

        var cancel = Accepted(await client.CancelOrderAsync(ack.OrderId, Ticker));
        Assert.Equal(Quantity.FromContracts(3), cancel.ReducedBy);
        Assert.Equal("rest-1", cancel.ClientOrderId);
        var again = Refused(await client.CancelOrderAsync(ack.OrderId));
        Assert.True(again.IsNotFound);
        Assert.Equal("not_found", again.Code);
        var canceled = Assert.Single(await client.GetOrdersAsync(new OrderQuery(Status: ExchangeOrderStatus.Canceled)));
        Assert.Equal(ack.OrderId, canceled.OrderId);
        Assert.Equal(2, (await client.GetOrdersAsync(new OrderQuery(Ticker: Ticker, Status: ExchangeOrderStatus.Resting))).Count);
        Assert.Null(await client.GetOrderAsync("00000000-0000-0000-0000-000000000000"));
    }

    [Fact]
    public async Task Amend_and_decrease_change_the_resting_order()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.Client();
        var ack = Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.3000", 5, "amend-me")));
        var amended = Accepted(await client.AmendOrderAsync(new AmendOrderRequest(ack.OrderId, Ticker, BookSide.Bid, Price.Parse("0.3100"),
            Quantity.FromContracts(8), "amend-me")));
        Assert.Equal(Quantity.FromContracts(8), amended.RemainingCount);
        Assert.Equal(Price.Parse("0.3100"), (await client.GetOrderAsync(ack.OrderId))!.YesPrice);

        var decreased = Accepted(await client.DecreaseOrderAsync(new DecreaseOrderRequest(ack.OrderId, null, Quantity.FromContracts(2))));
        Assert.Equal(Quantity.FromContracts(2), decreased.RemainingCount);
        var reducedBy = Accepted(await client.DecreaseOrderAsync(new DecreaseOrderRequest(ack.OrderId, Quantity.FromContracts(1), null)));
        Assert.Equal(Quantity.FromContracts(1), reducedBy.RemainingCount);
        Assert.Equal(Quantity.FromContracts(1), (await client.GetOrderAsync(ack.OrderId))!.RemainingCount);

        var mismatch = Refused(await client.AmendOrderAsync(new AmendOrderRequest(ack.OrderId, Ticker, BookSide.Ask, Price.Parse("0.3100"), Quantity.FromContracts(2))));
        Assert.Equal("order_side_mismatch", mismatch.Code);
        var tooMuch = Refused(await client.DecreaseOrderAsync(new DecreaseOrderRequest(ack.OrderId, null, Quantity.FromContracts(5))));
        Assert.Equal("invalid_order_size", tooMuch.Code);
    }

    [Fact]
    public async Task Batch_create_answers_each_item_and_batch_cancel_too_and_cancel_all_empties_the_book()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.Client();
        Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.4700", 3)));
        var batch = Accepted(await client.BatchCreateOrdersAsync(
        [
            Order(BookSide.Bid, "0.4500", 5, "c-1", postOnly: true),
            Order(BookSide.Ask, "0.4600", 5, "c-2", postOnly: true), // would cross our 0.47 bid
            Order(BookSide.Ask, "0.6000", 1, "c-3"),
        ]));
        Assert.Equal(3, batch.Count);
        Assert.True(batch[0].IsSuccess);
        Assert.Equal("c-1", batch[0].ClientOrderId);
        Assert.False(batch[1].IsSuccess);
        Assert.Equal("invalid_order", batch[1].Error!.Code);
        Assert.Equal("post only cross", batch[1].Error!.Details);
        Assert.True(batch[2].IsSuccess);

        var cancels = Accepted(await client.BatchCancelOrdersAsync([(batch[0].OrderId!, Ticker), ("00000000-0000-0000-0000-000000000000", null)]));
        Assert.True(cancels[0].IsSuccess);
        Assert.Equal(Quantity.FromContracts(5), cancels[0].Value!.ReducedBy);
        Assert.False(cancels[1].IsSuccess);
        Assert.True(cancels[1].Error!.IsNotFound);

        Accepted(await client.CancelAllOrdersAsync());
        Assert.Empty(await client.GetOrdersAsync(new OrderQuery(Status: ExchangeOrderStatus.Resting)));
        var book = await client.GetOrderBookAsync(Ticker);
        Assert.Empty(book.YesBids);
        Assert.Empty(book.NoBids);
    }

    [Fact]
    public async Task A_cross_between_two_users_gives_fills_positions_trades_and_balances_that_agree()
    {
        await using var sim = await Sim.StartAsync(o => o with { StartingBalance = Money.FromDollars(100) });
        var me = sim.Client();
        var maker = sim.User(100m);
        var makerClient = sim.Client(maker.Credentials);
        Accepted(await makerClient.CreateOrderAsync(Order(BookSide.Ask, "0.5200", 1)));
        Accepted(await makerClient.CreateOrderAsync(Order(BookSide.Ask, "0.9900", 2)));

        var first = Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.9900", 1, tif: TimeInForce.ImmediateOrCancel)));
        Assert.Equal(Quantity.FromContracts(1), first.FillCount);
        Assert.Equal(Price.Parse("0.5200"), first.AverageFillPrice);
        Assert.Equal(Money.Parse("0.0175"), first.AverageFeePaid);
        Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.9900", 2, tif: TimeInForce.ImmediateOrCancel)));

        var fills = await me.GetFillsAsync(new FillQuery(Ticker: Ticker));
        Assert.Equal(2, fills.Count);
        Assert.All(fills, f => Assert.True(f.IsTaker));
        var position = Assert.Single(await me.GetPositionsAsync());
        Assert.Equal(Quantity.FromContracts(3), position.Position);
        Assert.Equal(Money.Parse("2.50"), position.MarketExposure);
        var fees = fills.Aggregate(Money.Zero, (s, f) => s + f.Fee);
        Assert.Equal(fees, position.FeesPaid);
        Assert.Equal(Money.FromDollars(100) - Money.Parse("2.50") - fees, (await me.GetBalanceAsync()).Cash);
        Assert.Equal(Quantity.FromContracts(-3), Assert.Single(await makerClient.GetPositionsAsync()).Position);

        var trades = await me.GetTradesAsync(Ticker);
        Assert.Equal(2, trades.Count);
        Assert.All(trades, t => Assert.Equal("bid", t.TakerBookSide));
        Assert.Equal(fills.Select(f => f.TradeId).Order(), trades.Select(t => t.TradeId).Order());
    }

    [Fact]
    public async Task Determination_and_settlement_by_control_pay_out_and_move_the_position_to_settlements()
    {
        await using var sim = await Sim.StartAsync(o => o with { StartingBalance = Money.FromDollars(100) });
        var me = sim.Client();
        var maker = sim.User(100m);
        Accepted(await sim.Client(maker.Credentials).CreateOrderAsync(Order(BookSide.Ask, "0.4000", 2)));
        Accepted(await me.CreateOrderAsync(Order(BookSide.Bid, "0.4000", 2, tif: TimeInForce.FillOrKill)));
        var before = (await me.GetBalanceAsync()).Cash;

        var determined = await sim.Control.DetermineMarketAsync(Ticker, MarketResult.Yes);
        Assert.Equal("determined", determined.Status);
        Assert.Equal("yes", determined.Result);
        var settled = await sim.Control.SettleMarketAsync(Ticker);
        Assert.Equal("finalized", settled.Status);

        var settlement = Assert.Single(await me.GetSettlementsAsync());
        Assert.Equal(Ticker, settlement.Ticker);
        Assert.Equal("yes", settlement.MarketResult);
        Assert.Equal(Quantity.FromContracts(2), settlement.YesCount);
        Assert.Equal(Money.FromDollars(2), settlement.Revenue);
        Assert.Equal(before + Money.FromDollars(2), (await me.GetBalanceAsync()).Cash);
        Assert.Empty(await me.GetPositionsAsync());
        Assert.Equal("finalized", (await me.GetMarketAsync(Ticker))!.Status);
        Assert.Single(await me.GetMarketsAsync(new MarketQuery(Status: "settled")));
        Assert.True((await sim.Control.GetLedgerAsync()).Balanced);
    }

    [Fact]
    public async Task Account_limits_endpoint_costs_and_series_fees()
    {
        await using var sim = await Sim.StartAsync(o => o with { RateLimits = Trader.Kalshi.RateLimiting.KalshiRateLimiter.BasicTier });
        var client = sim.Client();
        var limits = await client.ConfigureRateLimitsAsync();
        Assert.Equal("basic", limits.UsageTier);
        Assert.Equal(200, limits.ReadRefillRate);
        Assert.Equal(100, limits.WriteBucketCapacity);
        var costs = await client.GetEndpointCostsAsync();
        Assert.Equal(10, costs.DefaultCost);
        Assert.Equal(2, costs.CostOf("DELETE", "/trade-api/v2/portfolio/events/orders/abc"));
        Assert.Equal(2, costs.CostOf("GET", "/trade-api/v2/portfolio/orders/abc"));
        Assert.Equal(10, costs.CostOf("POST", "/trade-api/v2/portfolio/events/orders"));

        var fed = await client.GetSeriesFeesAsync("KXFEDDECISION");
        Assert.Equal(Trader.Core.Fees.FeeType.QuadraticWithMakerFees, fed!.Schedule.Type);
        var index = await client.GetSeriesFeesAsync("KXINXD");
        Assert.Equal(0.5m, index!.Schedule.Multiplier);
        Assert.Null(await client.GetSeriesFeesAsync("NOSUCHSERIES"));
    }
}
