using Trader.Exchange.Accounts;
using Trader.Exchange.Events;
using Trader.Exchange.Markets;
using Trader.Exchange.Matching;

namespace Trader.Exchange;

/// <summary>
/// Everything one exchange session holds, shared by the classes that act on it (<see cref="MatchingEngine"/>,
/// <see cref="MarketLifecycle"/>, <see cref="SimulatedExchange"/>). Single-threaded: the caller serializes calls.
/// </summary>
internal sealed class ExchangeState
{
    private readonly PriorityQueue<OrderRecord, (DateTimeOffset, long)> _expiries = new();
    private readonly List<Market> _touched = [];
    private long _sequence;

    public ExchangeState(ExchangeOptions options, IEnumerable<MarketDefinition> markets, IExchangeEventSink events)
    {
        options.Validate();
        Options = options;
        Events = events;
        Ids = new IdGenerator(options.Seed);
        Random = new Random(unchecked(options.Seed * 31 + 7));
        Ledger = new Ledger(options.BalancePrecision);
        foreach (var definition in markets)
        {
            if (Markets.ContainsKey(definition.Ticker)) throw new ArgumentException($"market {definition.Ticker} is listed twice", nameof(markets));
            Markets[definition.Ticker] = new Market(definition, Ids.Next());
        }
    }

    public ExchangeOptions Options { get; }
    public IExchangeEventSink Events { get; }
    public IdGenerator Ids { get; }

    /// <summary>Random draws of the exchange itself (results of markets without a fixed one).</summary>
    public Random Random { get; }
    public Ledger Ledger { get; }
    public Dictionary<string, Market> Markets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Account> Accounts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Queue<PublicTrade>> Trades { get; } = new(StringComparer.Ordinal);

    /// <summary>The last time the exchange acted at; time never runs backwards inside the exchange.</summary>
    public DateTimeOffset Now { get; set; } = DateTimeOffset.MinValue;

    /// <summary>A fresh time-priority number.</summary>
    public long NextSequence() => ++_sequence;

    public Account Account(string userId) => Accounts[userId];

    /// <summary>The user's stake in the market, created when first needed.</summary>
    public AccountMarket Holding(Account account, Market market) => account.Market(market.Ticker, market.Definition.Fees);

    public void Publish(ExchangeEvent e) => Events.Publish(e);

    public void RecordTrade(PublicTrade trade)
    {
        if (!Trades.TryGetValue(trade.Ticker, out var q)) Trades[trade.Ticker] = q = new Queue<PublicTrade>();
        q.Enqueue(trade);
        while (q.Count > Options.HistoryLimit) q.Dequeue();
        Publish(trade);
    }

    public void ScheduleExpiry(OrderRecord order)
    {
        if (order.ExpirationTime is { } t) _expiries.Enqueue(order, (t, order.Sequence));
    }

    /// <summary>The earliest pending expiry (an order since finished or re-queued may still appear and is skipped when due).</summary>
    public DateTimeOffset? NextExpiry => _expiries.TryPeek(out _, out var key) ? key.Item1 : null;

    public bool TryTakeExpired(DateTimeOffset now, out OrderRecord order)
    {
        if (_expiries.TryPeek(out var o, out var key) && key.Item1 <= now)
        {
            _expiries.Dequeue();
            order = o;
            return true;
        }
        order = null!;
        return false;
    }

    /// <summary>Notes that a market's ticker (top of book, last trade, volume, open interest) may have changed.</summary>
    public void Touch(Market market)
    {
        if (!_touched.Contains(market)) _touched.Add(market);
    }

    /// <summary>Publishes a <see cref="TickerUpdated"/> for each touched market whose ticker really changed.</summary>
    public void FlushTickers(DateTimeOffset now)
    {
        foreach (var m in _touched)
        {
            var t = new TickerUpdated(m.Ticker, m.MarketId, m.Book.BestBidPrice, m.Book.BestBidSize, m.Book.BestAskPrice, m.Book.BestAskSize,
                m.LastPrice, m.LastTradeSize, m.Volume, m.OpenInterest, now);
            if (m.LastTicker is { } last && last with { Time = now } == t) continue;
            m.LastTicker = t;
            Publish(t);
        }
        _touched.Clear();
    }
}
