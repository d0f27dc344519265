using Akka.Actor;
using Akka.Event;
using Trader.Actors.Exchange;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Orders;

/// <summary>
/// Places and cancels V2 orders and tracks every order through Core's status table (<see cref="OrderLedger"/>).
/// <list type="bullet">
/// <item>Each order gets a fresh client order id; an ambiguous create (timeout, dropped connection, 5xx) leaves it in
/// <see cref="OrderStatus.Unknown"/>, which blocks its market, and it is looked up by that id with growing delays until
/// found or, after the configured number of lookups that do not find it, proven absent. It is never re-sent. When the
/// account stream already reported the order (its <c>user_orders</c> frame can beat the lost answer), it is placed.</item>
/// <item>Fills arrive de-duplicated from the coordinator; the ledger de-duplicates again by trade id.</item>
/// <item>Reconciliation against the exchange's resting orders adopts what we did not know and looks up each of our
/// open orders that is no longer resting.</item>
/// <item>Optional time-to-live cancels resting orders that are too old.</item>
/// </list>
/// After a restart the ledger is empty; answers to creates sent before the crash still arrive and are adopted, and the
/// coordinator's recalibration rebuilds the rest from the exchange.
/// </summary>
public sealed class OrderActor : ReceiveActor, IWithTimers
{
    private readonly IKalshiApi _api;
    private readonly TraderSettings _settings;
    private readonly OrderLedger _ledger = new();
    private readonly Dictionary<string, int> _lookups = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IScheduler _scheduler = Context.System.Scheduler;

    public ITimerScheduler Timers { get; set; } = null!;

    public OrderActor(IKalshiApi api, TraderSettings settings)
    {
        _api = api;
        _settings = settings;

        Receive<PlaceOrder>(Place);
        Receive<CreateCompleted>(OnCreateCompleted);
        Receive<LookUpUnknown>(m => LookUp(m.ClientOrderId));
        Receive<LookupCompleted>(OnLookupCompleted);
        Receive<CancelOrder>(m => Cancel(m.ClientOrderId, Sender));
        Receive<CancelCompleted>(OnCancelCompleted);
        Receive<CancelAllOrders>(m => CancelAll(m.Ticker, Sender));
        Receive<FinalStateFetched>(OnFinalStateFetched);
        Receive<TimeToLiveExpired>(m =>
        {
            if (_ledger.Get(m.ClientOrderId) is { Status: OrderStatus.Accepted or OrderStatus.PartiallyFilled })
                Cancel(m.ClientOrderId, ActorRefs.Nobody);
        });
        Receive<ApplyFills>(m => ApplyFills(m.Fills));
        Receive<ExchangeOrderUpdated>(m => OnExchangeOrderUpdated(m.Order, m.Reason));
        Receive<ReconcileOrders>(m => Reconcile(m.Resting, Sender));
        Receive<GetOpenOrders>(m => Sender.Tell(new OpenOrdersResponse(_ledger.Open(m.Ticker).ToList())));
        Receive<InjectFault>(f => throw new InjectedFaultException(f.Reason));
    }

