using System.Collections.Immutable;
using Trader.Core.Numbers;

namespace Trader.Core.Orders;

public enum OrderChangeKind
{
    /// <summary>The order changed.</summary>
    Applied,

    /// <summary>A fill whose trade id was already applied: nothing changed.</summary>
    Duplicate,

    /// <summary>The change is not allowed; the order is returned unchanged and <see cref="OrderChange.Error"/> says why.</summary>
    Illegal,
}

/// <summary>The result of a change to an <see cref="Order"/>: the (possibly unchanged) order and what happened.</summary>
public readonly record struct OrderChange(Order Order, OrderChangeKind Kind, string? Error = null)
{
    public bool IsApplied => Kind == OrderChangeKind.Applied;
}

/// <summary>
/// One order of ours, immutable; every change goes through <see cref="OrderTransitions"/> and returns a new record.
/// Prices are kept on the YES leg (what V2 sends); <see cref="ContractPrice"/> is the user's view.
/// </summary>
public sealed record Order
{
    public required string ClientOrderId { get; init; }
    public string? ExchangeOrderId { get; init; }
    public required string Ticker { get; init; }

    /// <summary>Buy/sell YES/NO as the user (or policy) meant it.</summary>
    public required OrderIntent Intent { get; init; }

    /// <summary>The V2 side on the YES leg.</summary>
    public BookSide Side => Intent.BookSide;

    /// <summary>The V2 limit price on the YES leg.</summary>
    public required Price YesPrice { get; init; }

    /// <summary>The limit price on the intent's own contract (NO price for a NO order).</summary>
    public Price ContractPrice => Intent.FromYesPrice(YesPrice);

