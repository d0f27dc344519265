using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Tests.Orders;

public class OrderLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 11, 6, 29, 20, TimeSpan.Zero);

    private static Order Placed(string cid, string eid, string ticker = "MKT", long count = 10)
    {
        var o = Order.Create(cid, ticker, OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(count), T0);
        return o.Submit(T0).Order.Accept(eid, T0).Order;
    }

    private static Fill F(string trade, string orderId, long count, string ticker = "MKT") =>
        new(trade, orderId, ticker, BookSide.Bid, Price.Parse("0.50"), Quantity.FromContracts(count), Money.Zero, true, T0);

    [Fact]
    public void Fills_are_applied_once_by_trade_id_even_across_orders()
    {
        var ledger = new OrderLedger();
        ledger.Add(Placed("c1", "e1"));
        Assert.Equal(FillDisposition.Applied, ledger.ApplyFill(F("t1", "e1", 4), T0).Disposition);
        Assert.Equal(FillDisposition.Duplicate, ledger.ApplyFill(F("t1", "e1", 4), T0).Disposition);
        Assert.Equal(Quantity.FromContracts(4), ledger.Get("c1")!.Filled);
        Assert.Equal(OrderStatus.PartiallyFilled, ledger.GetByExchangeId("e1")!.Status);
    }

    [Fact]
    public void A_fill_found_by_client_order_id_before_the_acceptance_indexes_the_order_by_its_exchange_id()
    {
        var ledger = new OrderLedger();
        ledger.Add(Order.Create("c1", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(10), T0).Submit(T0).Order);
        var fill = F("t1", "e1", 4) with { ClientOrderId = "c1" };
        Assert.Equal(FillDisposition.Applied, ledger.ApplyFill(fill, T0).Disposition);
        Assert.Equal("c1", ledger.GetByExchangeId("e1")!.ClientOrderId);
        Assert.Equal(OrderChangeKind.Applied, ledger.Update("c1", o => o.Accept("e1", T0)).Kind);
        Assert.Equal((OrderStatus.PartiallyFilled, "e1"), (ledger.Get("c1")!.Status, ledger.Get("c1")!.ExchangeOrderId));
        Assert.Equal(FillDisposition.Applied, ledger.ApplyFill(F("t2", "e1", 6), T0).Disposition); // found by exchange id now
        Assert.Equal(OrderStatus.Filled, ledger.Get("c1")!.Status);
    }

    [Fact]
    public void Fills_for_unknown_orders_are_reported_not_ignored_and_still_deduplicated()
    {
        var ledger = new OrderLedger();
        var outcome = ledger.ApplyFill(F("t9", "elsewhere", 3), T0);
        Assert.Equal(FillDisposition.UnknownOrder, outcome.Disposition);
        Assert.True(outcome.IsNew);
        Assert.False(ledger.ApplyFill(F("t9", "elsewhere", 3), T0).IsNew);
    }

    [Fact]
    public void Inconsistent_fills_are_reported_with_the_reason()
    {
        var ledger = new OrderLedger();
        ledger.Add(Placed("c1", "e1", count: 2));
        var outcome = ledger.ApplyFill(F("t1", "e1", 3), T0);
        Assert.Equal(FillDisposition.Inconsistent, outcome.Disposition);
        Assert.Contains("would fill 3.00", outcome.Error);
        Assert.True(outcome.IsNew);
    }

    [Fact]
    public void A_market_with_an_unknown_outcome_is_blocked_until_resolved()
    {
        var ledger = new OrderLedger();
        var o = Order.Create("c1", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(1), T0).Submit(T0).Order;
        ledger.Add(o);
        Assert.Null(ledger.BlockedReason("MKT"));
        ledger.Update("c1", x => x.LoseTrack(T0));
        Assert.Equal("order c1 has an unknown outcome", ledger.BlockedReason("MKT"));
        Assert.Null(ledger.BlockedReason("OTHER"));
        Assert.Single(ledger.WithUnknownOutcome);
        ledger.Update("c1", x => x.Accept("e1", T0));
        Assert.Null(ledger.BlockedReason("MKT"));
        Assert.Equal("c1", ledger.GetByExchangeId("e1")!.ClientOrderId);
    }

    [Fact]
    public void Reconciliation_adopts_resolves_updates_and_finds_vanished_orders()
    {
        var ledger = new OrderLedger();
        ledger.Add(Placed("known", "e-known"));          // still resting, 4 filled meanwhile
        ledger.Add(Placed("gone", "e-gone"));            // no longer resting
        var unknown = Order.Create("unk", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(10), T0).Submit(T0).Order.LoseTrack(T0).Order;
        ledger.Add(unknown);                             // found resting
        var inFlight = Order.Create("fly", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(10), T0).Submit(T0).Order;
        ledger.Add(inFlight);                            // not yet answered: left alone

        var remoteKnown = Placed("known", "e-known") with { Remaining = Quantity.FromContracts(6), Status = OrderStatus.PartiallyFilled };
        var remoteUnknown = Placed("unk", "e-unk");
        var remoteStranger = Placed("ext:e-x", "e-x");
        var report = ledger.ReconcileResting([remoteKnown, remoteUnknown, remoteStranger], T0.AddSeconds(5));

        Assert.Equal(["ext:e-x"], report.Adopted.Select(o => o.ClientOrderId));
        Assert.Equal(["unk"], report.Resolved.Select(o => o.ClientOrderId));
        Assert.Equal(OrderStatus.Accepted, ledger.Get("unk")!.Status);
        Assert.Equal("e-unk", ledger.Get("unk")!.ExchangeOrderId);
        Assert.Equal(["known"], report.Updated.Select(o => o.ClientOrderId));
        Assert.Equal(Quantity.FromContracts(6), ledger.Get("known")!.Remaining);
        Assert.Equal(["gone"], report.Vanished.Select(o => o.ClientOrderId));
        Assert.Equal(OrderStatus.Submitted, ledger.Get("fly")!.Status);
        Assert.False(report.IsClean);
        Assert.True(ledger.ReconcileResting([remoteKnown with { Remaining = Quantity.FromContracts(6) }, remoteUnknown, remoteStranger, Placed("gone", "e-gone")], T0).IsClean);
    }

    [Fact]
    public void Finished_orders_are_forgotten_beyond_the_bound_open_ones_never()
    {
        var ledger = new OrderLedger(maxFinishedOrders: 2);
        ledger.Add(Placed("open", "e0"));
        for (int i = 1; i <= 5; i++)
        {
            ledger.Add(Placed($"c{i}", $"e{i}"));
            ledger.Update($"c{i}", o => o.Cancel(T0));
        }
        Assert.NotNull(ledger.Get("open"));
        Assert.Null(ledger.Get("c1"));
        Assert.Null(ledger.GetByExchangeId("e3"));
        Assert.NotNull(ledger.Get("c4"));
        Assert.NotNull(ledger.Get("c5"));
        Assert.Equal(3, ledger.Count);
    }

    [Fact]
    public void Open_orders_by_market_and_duplicate_adds()
    {
        var ledger = new OrderLedger();
        ledger.Add(Placed("a", "ea", "M1"));
        ledger.Add(Placed("b", "eb", "M1"));
        ledger.Add(Placed("c", "ec", "M2"));
        Assert.Equal(2, ledger.OpenCount("M1"));
        Assert.Equal(3, ledger.Open().Count());
        Assert.Throws<InvalidOperationException>(() => ledger.Add(Placed("a", "ea", "M1")));
        Assert.Throws<KeyNotFoundException>(() => ledger.Update("zzz", o => o.Cancel(T0)));
    }
}

