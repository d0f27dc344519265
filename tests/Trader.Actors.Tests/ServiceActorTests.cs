using Akka.Actor;
using Trader.Actors.Coordinator;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Actors.Sync;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Xunit.Abstractions;

namespace Trader.Actors.Tests;

public class StatusActorTests(ITestOutputHelper output) : ActorTest(output)
{
    [Fact]
    public void Records_entries_and_answers_the_copy_paste_text()
    {
        var store = new StatusLogStore();
        var status = ChildActorOf(StatusActor.Props(store, TimeZoneInfo.Utc));
        status.Tell(new RecordStatus("calibrating", "startup"));
        status.Tell(new RecordStatus("calibrating -> syncing state", "Balance: $10.00", TimeSpan.FromMilliseconds(800)));
        status.Tell(new CountDecision(true));
        status.Tell(GetStatusLog.Instance);
        var response = ExpectMsg<StatusLogResponse>();
        Assert.Equal(2, response.Log.Entries.Count);
        Assert.Equal(new Trader.Core.Status.TradingStats(1, 0), response.Log.CurrentStats);
        var lines = response.Text.Split('\n');
        Assert.EndsWith("calibrating -> syncing state Balance: $10.00 (0.8s)", lines[0]);
        Assert.EndsWith("calibrating startup", lines[1]);
    }

    [Fact]
    public void The_log_survives_a_restart_and_the_restart_is_reported()
    {
        var store = new StatusLogStore();
        var status = ChildActorOf(StatusActor.Props(store, TimeZoneInfo.Utc), SupervisorStrategy.DefaultStrategy);
        status.Tell(new RecordStatus("ready", "cash $5.00"));
        status.Tell(new InjectFault("test"));
        ExpectMsg<ChildRestarted>(r => Assert.Contains("injected fault: test", r.Reason));
        status.Tell(GetStatusLog.Instance);
        Assert.Single(ExpectMsg<StatusLogResponse>().Log.Entries);
    }
}

public class PositionActorTests(ITestOutputHelper output) : ActorTest(output)
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 11, 6, 29, 20, TimeSpan.Zero);

    private static Fill F(string trade, BookSide side, string price, long count, long? post = null) =>
        new(trade, "o1", "MKT", side, Price.Parse(price), Quantity.FromContracts(count), Money.Parse("0.01"), true, T0,
            post is null ? null : Quantity.FromContracts(post.Value));

    [Fact]
    public void Fills_build_positions_and_the_parent_hears_of_every_change()
    {
        var positions = ChildActorOf(PositionActor.Props());
        positions.Tell(new ApplyFills([F("t1", BookSide.Bid, "0.40", 10), F("t2", BookSide.Ask, "0.55", 4)]));
        var changed = ExpectMsg<PositionsChanged>();
        Assert.Equal(Quantity.FromContracts(6), changed.Contracts["MKT"]);

        positions.Tell(new UpdateMark("MKT", Price.Parse("0.50")));
        positions.Tell(GetPositions.Instance);
        var response = ExpectMsg<PositionsResponse>();
        var p = response.Positions["MKT"];
        Assert.Equal(Money.Parse("0.60"), p.RealizedPnl);
        Assert.Equal(Money.Parse("2.40"), p.CostBasis);
        Assert.Equal(Money.Parse("0.02"), p.FeesPaid);
        Assert.Equal(Money.Parse("0.60"), response.Unrealized); // 6 × 0.50 − 2.40
    }

    [Fact]
    public void A_fills_post_position_wins_and_is_reported()
    {
        var positions = ChildActorOf(PositionActor.Props());
        positions.Tell(new ApplyFills([F("t1", BookSide.Bid, "0.40", 10, post: 25)]));
        var corrected = ExpectMsg<PositionCorrected>();
        Assert.Equal("MKT: contracts 10.00 → 25.00 (post-position of fill t1)", corrected.Description);
        Assert.Equal(Quantity.FromContracts(25), ExpectMsg<PositionsChanged>().Contracts["MKT"]);
    }

    [Fact]
    public void Exchange_positions_win_on_sync_and_differences_come_back()
    {
        var positions = ChildActorOf(PositionActor.Props());
        positions.Tell(new ApplyFills([F("t1", BookSide.Bid, "0.47", 5)]));
        ExpectMsg<PositionsChanged>();
        positions.Tell(new ApplyExchangePositions([
            new ExchangePosition("MKT", Quantity.FromContracts(10), Money.Parse("4.70"), Money.Zero, Money.Parse("0.02"), Money.Parse("4.70")),
        ]));
        var reconciled = ExpectMsg<PositionsReconciled>();
        Assert.Equal("MKT: contracts 5.00 → 10.00, cost $2.35 → $4.70", Assert.Single(reconciled.Differences).Describe());
        Assert.Equal(Quantity.FromContracts(10), ExpectMsg<PositionsChanged>().Contracts["MKT"]);
    }

    [Fact]
    public void Settlement_realizes_the_position()
    {
        var positions = ChildActorOf(PositionActor.Props());
        positions.Tell(new ApplyFills([F("t1", BookSide.Bid, "0.52", 3)]));
        ExpectMsg<PositionsChanged>();
        positions.Tell(new ApplySettlements([new Settlement("MKT", "E", "yes", Quantity.FromContracts(3), Money.Parse("1.56"),
            Quantity.Zero, Money.Zero, Money.FromCents(300), Money.Parse("0.03"), T0.AddHours(1))]));
        Assert.Empty(ExpectMsg<PositionsChanged>().Contracts);
        positions.Tell(GetPositions.Instance);
        Assert.Equal(Money.Parse("1.44"), ExpectMsg<PositionsResponse>().Positions["MKT"].RealizedPnl);
    }
}