    public static Props Props(IKalshiApi api, TraderSettings settings) => Akka.Actor.Props.Create(() => new OrderActor(api, settings));

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Context.Parent.Tell(new ChildRestarted(Self.Path.Name, reason.Message));
    }

    private DateTimeOffset Now => _scheduler.Now;

    // ---- placing ---------------------------------------------------------------------------------------------

    private void Place(PlaceOrder p)
    {
        var order = Order.Create(_settings.NewClientOrderId(), p.Ticker, p.Intent, p.Price, p.Count, Now, p.TimeInForce).Submit(Now).Order;
        _ledger.Add(order);
        var replyTo = Sender;
        _api.CreateOrderAsync(CreateOrderRequest.From(order)).PipeTo(Self,
            success: outcome => new CreateCompleted(p.DecisionId, order, outcome, replyTo),
            failure: ex => new CreateCompleted(p.DecisionId, order, new WriteOutcome<OrderAck>.Ambiguous(ex.Message, ex), replyTo));
        PublishChanges();
    }

    /// <summary>
    /// Applies a create's outcome to the ledger, then tells the coordinator what changed (<see cref="OrdersChanged"/>)
    /// before the outcome itself: the coordinator turns ready again on the outcome and at once acts on the actions that
    /// waited, so the market must already be blocked (an unknown outcome) when it checks them. Both go to the
    /// coordinator, so they arrive in this order.
    /// </summary>
    private void OnCreateCompleted(CreateCompleted c)
    {
        var cid = c.Order.ClientOrderId;
        if (_ledger.Get(cid) is null) _ledger.Add(c.Order); // sent before a restart: never forget it
        OrderPlaced Accepted(OrderAck ack)
        {
            var placed = _ledger.Update(cid, o => o.Accept(ack.OrderId, Now));
            // IOC / FOK / self-trade prevention: nothing left resting; the fills (if any) come with their trade ids.
            if (ack.RemainingCount.IsZero && ack.FillCount < c.Order.Count) _ledger.Update(cid, o => o.Cancel(Now));
            if (_settings.OrderTimeToLive is { } ttl && !ack.RemainingCount.IsZero)
                Timers.StartSingleTimer("ttl:" + cid, new TimeToLiveExpired(cid), ttl);
            _log.Info("Order {ClientOrderId} on {Market}: {Order} accepted, {Filled} filled at once",
                cid, c.Order.Ticker, $"{c.Order.Intent} {c.Order.Count.ToWireString()} @ {c.Order.ContractPrice.ToWireString()}", ack.FillCount.ToWireString());
            return new OrderPlaced(c.DecisionId, _ledger.Get(cid) ?? placed.Order, ack);
        }

        object reply = c.Outcome.Match<object>(
            accepted: Accepted,
            refused: error =>
            {
                var rejected = _ledger.Update(cid, o => o.Reject($"{error.Code}: {error.Message}", Now));
                _log.Warning("Order {ClientOrderId} on {Market}: {Order} refused by the exchange: {Code} {Reason}",
                    cid, c.Order.Ticker, $"{c.Order.Intent} {c.Order.Count.ToWireString()} @ {c.Order.ContractPrice.ToWireString()}", error.Code, error.Message);
                return new OrderRejected(c.DecisionId, rejected.Order, error);
            },
            ambiguous: a =>
            {
                if (_ledger.Get(cid) is { Status: not OrderStatus.Submitted, ExchangeOrderId: { } exchangeId } known)
                {
                    // The account stream reported the order before its create's answer was lost: it landed, and the
                    // exchange already said how it stands. Nothing is unknown.
                    _log.Info("Order {ClientOrderId} on {Market}: create answer lost ({Reason}), but the exchange already reported it {Status}", cid, c.Order.Ticker, a.Reason, known.Status);
                    return Accepted(new OrderAck(exchangeId, cid, known.Filled, known.Remaining));
                }
                var lost = _ledger.Update(cid, o => o.LoseTrack(Now));
                _log.Warning("Order {ClientOrderId} on {Market}: outcome unknown ({Reason}); looking it up by client order id", cid, c.Order.Ticker, a.Reason);
                _lookups[cid] = 0;
                Timers.StartSingleTimer("lookup:" + cid, new LookUpUnknown(cid), _settings.UnknownLookupDelay);
                return new OrderOutcomeUnknown(c.DecisionId, lost.Order, a.Reason);
            });
        PublishChanges();
        c.ReplyTo.Tell(reply);
    }

    private void LookUp(string cid)
    {
        if (_ledger.Get(cid) is not { Status: OrderStatus.Unknown } order) return;
        var since = order.CreatedAt - TimeSpan.FromMinutes(1);
        _api.FindOrderByClientOrderIdAsync(order.Ticker, cid, since).PipeTo(Self,
            success: found => new LookupCompleted(cid, found, null),
            failure: ex => new LookupCompleted(cid, null, ex.Message));
    }

    private void OnLookupCompleted(LookupCompleted m)
    {
        if (_ledger.Get(m.ClientOrderId) is not { Status: OrderStatus.Unknown } order) return;
        int attempt = _lookups.GetValueOrDefault(m.ClientOrderId);
        if (m.Found is { } found)
        {
            _ledger.Update(m.ClientOrderId, o => new OrderChange(
                o.AdoptExchangeState(found.ToCoreStatus(), found.FillCount, found.RemainingCount, found.OrderId, Now), OrderChangeKind.Applied));
            _log.Info("Order {ClientOrderId} on {Market} with unknown outcome found on the exchange: {Status}", m.ClientOrderId, order.Ticker, found.Status);
            _lookups.Remove(m.ClientOrderId);
        }
        else if (m.Error is null && attempt + 1 >= _settings.UnknownLookupsBeforeAbsent)
        {
            _ledger.Update(m.ClientOrderId, o => o.Reject($"not found by client order id after {attempt + 1} lookups", Now));
            _log.Info("Order {ClientOrderId} on {Market} proven absent after {Lookups} lookups", m.ClientOrderId, order.Ticker, attempt + 1);
            _lookups.Remove(m.ClientOrderId);
        }
        else
        {
            // Not found yet, or the lookup itself failed (which proves nothing): look again later.
            if (m.Error is null) _lookups[m.ClientOrderId] = attempt + 1;
            var delay = _settings.UnknownLookupDelay * Math.Pow(2, Math.Min(attempt + 1, 6));
            Timers.StartSingleTimer("lookup:" + m.ClientOrderId, new LookUpUnknown(m.ClientOrderId), delay);
        }
        PublishChanges();
    }

    // ---- cancelling ------------------------------------------------------------------------------------------

    private void Cancel(string cid, IActorRef replyTo)
    {
        var order = _ledger.Get(cid);
        if (order?.ExchangeOrderId is not { } exchangeId || !order.IsOpen)
        {
            replyTo.Tell(new CancelResult(cid, false, order is null ? "unknown order" : $"order is {order.Status}"));
            return;
        }
        if (order.Status != OrderStatus.PendingCancel) _ledger.Update(cid, o => o.RequestCancel(Now));
        _api.CancelOrderAsync(exchangeId, order.Ticker).PipeTo(Self,
            success: outcome => new CancelCompleted(cid, outcome, replyTo),
            failure: ex => new CancelCompleted(cid, new WriteOutcome<CancelAck>.Ambiguous(ex.Message, ex), replyTo));
        PublishChanges();
    }

    private void OnCancelCompleted(CancelCompleted c)
    {
        if (_ledger.Get(c.ClientOrderId) is not { } order) return;
        c.Outcome.Switch(
            accepted: _ =>
            {
                _ledger.Update(c.ClientOrderId, o => o.Cancel(Now));
                c.ReplyTo.Tell(new CancelResult(c.ClientOrderId, true, "canceled"));
            },
            refused: error =>
            {
                if (error.IsNotFound)
                {
                    // Already finished on the exchange (filled or canceled): find out which.
                    FetchFinalState(order);
                    c.ReplyTo.Tell(new CancelResult(c.ClientOrderId, true, "already finished on the exchange"));
                }
                else
                {
                    _ledger.Update(c.ClientOrderId, o => o.RefuseCancel(Now));
                    c.ReplyTo.Tell(new CancelResult(c.ClientOrderId, false, error.ToString()));
                }
            },
            ambiguous: a =>
            {
                // The cancel may or may not have landed: the order stays pending-cancel until its state is read back.
                FetchFinalState(order);
                c.ReplyTo.Tell(new CancelResult(c.ClientOrderId, false, $"cancel outcome unknown: {a.Reason}"));
            });
        Timers.Cancel("ttl:" + c.ClientOrderId);
        PublishChanges();
    }

    private void CancelAll(string? ticker, IActorRef replyTo)
    {
        var open = _ledger.Open(ticker).Where(o => o.ExchangeOrderId is not null && o.Status != OrderStatus.Unknown).ToList();
        if (open.Count == 0)
        {
            replyTo.Tell(new AllOrdersCanceled(0, 0));
            return;
        }
        var collector = Context.ActorOf(Akka.Actor.Props.Create(() => new CancelCollector(open.Count, replyTo)));
        foreach (var o in open) Cancel(o.ClientOrderId, collector);
    }

    private void FetchFinalState(Order order)
    {
        if (order.ExchangeOrderId is not { } id) return;
        _api.GetOrderAsync(id).PipeTo(Self,
            success: found => new FinalStateFetched(order.ClientOrderId, found, null),
            failure: ex => new FinalStateFetched(order.ClientOrderId, null, ex.Message));
    }

    private void OnFinalStateFetched(FinalStateFetched m)
    {
        if (m.Found is { } found && _ledger.Get(m.ClientOrderId) is { } order)
        {
            _ledger.Update(m.ClientOrderId, o => new OrderChange(
                o.AdoptExchangeState(found.ToCoreStatus(), found.FillCount, found.RemainingCount, found.OrderId, Now), OrderChangeKind.Applied));
            if (order.Status != found.ToCoreStatus())
                _log.Info("Order {0}: exchange reports {1} (was {2})", m.ClientOrderId, found.Status, order.Status);
            PublishChanges();
        }
        else if (m.Error is not null)
        {
            _log.Warning("Could not read order {0} back: {1}; the next sync will settle it", m.ClientOrderId, m.Error);
        }
    }

    // ---- fills and reconciliation ----------------------------------------------------------------------------

    private void ApplyFills(IReadOnlyList<Fill> fills)
    {
        foreach (var fill in fills)
        {
            var outcome = _ledger.ApplyFill(fill, Now);
            if (outcome.Disposition == FillDisposition.Applied)
                _log.Info("Fill {TradeId} on {Market}: {Fill} for order {ClientOrderId}", fill.TradeId, fill.Ticker,
                    $"{fill.Side} {fill.Count.ToWireString()} @ YES {fill.YesPrice.ToWireString()} ({(fill.IsTaker ? "taker" : "maker")}, fee {fill.Fee.ToDisplayString()})",
                    outcome.Order?.ClientOrderId);
            else if (outcome.Disposition == FillDisposition.Inconsistent)
                _log.Warning("Fill {TradeId} on {Market} does not fit order {ClientOrderId}: {Error}", fill.TradeId, fill.Ticker, outcome.Order?.ClientOrderId, outcome.Error);
            else if (outcome.Disposition == FillDisposition.UnknownOrder)
                _log.Info("Fill {TradeId} on {Market} for order {OrderId} that this trader does not track (placed elsewhere or before a restart)",
                    fill.TradeId, fill.Ticker, fill.OrderId);
        }
        if (fills.Count > 0) PublishChanges();
    }

    private void OnExchangeOrderUpdated(ExchangeOrder update, string? reason)
    {
        var order = _ledger.GetByExchangeId(update.OrderId) ?? (update.ClientOrderId is { } cid ? _ledger.Get(cid) : null);
        if (order is null) return; // not ours to track; the next sync adopts it if it rests
        var status = update.ToCoreStatus();
        if (order.Status == status && order.Filled == update.FillCount && order.Remaining == update.RemainingCount) return;
        _ledger.Update(order.ClientOrderId, o => new OrderChange(
            o.AdoptExchangeState(status, update.FillCount, update.RemainingCount, update.OrderId, Now), OrderChangeKind.Applied));
        _lookups.Remove(order.ClientOrderId);
        if (status.IsTerminal()) Timers.Cancel("ttl:" + order.ClientOrderId);
        _log.Debug("Order {0}: exchange update {1} ({2})", order.ClientOrderId, update.Status, reason ?? "no reason");
        PublishChanges();
    }

    private void Reconcile(IReadOnlyList<ExchangeOrder> resting, IActorRef replyTo)
    {
        var report = _ledger.ReconcileResting(resting.Select(e => e.ToCoreOrder(Now)).ToList(), Now);
        foreach (var vanished in report.Vanished) FetchFinalState(vanished);
        foreach (var found in report.Resolved) _lookups.Remove(found.ClientOrderId);
        // What changed first, then the report: the calibration ends on the report and releases waiting actions, which
        // are checked against the open orders and blocked markets reconciliation found.
        PublishChanges();
        replyTo.Tell(new OrdersReconciled(report, _ledger.Open().Count()));
    }

    private void PublishChanges()
    {
        var open = _ledger.Open().GroupBy(o => o.Ticker).ToDictionary(g => g.Key, g => new OpenOrderSummary(
            g.Count(), g.Any(o => o.Intent.Action == OrderAction.Buy), g.Any(o => o.Intent.Action == OrderAction.Sell), g.Max(o => o.CreatedAt)),
            StringComparer.Ordinal);
        var blocked = _ledger.WithUnknownOutcome.GroupBy(o => o.Ticker)
            .ToDictionary(g => g.Key, g => $"order {g.First().ClientOrderId} has an unknown outcome", StringComparer.Ordinal);
        Context.Parent.Tell(new OrdersChanged(open, blocked));
    }

    // ---- internal messages -----------------------------------------------------------------------------------

    private sealed record CreateCompleted(string DecisionId, Order Order, WriteOutcome<OrderAck> Outcome, IActorRef ReplyTo);

    private sealed record LookUpUnknown(string ClientOrderId);

    private sealed record LookupCompleted(string ClientOrderId, ExchangeOrder? Found, string? Error);

    private sealed record CancelCompleted(string ClientOrderId, WriteOutcome<CancelAck> Outcome, IActorRef ReplyTo);

    private sealed record FinalStateFetched(string ClientOrderId, ExchangeOrder? Found, string? Error);

    private sealed record TimeToLiveExpired(string ClientOrderId);

    /// <summary>Counts the answers of a cancel-all and reports once.</summary>
    private sealed class CancelCollector : ReceiveActor
    {
        public CancelCollector(int expected, IActorRef replyTo)
        {
            int canceled = 0, failed = 0;
            Receive<CancelResult>(r =>
            {
                if (r.Canceled) canceled++;
                else failed++;
                if (canceled + failed < expected) return;
                replyTo.Tell(new AllOrdersCanceled(canceled, failed));
                Context.Stop(Self);
            });
        }
    }
}