public class OrderLedgerResurrectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 11, 6, 29, 20, TimeSpan.Zero);

    [Fact]
    public void An_order_given_up_as_absent_but_found_resting_is_adopted_from_the_exchange()
    {
        var ledger = new OrderLedger();
        var order = Order.Create("c1", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(10), T0).Submit(T0).Order.LoseTrack(T0).Order;
        ledger.Add(order);
        ledger.Update("c1", o => o.Reject("not found by client order id", T0));

        var remote = order with { ExchangeOrderId = "e1", Status = OrderStatus.PartiallyFilled, Filled = Quantity.FromContracts(2), Remaining = Quantity.FromContracts(8) };
        var report = ledger.ReconcileResting([remote], T0.AddSeconds(30));

        Assert.Single(report.Resolved);
        var now = ledger.Get("c1")!;
        Assert.Equal(OrderStatus.PartiallyFilled, now.Status);
        Assert.Equal("e1", now.ExchangeOrderId);
        Assert.Null(now.RejectReason);
    }

    [Fact]
    public void A_confirmed_cancel_is_not_undone_by_a_lagging_listing()
    {
        var ledger = new OrderLedger();
        var order = Order.Create("c1", "MKT", OrderIntent.BuyYes, Price.Parse("0.50"), Quantity.FromContracts(10), T0).Submit(T0).Order.Accept("e1", T0).Order;
        ledger.Add(order);
        ledger.Update("c1", o => o.Cancel(T0));
        var report = ledger.ReconcileResting([order], T0.AddMilliseconds(360));
        Assert.Equal(OrderStatus.Canceled, ledger.Get("c1")!.Status);
        Assert.Empty(report.Resolved);
    }
}