public class SyncActorTests(ITestOutputHelper output) : ActorTest(output)
{
    [Fact]
    public void Checks_the_exchange_and_reads_the_whole_state()
    {
        var api = new FakeKalshiApi();
        api.Positions.Add(new ExchangePosition("MKT", Quantity.FromContracts(3), Money.Parse("1.50"), Money.Zero, Money.Zero, Money.Parse("1.50")));
        var sync = ChildActorOf(SyncActor.Props(api, Settings));
        sync.Tell(CheckExchange.Instance);
        Assert.True(ExpectMsg<ExchangeChecked>().Status.ExchangeActive);
        sync.Tell(SyncState.Instance);
        var state = ExpectMsg<StateSynced>();
        Assert.Equal(Money.FromDollars(1000), state.Balance.Cash);
        Assert.Single(state.Positions);
    }

    [Fact]
    public void A_failing_exchange_is_reported_not_thrown()
    {
        var api = new FakeKalshiApi { ReadFailure = new KalshiTransportException("connection refused") };
        var sync = ChildActorOf(SyncActor.Props(api, Settings));
        sync.Tell(CheckExchange.Instance);
        var failed = ExpectMsg<SyncFailed>();
        Assert.Equal("exchange status", failed.Step);
        Assert.Contains("connection refused", failed.Error);
        sync.Tell(SyncState.Instance);
        Assert.Contains("connection refused", ExpectMsg<SyncFailed>().Error);
    }

    [Fact]
    public void Polls_fills_on_a_timer_and_sends_new_ones_to_the_parent()
    {
        var api = new FakeKalshiApi();
        var sync = ChildActorOf(SyncActor.Props(api, Settings));
        sync.Tell(new SetFillPolling(true));
        sync.Tell(CheckExchange.Instance);
        ExpectMsg<ExchangeChecked>(); // the polling switch has been processed: its timer is scheduled
        lock (api.Fills)
            api.Fills.Add(new Fill("t1", "o1", "MKT", BookSide.Bid, Price.Parse("0.5"), Quantity.FromContracts(1), Money.Zero, true, Clock.Now));
        Clock.Advance(Settings.FillPollInterval);
        var received = ExpectMsg<FillsReceived>();
        Assert.Equal("t1", Assert.Single(received.Fills).TradeId);
        sync.Tell(new SetFillPolling(false));
        sync.Tell(CheckExchange.Instance);
        ExpectMsg<ExchangeChecked>();
        Clock.Advance(Settings.FillPollInterval * 3);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}

public class OrderActorTests(ITestOutputHelper output) : ActorTest(output)
{
    private static PlaceOrder Buy(string decision = "d1", string ticker = "MKT") =>
        new(decision, ticker, OrderIntent.BuyYes, Price.Parse("0.51"), Quantity.FromContracts(5));

