using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Accounts;

/// <summary>One user's stake in one unsettled market: position, open orders, what they reserve, and totals.</summary>
internal sealed class AccountMarket(string ticker, FeeSchedule fees, Money precision)
{
    private readonly List<OrderRecord> _openOrders = [];

    public string Ticker { get; } = ticker;

    /// <summary>Signed net contracts (+ YES, − NO), cost basis on the held leg, realized P&amp;L, fees (Core <see cref="Position"/>).</summary>
    public Position Position { get; set; } = new(ticker);

    /// <summary>Σ over fills of the leg price paid × count (the cost booked from the outcome side, as Kalshi's <c>total_traded</c>).</summary>
    public Money TotalTraded { get; set; }

    public IReadOnlyList<OrderRecord> OpenOrders => _openOrders;

    /// <summary>What the open orders would hold back (kept in step with them).</summary>
    public Collateral Collateral { get; } = new(fees, precision);

    /// <summary>What <see cref="OpenOrders"/> hold back now, as last set on the account.</summary>
    public Money Reserved { get; set; }

    public DateTimeOffset LastUpdated { get; set; }

    /// <summary>Adds an open order (in no particular place: callers that care about time order sort by <see cref="OrderRecord.Sequence"/>).</summary>
    public void AddOrder(OrderRecord order)
    {
        order.HoldingIndex = _openOrders.Count;
        _openOrders.Add(order);
        Collateral.Track(order);
    }

    /// <summary>Removes an open order in O(1) (the last one takes its slot); nothing happens for an order not held.</summary>
    public void RemoveOrder(OrderRecord order)
    {
        int i = order.HoldingIndex;
        if (i < 0 || i >= _openOrders.Count || !ReferenceEquals(_openOrders[i], order)) return;
        var last = _openOrders[^1];
        _openOrders[i] = last;
        last.HoldingIndex = i;
        _openOrders.RemoveAt(_openOrders.Count - 1);
        order.HoldingIndex = -1;
        Collateral.Untrack(order);
    }

    public ExchangePosition ToExchangePosition() => new(
        Ticker, Position.Contracts, Position.CostBasis, Position.RealizedPnl, Position.FeesPaid, TotalTraded, LastUpdated);
}
