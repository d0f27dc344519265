using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Accounts;
using Trader.Exchange.Events;
using Trader.Exchange.Markets;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange;

/// <summary>Σ of the money on the exchange. Balanced when deposits = users' cash + fees collected + collateral held.</summary>
/// <param name="Collateral">$1 for each contract outstanding (open interest), held until settlement.</param>
public sealed record LedgerTotals(Money Deposits, Money Cash, Money Reserved, Money FeesCollected, Money Collateral)
{
    public bool IsBalanced => Deposits == Cash + FeesCollected + Collateral;
}

/// <summary>
/// The simulated Kalshi exchange: the one entry point the server (and the liquidity agents, and tests) call.
/// Pure and single-threaded: the caller serializes calls. Time comes from the injected <see cref="TimeProvider"/>;
/// every call first runs what is due by then (market opens, closes, determinations, settlements, order expiries),
/// so the state answered is always the state at that time; <see cref="AdvanceTime"/> does only that.
/// <para>
/// Every operation answers with the Kalshi API models of <c>Trader.Kalshi.Api</c> or a refusal carrying Kalshi's
/// error (<see cref="ExchangeResult{T}"/>), and publishes what it changed, in order, to the event sink
/// (<see cref="ExchangeEvents"/> by default: drain it after each call).
/// </para>
/// </summary>
public sealed class SimulatedExchange
{
    private readonly ExchangeState _state;
    private readonly TimeProvider _time;
    private readonly MatchingEngine _engine;
    private readonly OrderKeeper _keeper;
    private readonly MarketLifecycle _lifecycle;

    public SimulatedExchange(IEnumerable<MarketDefinition> markets, TimeProvider? time = null, ExchangeOptions? options = null,
        IExchangeEventSink? events = null)
    {
        ArgumentNullException.ThrowIfNull(markets);
        _time = time ?? TimeProvider.System;
        var sink = events ?? new ExchangeEvents();
        Events = sink as ExchangeEvents;
        _state = new ExchangeState(options ?? new ExchangeOptions(), markets, sink);
        _keeper = new OrderKeeper(_state);
        _engine = new MatchingEngine(_state, _keeper);
        _lifecycle = new MarketLifecycle(_state, _keeper);
        AdvanceTime();
    }

    /// <summary>The built-in markets (<see cref="DefaultMarkets"/>), opening now.</summary>
    public static SimulatedExchange WithDefaultMarkets(TimeProvider? time = null, ExchangeOptions? options = null, IExchangeEventSink? events = null)
    {
        var clock = time ?? TimeProvider.System;
        return new SimulatedExchange(DefaultMarkets.Create(clock.GetUtcNow()), clock, options, events);
    }

    /// <summary>The markets of a market file (<see cref="MarketFile"/>), relative times counted from now.</summary>
    public static SimulatedExchange FromMarketFile(string path, TimeProvider? time = null, ExchangeOptions? options = null, IExchangeEventSink? events = null)
    {
        var clock = time ?? TimeProvider.System;
        return new SimulatedExchange(MarketFile.Load(path, clock.GetUtcNow()), clock, options, events);
    }

    /// <summary>The event buffer when the exchange was built with the default sink; null when a sink was given.</summary>
    public ExchangeEvents? Events { get; }

    public ExchangeOptions Options => _state.Options;

    /// <summary>The session's state, for white-box checks in tests.</summary>
    internal ExchangeState State => _state;

    /// <summary>Runs everything due by now (the time provider's); returns that time.</summary>
    public DateTimeOffset AdvanceTime()
    {
        var now = _time.GetUtcNow();
        if (now < _state.Now) now = _state.Now;
        _lifecycle.AdvanceTo(now);
        _state.Now = now;
        return now;
    }

    // ---- accounts ----

