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

    public void AddOrder(OrderRecord order)
    {
        _openOrders.Add(order);
        Collateral.Track(order);
    }

    public void RemoveOrder(OrderRecord order)
    {
        if (_openOrders.Remove(order)) Collateral.Untrack(order);
    }

    public ExchangePosition ToExchangePosition() => new(
        Ticker, Position.Contracts, Position.CostBasis, Position.RealizedPnl, Position.FeesPaid, TotalTraded, LastUpdated);
}