    public required Quantity Count { get; init; }
    public TimeInForce TimeInForce { get; init; } = TimeInForce.GoodTillCanceled;
    public bool PostOnly { get; init; }
    public bool ReduceOnly { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public OrderStatus Status { get; init; } = OrderStatus.Initialized;
    public Quantity Filled { get; init; }

    /// <summary>What may still trade: count − filled − whatever a cancel, decrease, IOC or expiry took away.</summary>
    public Quantity Remaining { get; init; }

    /// <summary>Σ YES price × count over the fills.</summary>
    public Money FillCostYes { get; init; }

    public Money Fees { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? RejectReason { get; init; }
    public ImmutableHashSet<string> TradeIds { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Average YES price of the fills in dollars, null before the first fill.</summary>
    public decimal? AverageYesFillPrice => Filled.IsZero ? null : FillCostYes.ToDollars() / Filled.ToDecimal();

    public bool IsOpen => Status.IsOpen();

    /// <summary>A new order in <see cref="OrderStatus.Initialized"/>; validates what can be validated without a market.</summary>
    public static Order Create(string clientOrderId, string ticker, OrderIntent intent, Price contractPrice, Quantity count,
        DateTimeOffset now, TimeInForce timeInForce = TimeInForce.GoodTillCanceled, bool postOnly = false,
        bool reduceOnly = false, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        ArgumentException.ThrowIfNullOrEmpty(ticker);
        if (!contractPrice.IsTradable)
            throw new ArgumentOutOfRangeException(nameof(contractPrice), contractPrice.ToWireString(), "an order price must be strictly between 0 and 1 dollar");
        if (!count.IsPositive)
            throw new ArgumentOutOfRangeException(nameof(count), count.ToWireString(), "an order count must be positive");
        if (expiresAt is not null && timeInForce != TimeInForce.GoodTillCanceled)
            throw new ArgumentException("an expiration time is only allowed on good-till-canceled orders", nameof(expiresAt));
        return new Order
        {
            ClientOrderId = clientOrderId,
            Ticker = ticker,
            Intent = intent,
            YesPrice = intent.ToYesPrice(contractPrice),
            Count = count,
            Remaining = count,
            TimeInForce = timeInForce,
            PostOnly = postOnly,
            ReduceOnly = reduceOnly,
            ExpiresAt = expiresAt,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public OrderChange Submit(DateTimeOffset now) => Move(OrderEvent.Submit, now);

    /// <summary>
    /// The exchange acknowledged the order and gave its id. The acknowledgement often arrives after the order's first
    /// fill or the exchange's order stream has moved it on (partially filled, filled, canceled): then the status stays
    /// and only the exchange id is recorded; an id different from the one already known is illegal.
    /// </summary>
    public OrderChange Accept(string exchangeOrderId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(exchangeOrderId);
        if (Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.Filled or OrderStatus.PendingCancel
            or OrderStatus.Canceled or OrderStatus.Expired)
        {
            if (ExchangeOrderId is not null && ExchangeOrderId != exchangeOrderId)
                return Illegal($"order {ClientOrderId}: accepted as {exchangeOrderId}, but the exchange already reported it as {ExchangeOrderId}");
            return new OrderChange(this with { ExchangeOrderId = exchangeOrderId }, OrderChangeKind.Applied);
        }
        var change = Move(OrderEvent.Accept, now);
        return change.IsApplied ? change with { Order = change.Order with { ExchangeOrderId = exchangeOrderId } } : change;
    }

    /// <summary>The create's answer was never seen.</summary>
    public OrderChange LoseTrack(DateTimeOffset now) => Move(OrderEvent.LoseTrack, now);

    public OrderChange Reject(string reason, DateTimeOffset now)
    {
        var change = Move(OrderEvent.Reject, now);
        return change.IsApplied ? change with { Order = change.Order with { RejectReason = reason, Remaining = Quantity.Zero } } : change;
    }

    public OrderChange RequestCancel(DateTimeOffset now) => Move(OrderEvent.RequestCancel, now);

    /// <summary>The exchange refused the cancel (the order still rests).</summary>
    public OrderChange RefuseCancel(DateTimeOffset now)
    {
        var change = Move(OrderEvent.CancelRefused, now);
        if (!change.IsApplied) return change;
        var back = Filled.IsZero ? OrderStatus.Accepted : OrderStatus.PartiallyFilled;
        return change with { Order = change.Order with { Status = back } };
    }

    /// <summary>The order is canceled (by us, the exchange, an IOC remainder or self-trade prevention): nothing more rests.</summary>
    public OrderChange Cancel(DateTimeOffset now)
    {
        var change = Move(OrderEvent.Cancel, now);
        return change.IsApplied ? change with { Order = change.Order with { Remaining = Quantity.Zero } } : change;
    }

    public OrderChange Expire(DateTimeOffset now)
    {
        var change = Move(OrderEvent.Expire, now);
        return change.IsApplied ? change with { Order = change.Order with { Remaining = Quantity.Zero } } : change;
    }

    /// <summary>
    /// Applies an execution. A trade id already applied is reported as <see cref="OrderChangeKind.Duplicate"/>;
    /// a fill for another order, at a price worse than the limit, or for more than was ever ordered is illegal. A fill
    /// names the exchange's order id: an order that does not know its id yet (the fill beat the create's answer) learns it.
    /// </summary>
    public OrderChange ApplyFill(Fill fill, DateTimeOffset now)
    {
        if (TradeIds.Contains(fill.TradeId)) return new OrderChange(this, OrderChangeKind.Duplicate);
        if (fill.Ticker != Ticker)
            return Illegal($"fill {fill.TradeId} is for {fill.Ticker}, order {ClientOrderId} is for {Ticker}");
        if (fill.Side != Side)
            return Illegal($"fill {fill.TradeId} is on the {fill.Side.ToWire()} side, order {ClientOrderId} is on the {Side.ToWire()} side");
        if (!fill.Count.IsPositive)
            return Illegal($"fill {fill.TradeId} has a non-positive count {fill.Count}");
        bool worse = Side == BookSide.Bid ? fill.YesPrice > YesPrice : fill.YesPrice < YesPrice;
        if (worse)
            return Illegal($"fill {fill.TradeId} at {fill.YesPrice} is worse than the limit {YesPrice} of order {ClientOrderId}");

        var filled = Filled + fill.Count;
        if (filled > Count)
            return Illegal($"fill {fill.TradeId} of {fill.Count} would fill {filled} of order {ClientOrderId}, which is for {Count}");

        var ev = filled == Count ? OrderEvent.Fill : OrderEvent.PartialFill;
        var change = Move(ev, now);
        if (!change.IsApplied) return change;
        var remaining = Quantity.Max(Quantity.Zero, Remaining - fill.Count);
        if (change.Order.Status.IsTerminal() && change.Order.Status != OrderStatus.Filled) remaining = Quantity.Zero;
        return change with
        {
            Order = change.Order with
            {
                ExchangeOrderId = ExchangeOrderId ?? (string.IsNullOrEmpty(fill.OrderId) ? null : fill.OrderId),
                Filled = filled,
                Remaining = remaining,
                FillCostYes = FillCostYes + fill.YesPrice * fill.Count,
                Fees = Fees + fill.Fee,
                TradeIds = TradeIds.Add(fill.TradeId),
            },
        };
    }

    /// <summary>
    /// Replaces our view with the exchange's (status, filled and remaining counts, exchange id). This is a correction,
    /// not a transition: reconciliation uses it when the exchange, the source of truth, reports a state our events did
    /// not lead to (an order we gave up on found resting, one that filled or was canceled while we were not looking).
    /// The caller reports it as a discrepancy.
    /// </summary>
    public Order AdoptExchangeState(OrderStatus status, Quantity filled, Quantity remaining, string? exchangeOrderId, DateTimeOffset now) =>
        this with
        {
            Status = status,
            Filled = filled,
            Remaining = remaining,
            ExchangeOrderId = exchangeOrderId ?? ExchangeOrderId,
            RejectReason = status == OrderStatus.Rejected ? RejectReason : null,
            UpdatedAt = now,
        };

    private OrderChange Move(OrderEvent ev, DateTimeOffset now)
    {
        var next = OrderTransitions.Next(Status, ev);
        if (next is null) return Illegal($"order {ClientOrderId}: {ev} is not allowed when {Status}");
        return new OrderChange(this with { Status = next.Value, UpdatedAt = now }, OrderChangeKind.Applied);
    }

    private OrderChange Illegal(string error) => new(this, OrderChangeKind.Illegal, error);
}
