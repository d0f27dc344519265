using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

/// <summary>Every refusal answers Kalshi's status and code (kalshi-api.md §3.12, §9.5) and changes nothing.</summary>
public sealed class RefusalTests
{
    private static void AssertError(KalshiError error, int status, string code, string? details = null)
    {
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(code, error.Code);
        if (details is not null) Assert.Equal(details, error.Details);
    }

    [Fact]
    public void An_order_the_balance_cannot_pay_is_insufficient_balance()
    {
        var f = new ExchangeFixture();
        var me = f.User("me", 100m);
        var error = f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.9900", 10099)));
        AssertError(error, 400, "insufficient_balance");
        Assert.Equal("insufficient balance", error.Message);
        Assert.Empty(f.Book().YesBids);
        Assert.Equal(M("100"), f.Available(me));
    }

    [Fact]
    public void Resting_orders_hold_their_collateral_so_the_next_order_can_be_refused()
    {
        var f = new ExchangeFixture();
        var me = f.User("me", 10m);
        f.Place(me, BookSide.Bid, "0.5000", 10); // 5.00 + fee bound 0.1750 + 0.0001
        Assert.Equal(M("4.8249"), f.Available(me));
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 10))), 400, "insufficient_balance");
        f.Place(me, BookSide.Ask, "0.6000", 10); // a NO bid at 0.40: 4.00 + 0.1680 + 0.0001
        Assert.Equal(M("0.6568"), f.Available(me));
    }

    [Fact]
    public void A_price_off_the_tick_grid_is_invalid_price()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5150", 1))), 400, "invalid_price");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5150", 1, ticker: SubPennyTicker))), 400, "invalid_price");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "1.0000", 1))), 400, "invalid_price");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.0000", 1))), 400, "invalid_price");
        f.Place(me, BookSide.Bid, "0.0450", 1, ticker: SubPennyTicker); // sub-penny below 0.10 is on the tapered grid
        f.Place(me, BookSide.Ask, "0.9150", 1, ticker: SubPennyTicker);
    }

    [Fact]
    public void A_post_only_order_that_would_cross_is_invalid_order_post_only_cross()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.5200", 1);
        var error = f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.9900", 1, postOnly: true)));
        AssertError(error, 400, "invalid_order", "post only cross");
        Assert.Single(f.Book().NoBids);
        Assert.Empty(f.Exchange.GetOrders(me).Value);
    }

    [Fact]
    public void A_reused_client_order_id_is_409_even_after_the_order_was_canceled()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var ack = f.Place(me, BookSide.Bid, "0.1000", 1, clientOrderId: "my-id-1");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.1100", 1, clientOrderId: "my-id-1"))), 409, "order_already_exists");
        f.Exchange.CancelOrder(me, ack.OrderId);
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.1100", 1, clientOrderId: "my-id-1"))), 409, "order_already_exists");
        var other = f.User("other");
        f.Place(other, BookSide.Bid, "0.1000", 1, clientOrderId: "my-id-1"); // unique per account, not across accounts
    }

    [Fact]
    public void Client_order_ids_stay_used_after_their_orders_leave_the_history()
    {
        var f = new ExchangeFixture(new ExchangeOptions { HistoryLimit = 2 });
        var me = f.User("me");
        var first = f.Place(me, BookSide.Bid, "0.1000", 1, clientOrderId: "old-1");
        f.Exchange.CancelOrder(me, first.OrderId);
        for (int i = 0; i < 2; i++) f.Exchange.CancelOrder(me, f.Place(me, BookSide.Bid, "0.1000", 1).OrderId);
        AssertError(f.Refused(f.Exchange.GetOrder(me, first.OrderId)), 404, "not_found"); // moved out, like Kalshi's /historical
        Assert.Equal(2, f.Exchange.GetOrders(me).Value.Count);
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.1000", 1, clientOrderId: "old-1"))), 409, "order_already_exists");
    }

    [Fact]
    public void A_refused_create_does_not_use_up_its_client_order_id()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5150", 1, clientOrderId: "retry-me")));
        f.Place(me, BookSide.Bid, "0.5100", 1, clientOrderId: "retry-me");
    }

    [Fact]
    public void Order_operations_on_a_market_that_is_not_open_are_market_inactive()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var resting = f.Place(me, BookSide.Bid, "0.4000", 2);
        f.Exchange.PauseMarket(Ticker);
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.4000", 1))), 400, "market_inactive");
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(resting.OrderId, Q(1), null))), 400, "market_inactive");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, Ticker, BookSide.Bid, P("0.4100"), Q(2)))), 400, "market_inactive");
        Assert.True(f.Exchange.CancelOrder(me, resting.OrderId).IsSuccess); // cancels are allowed while paused

        f.Exchange.ResumeMarket(Ticker);
        var open = f.Place(me, BookSide.Bid, "0.4000", 1);
        f.Exchange.CloseMarket(Ticker);
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.4000", 1))), 400, "market_inactive");
        AssertError(f.Refused(f.Exchange.CancelOrder(me, open.OrderId)), 400, "market_inactive");
        AssertError(f.Refused(f.Exchange.CancelOrder(me, open.OrderId, Ticker)), 400, "market_inactive");
    }

    [Fact]
    public void A_market_before_its_open_time_refuses_orders()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        var later = new Markets.MarketDefinition
        {
            Ticker = "KXLATER-1", EventTicker = "KXLATER", SeriesTicker = "KXLATER", Title = "later",
            OpenTime = Start.AddHours(1), CloseTime = Start.AddHours(2),
        };
        var exchange = new SimulatedExchange([later], f.Time);
        exchange.Deposit(me, M("10"));
        var error = f.Refused(exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, ticker: "KXLATER-1")));
        AssertError(error, 400, "market_inactive");
        Assert.Contains("initialized", error.Details);
        Assert.Equal("initialized", exchange.GetMarket("KXLATER-1").Value.Status);
        f.Time.Advance(TimeSpan.FromHours(1));
        Assert.True(exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, ticker: "KXLATER-1")).IsSuccess);
    }

    [Fact]
    public void Cancel_amend_and_decrease_of_an_unknown_finished_or_foreign_order_are_404()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        AssertError(f.Refused(f.Exchange.CancelOrder(me, "00000000-0000-0000-0000-000000000000")), 404, "not_found");
        var foreign = f.Place(maker, BookSide.Ask, "0.5200", 1);
        AssertError(f.Refused(f.Exchange.CancelOrder(me, foreign.OrderId)), 404, "not_found");
        var executed = f.Place(me, BookSide.Bid, "0.5200", 1);
        AssertError(f.Refused(f.Exchange.CancelOrder(me, executed.OrderId)), 404, "not_found");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(executed.OrderId, Ticker, BookSide.Bid, P("0.5000"), Q(2)))), 404, "not_found");
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(executed.OrderId, Q(1), null))), 404, "not_found");
        var canceled = f.Place(me, BookSide.Bid, "0.1000", 1);
        f.Exchange.CancelOrder(me, canceled.OrderId);
        AssertError(f.Refused(f.Exchange.CancelOrder(me, canceled.OrderId)), 404, "not_found");
    }

    [Fact]
    public void Bad_counts_and_options_are_refused_with_the_code_that_names_them()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 0))), 400, "invalid_order_size");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", -1))), 400, "invalid_order_size");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, TimeInForce.ImmediateOrCancel, expiration: Start.AddHours(1)))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, expiration: Start.AddSeconds(-1)))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, clientOrderId: "bad id!"))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, clientOrderId: new string('a', 65)))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, TimeInForce.FillOrKill, postOnly: true))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.CreateOrder(me, f.Request(BookSide.Bid, "0.5000", 1, ticker: "KXNOPE-1"))), 404, "not_found");
        AssertError(f.Refused(f.Exchange.CreateOrder("nobody", f.Request(BookSide.Bid, "0.5000", 1))), 404, "not_found");

        var resting = f.Place(me, BookSide.Bid, "0.4000", 3);
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(resting.OrderId, Q(1), Q(1)))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(resting.OrderId, null, null))), 400, "invalid_order");
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(resting.OrderId, Q(0), null))), 400, "invalid_order_size");
        AssertError(f.Refused(f.Exchange.DecreaseOrder(me, new DecreaseOrderRequest(resting.OrderId, null, Q(4)))), 400, "invalid_order_size");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, Ticker, BookSide.Ask, P("0.4000"), Q(3)))), 400, "order_side_mismatch");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, MakerFeeTicker, BookSide.Bid, P("0.4000"), Q(3)))), 400, "order_ticker_mismatch");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, Ticker, BookSide.Bid, P("0.4000"), Q(3), ClientOrderId: "someone-else"))), 400, "order_id_and_client_order_id_mismatch");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, Ticker, BookSide.Bid, P("0.4050"), Q(3)))), 400, "invalid_price");
        AssertError(f.Refused(f.Exchange.AmendOrder(me, new AmendOrderRequest(resting.OrderId, Ticker, BookSide.Bid, P("0.4000"), Q(0)))), 400, "invalid_order_size");
        Assert.Equal(Q(3), f.Order(me, resting.OrderId).RemainingCount);
    }

    [Fact]
    public void Batch_create_and_batch_cancel_answer_per_item()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Bid, "0.4700", 3);
        var items = f.Exchange.BatchCreateOrders(me,
        [
            f.Request(BookSide.Bid, "0.4500", 5, postOnly: true, clientOrderId: "c-1"),
            f.Request(BookSide.Ask, "0.4600", 5, postOnly: true, clientOrderId: "c-2"),
        ]);
        Assert.True(items[0].IsSuccess);
        Assert.Equal("c-1", items[0].ClientOrderId);
        Assert.Equal(Q(5), items[0].Value!.RemainingCount);
        Assert.False(items[1].IsSuccess);
        Assert.Equal("c-2", items[1].ClientOrderId);
        Assert.Equal("post only cross", items[1].Error!.Details);

        var cancels = f.Exchange.BatchCancelOrders(me, [(items[0].OrderId!, null), ("00000000-0000-0000-0000-000000000000", null)]);
        Assert.Equal(Q(5), cancels[0].Value!.ReducedBy);
        Assert.Equal("c-1", cancels[0].ClientOrderId);
        Assert.Equal(404, cancels[1].Error!.HttpStatus);
    }

    [Fact]
    public void Cancel_all_cancels_every_resting_order_of_the_user_only()
    {
        var f = new ExchangeFixture();
        var other = f.User("other");
        var me = f.User("me");
        f.Place(me, BookSide.Bid, "0.4000", 1);
        f.Place(me, BookSide.Ask, "0.6000", 2);
        f.Place(me, BookSide.Bid, "0.3000", 1, ticker: MakerFeeTicker);
        f.Place(other, BookSide.Bid, "0.4000", 1);
        var acks = f.Exchange.CancelAllOrders(me);
        Assert.Equal(3, acks.Count);
        Assert.Equal(Q(4), acks.Aggregate(Quantity.Zero, (s, a) => s + a.ReducedBy));
        Assert.Empty(f.Exchange.GetOrders(me, new OrderQuery(Status: ExchangeOrderStatus.Resting)).Value);
        Assert.Equal([new(P("0.4000"), Q(1))], f.Book().YesBids);
        Assert.Equal(M("1000"), f.Available(me));
    }
}
