using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Accounts;

/// <summary>One user's stake in one unsettled market: position, open orders, what they reserve, and totals.</summary>
internal sealed class AccountMarket(string ticker)
{
    public string Ticker { get; } = ticker;

    /// <summary>Signed net contracts (+ YES, − NO), cost basis on the held leg, realized P&amp;L, fees (Core <see cref="Position"/>).</summary>
    public Position Position { get; set; } = new(ticker);

    /// <summary>Σ over fills of the leg price paid × count (the cost booked from the outcome side, as Kalshi's <c>total_traded</c>).</summary>
    public Money TotalTraded { get; set; }

    public List<OrderRecord> OpenOrders { get; } = [];

    /// <summary>What <see cref="OpenOrders"/> hold back now (<see cref="Collateral.Required"/>), cached.</summary>
    public Money Reserved { get; set; }

    public DateTimeOffset LastUpdated { get; set; }

    public ExchangePosition ToExchangePosition() => new(
        Ticker, Position.Contracts, Position.CostBasis, Position.RealizedPnl, Position.FeesPaid, TotalTraded, LastUpdated);
}