    /// <summary>Opens an account (or tops one up) with a deposit.</summary>
    public void Deposit(string userId, Money amount)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account))
            _state.Accounts[userId] = account = new Account(userId, _state.Options.HistoryLimit, _state.Options.BalancePrecision);
        _state.Ledger.Deposit(account, amount);
    }

    public bool HasAccount(string userId) => _state.Accounts.ContainsKey(userId);

    // ---- orders (V2) ----

    public ExchangeResult<OrderAck> CreateOrder(string userId, CreateOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _engine.Create(userId, request, AdvanceTime());
    }

    /// <summary>Each request on its own, in order; one refused does not stop the others.</summary>
    public IReadOnlyList<BatchItem<OrderAck>> BatchCreateOrders(string userId, IReadOnlyList<CreateOrderRequest> requests)
    {
        var items = new List<BatchItem<OrderAck>>(requests.Count);
        foreach (var request in requests)
        {
            var result = CreateOrder(userId, request);
            string? clientOrderId = string.IsNullOrEmpty(request.ClientOrderId) ? null : request.ClientOrderId;
            items.Add(result.IsSuccess
                ? new BatchItem<OrderAck>(clientOrderId, result.Value.OrderId, result.Value, null)
                : new BatchItem<OrderAck>(clientOrderId, null, default, result.Error));
        }
        return items;
    }

    /// <summary>Cancels a resting order; 404 when it is unknown, someone else's, or already canceled or executed.</summary>
    public ExchangeResult<CancelAck> CancelOrder(string userId, string orderId, string? ticker = null) =>
        _keeper.Cancel(userId, orderId, ticker, AdvanceTime());

    public IReadOnlyList<BatchItem<CancelAck>> BatchCancelOrders(string userId, IReadOnlyList<(string OrderId, string? Ticker)> orders)
    {
        var items = new List<BatchItem<CancelAck>>(orders.Count);
        foreach (var (orderId, ticker) in orders)
        {
            var result = CancelOrder(userId, orderId, ticker);
            items.Add(result.IsSuccess
                ? new BatchItem<CancelAck>(result.Value.ClientOrderId, orderId, result.Value, null)
                : new BatchItem<CancelAck>(null, orderId, default, result.Error));
        }
        return items;
    }

    /// <summary>Cancels every resting order of the user (in markets that take cancels), optionally in one market.</summary>
    public IReadOnlyList<CancelAck> CancelAllOrders(string userId, string? ticker = null) => _keeper.CancelAll(userId, ticker, AdvanceTime());

    public ExchangeResult<OrderAck> AmendOrder(string userId, AmendOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _engine.Amend(userId, request, AdvanceTime());
    }

    public ExchangeResult<DecreaseAck> DecreaseOrder(string userId, DecreaseOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _keeper.Decrease(userId, request, AdvanceTime());
    }

    // ---- market control ----

    public ExchangeResult<MarketInfo> PauseMarket(string ticker) => Control(ticker, (m, now) => _lifecycle.Pause(m, now));

    public ExchangeResult<MarketInfo> ResumeMarket(string ticker) => Control(ticker, (m, now) => _lifecycle.Resume(m, now));

    /// <summary>Closes the market now (an early close: <c>close_date_updated</c>, resting orders canceled).</summary>
    public ExchangeResult<MarketInfo> CloseMarket(string ticker) => Control(ticker, (m, now) => _lifecycle.SetCloseTime(m, now, now));

    public ExchangeResult<MarketInfo> SetCloseTime(string ticker, DateTimeOffset closeTime) =>
        Control(ticker, (m, now) => _lifecycle.SetCloseTime(m, closeTime, now));

    /// <summary>Determines the result now (closing the market first if needed); payout follows after the settlement timer.</summary>
    public ExchangeResult<MarketInfo> DetermineMarket(string ticker, MarketResult result) =>
        Control(ticker, (m, now) => _lifecycle.Determine(m, result, now));

    /// <summary>Pays out a determined market now, without waiting for its settlement timer.</summary>
    public ExchangeResult<MarketInfo> SettleMarket(string ticker) => Control(ticker, (m, now) => _lifecycle.Settle(m, now));

    private ExchangeResult<MarketInfo> Control(string ticker, Action<Market, DateTimeOffset> action)
    {
        var now = AdvanceTime();
        if (!_state.Markets.TryGetValue(ticker, out var market)) return ExchangeErrors.UnknownMarket(ticker);
        try
        {
            action(market, now);
        }
        catch (MarketStateException e)
        {
            return new KalshiError(409, "invalid_market_state", "invalid market state", e.Message);
        }
        return market.ToInfo();
    }

    // ---- queries ----

    public ExchangeStatus GetExchangeStatus() => new(ExchangeActive: true, TradingActive: true);

    public IReadOnlyList<MarketInfo> GetMarkets(MarketQuery? query = null)
    {
        AdvanceTime();
        IEnumerable<Market> markets = _state.Markets.Values;
        if (query is not null)
        {
            if (query.Status is { } status) markets = markets.Where(m => m.Status.MatchesFilter(status));
            if (query.EventTicker is { } e) markets = markets.Where(m => m.Definition.EventTicker == e);
            if (query.SeriesTicker is { } s) markets = markets.Where(m => m.Definition.SeriesTicker == s);
            if (query.Tickers is { Count: > 0 } tickers) markets = markets.Where(m => tickers.Contains(m.Ticker));
            if (query.MaxResults is { } max) markets = markets.Take(max);
        }
        return markets.Select(m => m.ToInfo()).ToList();
    }

    public ExchangeResult<MarketInfo> GetMarket(string ticker)
    {
        AdvanceTime();
        return _state.Markets.TryGetValue(ticker, out var m) ? m.ToInfo() : ExchangeErrors.UnknownMarket(ticker);
    }

    /// <summary>The market's definition as listed (series, fees, grid, schedule).</summary>
    public MarketDefinition? GetMarketDefinition(string ticker) => _state.Markets.GetValueOrDefault(ticker)?.Definition;

    /// <summary>The market's uuid, as WebSocket messages carry it (<c>market_id</c>).</summary>
    public string? GetMarketId(string ticker) => _state.Markets.GetValueOrDefault(ticker)?.MarketId;

    /// <summary>Bids only, NO bids in NO-leg prices, each side ascending (best last); <paramref name="depth"/> 0 = all levels.</summary>
    public ExchangeResult<OrderBookSnapshot> GetOrderBook(string ticker, int depth = 0)
    {
        AdvanceTime();
        return _state.Markets.TryGetValue(ticker, out var m) ? m.Book.Snapshot(depth) : ExchangeErrors.UnknownMarket(ticker);
    }

    /// <summary>Public trades, newest first (the last <see cref="ExchangeOptions.HistoryLimit"/> per market).</summary>
    public IReadOnlyList<PublicTrade> GetTrades(string? ticker = null, DateTimeOffset? since = null)
    {
        AdvanceTime();
        var trades = ticker is null ? _state.Trades.Values.SelectMany(q => q) : _state.Trades.GetValueOrDefault(ticker) ?? Enumerable.Empty<PublicTrade>();
        if (since is { } t) trades = trades.Where(x => x.Time >= t);
        return trades.OrderByDescending(x => x.Time).ToList();
    }

    /// <summary>
    /// <see cref="AccountBalance.Cash"/> is the available balance (cash less what resting orders reserve);
    /// <see cref="AccountBalance.PortfolioValue"/> the value of the open positions at the book's mid (else the last
    /// price; at cost when the market has neither), as Kalshi's <c>portfolio_value</c>.
    /// </summary>
    public ExchangeResult<AccountBalance> GetBalance(string userId)
    {
        var now = AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        var value = Money.Zero;
        foreach (var holding in account.Markets)
        {
            var book = _state.Markets[holding.Ticker].Book;
            Price? mark = book.BestBidPrice is { } b && book.BestAskPrice is { } a
                ? Price.FromTicks((b.Ticks + a.Ticks) / 2)
                : _state.Markets[holding.Ticker].LastPrice;
            value += mark is { } p ? holding.Position.MarketValueAt(p) : holding.Position.CostBasis;
        }
        return new AccountBalance(account.Available, value, now);
    }

    /// <summary>Unsettled positions (markets the user has traded or has orders in); <paramref name="nonZeroOnly"/> keeps only non-flat ones.</summary>
    public ExchangeResult<IReadOnlyList<ExchangePosition>> GetPositions(string userId, string? ticker = null, bool nonZeroOnly = false)
    {
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        return account.Markets
            .Where(h => ticker is null || h.Ticker == ticker)
            .Where(h => !nonZeroOnly || !h.Position.Contracts.IsZero)
            .OrderBy(h => h.Ticker, StringComparer.Ordinal)
            .Select(h => h.ToExchangePosition())
            .ToList();
    }

    /// <summary>The user's orders, newest first: every open one and the most recent finished ones.</summary>
    public ExchangeResult<IReadOnlyList<ExchangeOrder>> GetOrders(string userId, OrderQuery? query = null)
    {
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        IEnumerable<OrderRecord> orders = account.Orders;
        if (query is not null)
        {
            if (query.Ticker is { } t) orders = orders.Where(o => o.Ticker == t);
            if (query.Status is { } s) orders = orders.Where(o => o.Status == s);
            if (query.MinTime is { } min) orders = orders.Where(o => o.CreatedTime >= min);
            if (query.MaxTime is { } max) orders = orders.Where(o => o.CreatedTime <= max);
        }
        return orders.OrderByDescending(o => o.CreatedTime).ThenByDescending(o => o.Sequence).Select(o => o.ToExchangeOrder()).ToList();
    }

    public ExchangeResult<ExchangeOrder> GetOrder(string userId, string orderId)
    {
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        return account.FindOrder(orderId) is { } o ? o.ToExchangeOrder() : ExchangeErrors.UnknownOrder(orderId);
    }

    /// <summary>An order's self-trade prevention type (the <c>Order</c> wire object carries it; <see cref="ExchangeOrder"/> does not).</summary>
    public SelfTradePrevention? GetOrderSelfTradePrevention(string userId, string orderId) =>
        _state.Accounts.GetValueOrDefault(userId)?.FindOrder(orderId)?.SelfTradePrevention;

    /// <summary>The user's fills, newest first.</summary>
    public ExchangeResult<IReadOnlyList<Fill>> GetFills(string userId, FillQuery? query = null)
    {
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        IEnumerable<Fill> fills = account.Fills;
        if (query is not null)
        {
            if (query.Ticker is { } t) fills = fills.Where(f => f.Ticker == t);
            if (query.OrderId is { } id) fills = fills.Where(f => f.OrderId == id);
            if (query.MinTime is { } min) fills = fills.Where(f => f.Time >= min);
            if (query.MaxTime is { } max) fills = fills.Where(f => f.Time <= max);
        }
        return fills.Reverse().ToList();
    }

    /// <summary>The user's settlements, newest first.</summary>
    public ExchangeResult<IReadOnlyList<Settlement>> GetSettlements(string userId, DateTimeOffset? since = null)
    {
        AdvanceTime();
        if (!_state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        return account.Settlements.Where(s => since is null || s.SettledTime >= since).Reverse().ToList();
    }

    /// <summary>Σ of the money on the exchange (<see cref="LedgerTotals.IsBalanced"/> must always hold).</summary>
    public LedgerTotals GetLedgerTotals()
    {
        var cash = Money.Zero;
        var reserved = Money.Zero;
        foreach (var a in _state.Accounts.Values)
        {
            cash += a.Cash;
            reserved += a.Reserved;
        }
        var collateral = Money.Zero;
        foreach (var m in _state.Markets.Values) collateral += Price.One * m.OpenInterest;
        return new LedgerTotals(_state.Ledger.Deposits, cash, reserved, _state.Ledger.FeesCollected, collateral);
    }
}