    [Fact]
    public void Places_a_V2_order_with_a_fresh_client_order_id()
    {
        var api = new FakeKalshiApi();
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        var placed = FishForMessage<OrderPlaced>(_ => true);
        Assert.Equal(OrderStatus.Accepted, placed.Order.Status);
        Assert.True(api.Creates.TryPeek(out var request));
        Assert.Equal(placed.Order.ClientOrderId, request.ClientOrderId);
        Assert.True(Guid.TryParse(request.ClientOrderId, out _));
        Assert.Equal(BookSide.Bid, request.Side);
        Assert.Equal("0.5100", request.YesPrice.ToWireString());
        orders.Tell(new GetOpenOrders("MKT"));
        Assert.Single(FishForMessage<OpenOrdersResponse>(_ => true).Orders);
    }

    [Fact]
    public void A_refused_create_is_rejected_with_the_exchanges_error()
    {
        var api = new FakeKalshiApi();
        api.CreateScript.Enqueue(_ => Task.FromResult<WriteOutcome<OrderAck>>(
            new WriteOutcome<OrderAck>.Refused(new KalshiError(400, "insufficient_balance", "insufficient balance"))));
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        var rejected = FishForMessage<OrderRejected>(_ => true);
        Assert.Equal("insufficient_balance", rejected.Error.Code);
        Assert.Equal(OrderStatus.Rejected, rejected.Order.Status);
    }

    [Fact]
    public void An_ambiguous_create_blocks_the_market_until_found_by_client_order_id()
    {
        var api = new FakeKalshiApi();
        // The create lands on the exchange but its answer is lost.
        api.CreateScript.Enqueue(r =>
        {
            lock (api.Orders) api.Orders.Add(api.Resting(r, "ex-landed"));
            return Task.FromResult<WriteOutcome<OrderAck>>(new WriteOutcome<OrderAck>.Ambiguous("timeout"));
        });
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        // The market is blocked before the outcome is told: the coordinator acts on waiting actions as soon as it has it.
        var blocked = FishForMessage<OrdersChanged>(c => c.Blocked.Count > 0);
        var unknown = ExpectMsg<OrderOutcomeUnknown>();
        Assert.Equal(OrderStatus.Unknown, unknown.Order.Status);
        Assert.Contains(unknown.Order.ClientOrderId, blocked.Blocked["MKT"]);

        Clock.Advance(Settings.UnknownLookupDelay);
        var cleared = FishForMessage<OrdersChanged>(c => c.Blocked.Count == 0);
        Assert.Equal(1, cleared.OpenByMarket["MKT"]);
        Assert.Single(api.Creates); // never re-sent
        orders.Tell(new GetOpenOrders());
        var order = Assert.Single(FishForMessage<OpenOrdersResponse>(_ => true).Orders);
        Assert.Equal("ex-landed", order.ExchangeOrderId);
        Assert.Equal(OrderStatus.Accepted, order.Status);
    }

    [Fact]
    public void An_ambiguous_create_the_account_stream_already_reported_is_placed_not_unknown()
    {
        var api = new FakeKalshiApi();
        var answer = new TaskCompletionSource<WriteOutcome<OrderAck>>();
        api.CreateScript.Enqueue(r =>
        {
            lock (api.Orders) api.Orders.Add(api.Resting(r, "ex-streamed"));
            return answer.Task;
        });
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        AwaitCondition(() => { lock (api.Orders) return api.Orders.Count == 1; });

        // The order's user_orders frame arrives before its create's answer, which is then lost.
        ExchangeOrder streamed;
        lock (api.Orders) streamed = api.Orders.Single();
        orders.Tell(new ExchangeOrderUpdated(streamed, null));
        answer.SetResult(new WriteOutcome<OrderAck>.Ambiguous("connection dropped"));

        OrdersChanged? changed = null;
        var outcome = FishForMessage(m =>
        {
            if (m is OrdersChanged c) changed = c;
            return m is OrderPlaced or OrderOutcomeUnknown;
        });
        var placed = Assert.IsType<OrderPlaced>(outcome);
        Assert.Equal(("ex-streamed", OrderStatus.Accepted), (placed.Order.ExchangeOrderId, placed.Order.Status));
        Assert.Equal("ex-streamed", placed.Ack.OrderId);
        Assert.NotNull(changed);
        Assert.Empty(changed.Blocked); // what the outcome changed, told just before it: nothing blocked
        Clock.Advance(Settings.UnknownLookupDelay * 4);
        orders.Tell(new GetOpenOrders());
        Assert.Equal(OrderStatus.Accepted, Assert.Single(FishForMessage<OpenOrdersResponse>(_ => true).Orders).Status);
        Assert.Empty(api.Lookups); // nothing to look up: the exchange already said where the order is
    }

