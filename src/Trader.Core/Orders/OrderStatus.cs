namespace Trader.Core.Orders;

public enum OrderStatus
{
    /// <summary>Built locally, not yet sent.</summary>
    Initialized,

    /// <summary>Sent to the exchange; no answer yet.</summary>
    Submitted,

    /// <summary>The exchange holds it (resting), nothing filled.</summary>
    Accepted,

    PartiallyFilled,
    Filled,

    /// <summary>A cancel was sent; not yet confirmed.</summary>
    PendingCancel,

    Canceled,

    /// <summary>Refused by the exchange, or by our own pre-trade checks before it was sent, or proven never to have arrived.</summary>
    Rejected,

    Expired,

    /// <summary>
    /// The create was sent but its answer never came (timeout, dropped connection, 5xx): the exchange may or may
    /// not hold the order. It stays here until it is found by its client order id or proven absent.
    /// </summary>
    Unknown,
}

/// <summary>What happened to an order.</summary>
public enum OrderEvent
{
    Submit,
    Accept,
    PartialFill,
    Fill,
    RequestCancel,
    CancelRefused,
    Cancel,
    Reject,
    Expire,

    /// <summary>The outcome of the create was never seen.</summary>
    LoseTrack,
}

/// <summary>
/// The one order status transition table. A fill that races a cancel is legal: a partial fill keeps a pending cancel
/// pending and keeps a canceled or expired order where it is (only its filled quantity grows); a fill that completes
/// the order makes it filled whatever cancel was on its way.
/// </summary>
public static class OrderTransitions
{
    private static readonly Dictionary<(OrderStatus, OrderEvent), OrderStatus> Table = new()
    {
        [(OrderStatus.Initialized, OrderEvent.Submit)] = OrderStatus.Submitted,
        [(OrderStatus.Initialized, OrderEvent.Reject)] = OrderStatus.Rejected,

        [(OrderStatus.Submitted, OrderEvent.Accept)] = OrderStatus.Accepted,
        [(OrderStatus.Submitted, OrderEvent.PartialFill)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.Submitted, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.Submitted, OrderEvent.Cancel)] = OrderStatus.Canceled,
        [(OrderStatus.Submitted, OrderEvent.Reject)] = OrderStatus.Rejected,
        [(OrderStatus.Submitted, OrderEvent.Expire)] = OrderStatus.Expired,
        [(OrderStatus.Submitted, OrderEvent.LoseTrack)] = OrderStatus.Unknown,

        [(OrderStatus.Unknown, OrderEvent.Accept)] = OrderStatus.Accepted,
        [(OrderStatus.Unknown, OrderEvent.PartialFill)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.Unknown, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.Unknown, OrderEvent.Cancel)] = OrderStatus.Canceled,
        [(OrderStatus.Unknown, OrderEvent.Reject)] = OrderStatus.Rejected,
        [(OrderStatus.Unknown, OrderEvent.Expire)] = OrderStatus.Expired,

        [(OrderStatus.Accepted, OrderEvent.PartialFill)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.Accepted, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.Accepted, OrderEvent.RequestCancel)] = OrderStatus.PendingCancel,
        [(OrderStatus.Accepted, OrderEvent.Cancel)] = OrderStatus.Canceled,
        [(OrderStatus.Accepted, OrderEvent.Expire)] = OrderStatus.Expired,

        [(OrderStatus.PartiallyFilled, OrderEvent.PartialFill)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.PartiallyFilled, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.PartiallyFilled, OrderEvent.RequestCancel)] = OrderStatus.PendingCancel,
        [(OrderStatus.PartiallyFilled, OrderEvent.Cancel)] = OrderStatus.Canceled,
        [(OrderStatus.PartiallyFilled, OrderEvent.Expire)] = OrderStatus.Expired,

        [(OrderStatus.PendingCancel, OrderEvent.PartialFill)] = OrderStatus.PendingCancel,
        [(OrderStatus.PendingCancel, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.PendingCancel, OrderEvent.Cancel)] = OrderStatus.Canceled,
        [(OrderStatus.PendingCancel, OrderEvent.Expire)] = OrderStatus.Expired,
        // CancelRefused returns to Accepted or PartiallyFilled; see Order.RefuseCancel.
        [(OrderStatus.PendingCancel, OrderEvent.CancelRefused)] = OrderStatus.Accepted,

        [(OrderStatus.Canceled, OrderEvent.PartialFill)] = OrderStatus.Canceled,
        [(OrderStatus.Canceled, OrderEvent.Fill)] = OrderStatus.Filled,
        [(OrderStatus.Expired, OrderEvent.PartialFill)] = OrderStatus.Expired,
        [(OrderStatus.Expired, OrderEvent.Fill)] = OrderStatus.Filled,
    };

    /// <summary>The status an event leads to, or null when the event is illegal in that status.</summary>
    public static OrderStatus? Next(OrderStatus from, OrderEvent ev) => Table.TryGetValue((from, ev), out var to) ? to : null;

    public static bool IsTerminal(this OrderStatus s) =>
        s is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired;

    /// <summary>The exchange may hold it and it may still trade: what counts as an open order.</summary>
    public static bool IsOpen(this OrderStatus s) =>
        s is OrderStatus.Submitted or OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel or OrderStatus.Unknown;

    /// <summary>Every (status, event) pair the table allows; for documentation and tests.</summary>
    public static IEnumerable<(OrderStatus From, OrderEvent Event, OrderStatus To)> All =>
        Table.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value));
}
