using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Accounts;

/// <summary>
/// One user of the exchange: cash, the markets they hold positions or orders in, and their history (orders,
/// fills, settlements). <see cref="Cash"/> is all the cash the exchange owes the user; <see cref="Reserved"/> is the
/// part held back by resting orders (<see cref="Collateral"/>); <see cref="Available"/> is what the balance shows.
/// Client order ids are remembered forever: Kalshi refuses a reused one even after the order is gone.
/// </summary>
internal sealed class Account(string userId, int maxHistory, Money precision)
{
    private readonly Dictionary<string, AccountMarket> _markets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clientOrderIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderRecord> _orders = new(StringComparer.Ordinal);
    private readonly Queue<OrderRecord> _finished = new();
    private readonly List<Fill> _fills = [];
    private readonly List<Settlement> _settlements = [];

    public string UserId { get; } = userId;
    public Money Cash { get; set; }
    public Money Reserved { get; private set; }
    public Money Available => Cash - Reserved;

    public IReadOnlyCollection<AccountMarket> Markets => _markets.Values;
    public IReadOnlyList<Fill> Fills => _fills;
    public IReadOnlyList<Settlement> Settlements => _settlements;

    /// <summary>Open orders and the most recent finished ones (at most the history limit of them), by order id.</summary>
    public IReadOnlyCollection<OrderRecord> Orders => _orders.Values;

    public AccountMarket? FindMarket(string ticker) => _markets.GetValueOrDefault(ticker);

    public AccountMarket Market(string ticker, Trader.Core.Fees.FeeSchedule fees)
    {
        if (!_markets.TryGetValue(ticker, out var m)) _markets[ticker] = m = new AccountMarket(ticker, fees, precision);
        return m;
    }

    /// <summary>Drops a settled market from the open positions (its history stays in fills and settlements).</summary>
    public void RemoveMarket(string ticker)
    {
        if (_markets.Remove(ticker, out var m)) Reserved -= m.Reserved;
    }

    /// <summary>Sets the cached reservation of one market, keeping the account total in step.</summary>
    public void SetReserved(AccountMarket market, Money reserved)
    {
        Reserved += reserved - market.Reserved;
        market.Reserved = reserved;
    }

    public bool HasUsedClientOrderId(string clientOrderId) => _clientOrderIds.Contains(clientOrderId);

    public void UseClientOrderId(string clientOrderId) => _clientOrderIds.Add(clientOrderId);

    public OrderRecord? FindOrder(string orderId) => _orders.GetValueOrDefault(orderId);

    public void AddOrder(OrderRecord order) => _orders[order.OrderId] = order;

    /// <summary>Notes that an order reached a final status; the oldest finished orders beyond the history limit are forgotten.</summary>
    public void OrderFinished(OrderRecord order)
    {
        _finished.Enqueue(order);
        while (_finished.Count > maxHistory) _orders.Remove(_finished.Dequeue().OrderId);
    }

    public void AddFill(Fill fill)
    {
        _fills.Add(fill);
        if (_fills.Count > 2 * maxHistory) _fills.RemoveRange(0, _fills.Count - maxHistory);
    }

    public void AddSettlement(Settlement settlement) => _settlements.Add(settlement);
}