    [Fact]
    public void An_ambiguous_create_that_never_landed_is_proven_absent()
    {
        var api = new FakeKalshiApi();
        api.CreateScript.Enqueue(_ => Task.FromResult<WriteOutcome<OrderAck>>(new WriteOutcome<OrderAck>.Ambiguous("connection dropped")));
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        FishForMessage<OrdersChanged>(c => c.Blocked.Count == 1);
        ExpectMsg<OrderOutcomeUnknown>();
        var delay = Settings.UnknownLookupDelay;
        for (int i = 0; i < Settings.UnknownLookupsBeforeAbsent; i++)
        {
            // Each lookup's answer is followed by an OrdersChanged: once it arrives the next lookup is scheduled.
            Clock.Advance(delay);
            var changed = ExpectMsg<OrdersChanged>();
            bool last = i == Settings.UnknownLookupsBeforeAbsent - 1;
            Assert.Equal(last ? 0 : 1, changed.Blocked.Count);
            delay *= 2;
        }
        Assert.Equal(Settings.UnknownLookupsBeforeAbsent, api.Lookups.Count);
        Assert.Single(api.Creates);
    }

    [Fact]
    public void Cancels_one_order_and_all_orders()
    {
        var api = new FakeKalshiApi();
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy("d1"));
        var first = FishForMessage<OrderPlaced>(_ => true).Order;
        orders.Tell(Buy("d2", "OTHER"));
        FishForMessage<OrderPlaced>(_ => true);
        orders.Tell(new CancelOrder(first.ClientOrderId));
        Assert.True(FishForMessage<CancelResult>(_ => true).Canceled);
        orders.Tell(new CancelAllOrders());
        Assert.Equal(new AllOrdersCanceled(1, 0), FishForMessage<AllOrdersCanceled>(_ => true));
        Assert.Equal(2, api.Cancels.Count);
        orders.Tell(new GetOpenOrders());
        Assert.Empty(FishForMessage<OpenOrdersResponse>(_ => true).Orders);
    }

    [Fact]
    public void Resting_orders_past_their_time_to_live_are_canceled()
    {
        var api = new FakeKalshiApi();
        var settings = Settings with { OrderTimeToLive = TimeSpan.FromSeconds(30) };
        var orders = ChildActorOf(OrderActor.Props(api, settings));
        orders.Tell(Buy());
        FishForMessage<OrderPlaced>(_ => true);
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(api.Cancels);
        Clock.Advance(TimeSpan.FromSeconds(1));
        AwaitCondition(() => api.Cancels.Count == 1);
        FishForMessage<OrdersChanged>(c => c.OpenByMarket.Count == 0);
    }

    [Fact]
    public void Fills_move_orders_and_reconciliation_adopts_and_finishes_orders()
    {
        var api = new FakeKalshiApi();
        var orders = ChildActorOf(OrderActor.Props(api, Settings));
        orders.Tell(Buy());
        var placed = FishForMessage<OrderPlaced>(_ => true).Order;
        orders.Tell(new ApplyFills([new Fill("t1", placed.ExchangeOrderId!, "MKT", BookSide.Bid, Price.Parse("0.51"), Quantity.FromContracts(5), Money.Zero, true, Clock.Now)]));
        FishForMessage<OrdersChanged>(c => c.OpenByMarket.Count == 0);

        // A resting order placed elsewhere is adopted.
        var stranger = api.Resting(new CreateOrderRequest("MKT2", "", BookSide.Ask, Price.Parse("0.60"), Quantity.FromContracts(2)), "ex-stranger");
        orders.Tell(new ReconcileOrders([stranger]));
        var report = FishForMessage<OrdersReconciled>(_ => true);
        Assert.Equal("ext:ex-stranger", Assert.Single(report.Report.Adopted).ClientOrderId);
        Assert.Equal(1, report.Tracked);
    }
}
