using Trader.Core.Books;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Matching;

/// <summary>
/// The one book of a market, held on the YES leg: bids (buy YES) and asks (sell YES ≡ buy NO at 1 − price), each
/// price level a FIFO queue of resting orders (price-time priority). Levels live in arrays indexed by
/// YES price / the grid's finest step (101 slots a side for a 1¢ market), orders are linked into their level, so
/// adding, removing and resizing an order are O(1) and finding the next best level is a short scan.
/// <para>Shown to the outside as Kalshi shows it: YES bids, and NO bids in NO-leg prices (an ask at p is a NO bid at 1 − p).</para>
/// </summary>
internal sealed class MarketBook
{
    private readonly Level[] _bids;
    private readonly Level[] _asks;
    private readonly int _resolution;
    private int _bestBid = -1;
    private int _bestAsk = -1;

    public MarketBook(string ticker, TickGrid grid)
    {
        Ticker = ticker;
        _resolution = grid.FinestStepTicks;
        int slots = Price.TicksPerDollar / _resolution + 1;
        _bids = new Level[slots];
        _asks = new Level[slots];
        for (int i = 0; i < slots; i++)
        {
            _bids[i] = new Level();
            _asks[i] = new Level();
        }
    }

    public string Ticker { get; }

    public Price? BestBidPrice => _bestBid < 0 ? null : PriceAt(_bestBid);
    public Price? BestAskPrice => _bestAsk < 0 ? null : PriceAt(_bestAsk);
    public Quantity BestBidSize => _bestBid < 0 ? Quantity.Zero : Quantity.FromUnits(_bids[_bestBid].Units);
    public Quantity BestAskSize => _bestAsk < 0 ? Quantity.Zero : Quantity.FromUnits(_asks[_bestAsk].Units);

    /// <summary>A YES bid at or above the best ask: never true at rest.</summary>
    public bool IsCrossed => _bestBid >= 0 && _bestAsk >= 0 && _bestBid >= _bestAsk;

    public bool IsEmpty => _bestBid < 0 && _bestAsk < 0;

    /// <summary>Total resting size at a YES price on one side.</summary>
    public Quantity SizeAt(BookSide side, Price yesPrice) => Quantity.FromUnits(Levels(side)[Index(yesPrice)].Units);

    /// <summary>True when an order on <paramref name="side"/> at <paramref name="yesPrice"/> would trade with the other side.</summary>
    public bool Crosses(BookSide side, Price yesPrice) => side == BookSide.Bid
        ? _bestAsk >= 0 && _bestAsk <= Index(yesPrice)
        : _bestBid >= 0 && _bestBid >= Index(yesPrice);

    /// <summary>The order first in line on the side an incoming <paramref name="takerSide"/> order at <paramref name="limit"/> trades with; null when nothing crosses.</summary>
    public OrderRecord? FirstMatch(BookSide takerSide, Price limit) =>
        Crosses(takerSide, limit) ? (takerSide == BookSide.Bid ? _asks[_bestAsk].Head : _bids[_bestBid].Head) : null;

    /// <summary>Puts the order at the back of its price level.</summary>
    public void Add(OrderRecord order)
    {
        if (order.InBook) throw new InvalidOperationException($"order {order.OrderId} is already in the book");
        if (!order.Remaining.IsPositive) throw new InvalidOperationException($"order {order.OrderId} has nothing left to rest");
        int i = Index(order.YesPrice);
        var level = Levels(order.Side)[i];
        order.Previous = level.Tail;
        order.Next = null;
        if (level.Tail is null) level.Head = order; else level.Tail.Next = order;
        level.Tail = order;
        level.Units += order.Remaining.Units;
        order.InBook = true;
        if (order.Side == BookSide.Bid) { if (i > _bestBid) _bestBid = i; }
        else if (_bestAsk < 0 || i < _bestAsk) _bestAsk = i;
    }

    /// <summary>Takes the order out of its level (its remaining size leaves the level with it).</summary>
    public void Remove(OrderRecord order)
    {
        if (!order.InBook) throw new InvalidOperationException($"order {order.OrderId} is not in the book");
        int i = Index(order.YesPrice);
        var level = Levels(order.Side)[i];
        if (order.Previous is null) level.Head = order.Next; else order.Previous.Next = order.Next;
        if (order.Next is null) level.Tail = order.Previous; else order.Next.Previous = order.Previous;
        order.Previous = order.Next = null;
        order.InBook = false;
        level.Units -= order.Remaining.Units;
        if (level.Head is null) RefreshBest(order.Side);
    }

    /// <summary>Records that a resting order's remaining size changed by <paramref name="delta"/> (it keeps its place).</summary>
    public void Resize(OrderRecord order, Quantity delta)
    {
        if (!order.InBook) throw new InvalidOperationException($"order {order.OrderId} is not in the book");
        Levels(order.Side)[Index(order.YesPrice)].Units += delta.Units;
    }

    /// <summary>
    /// How much an incoming order could fill right now (fill-or-kill check): the crossing size up to its limit,
    /// skipping the user's own orders under <see cref="SelfTradePrevention.Maker"/> and stopping at the first one
    /// under <see cref="SelfTradePrevention.TakerAtCross"/>.
    /// </summary>
    public Quantity FillableSize(BookSide takerSide, Price limit, string userId, SelfTradePrevention stp, Quantity enough)
    {
        long units = 0;
        var levels = takerSide == BookSide.Bid ? _asks : _bids;
        int start = takerSide == BookSide.Bid ? _bestAsk : _bestBid;
        if (start < 0) return Quantity.Zero;
        int end = Index(limit);
        int step = takerSide == BookSide.Bid ? 1 : -1;
        for (int i = start; takerSide == BookSide.Bid ? i <= end : i >= end; i += step)
        {
            for (var o = levels[i].Head; o is not null; o = o.Next)
            {
                if (o.UserId == userId)
                {
                    if (stp == SelfTradePrevention.TakerAtCross) return Quantity.FromUnits(units);
                    continue;
                }
                units += o.Remaining.Units;
                if (units >= enough.Units) return Quantity.FromUnits(units);
            }
        }
        return Quantity.FromUnits(units);
    }

    /// <summary>Kalshi's view: YES bids and NO bids (NO-leg prices), each ascending (best last), at most <paramref name="depth"/> best levels a side (0 = all).</summary>
    public OrderBookSnapshot Snapshot(int depth = 0)
    {
        var yes = new List<BookLevel>();
        for (int i = _bestBid; i >= 0 && (depth == 0 || yes.Count < depth); i--)
            if (_bids[i].Units > 0) yes.Add(new BookLevel(PriceAt(i), Quantity.FromUnits(_bids[i].Units)));
        var no = new List<BookLevel>();
        for (int i = _bestAsk; i >= 0 && i < _asks.Length && (depth == 0 || no.Count < depth); i++)
            if (_asks[i].Units > 0) no.Add(new BookLevel(PriceAt(i).Complement, Quantity.FromUnits(_asks[i].Units)));
        yes.Reverse();
        no.Reverse();
        return new OrderBookSnapshot(Ticker, yes, no);
    }

    /// <summary>Every resting order, best price first, in time priority within a level.</summary>
    public IEnumerable<OrderRecord> Orders(BookSide side)
    {
        var levels = Levels(side);
        if (side == BookSide.Bid)
        {
            for (int i = _bestBid; i >= 0; i--)
                for (var o = levels[i].Head; o is not null; o = o.Next) yield return o;
        }
        else if (_bestAsk >= 0)
        {
            for (int i = _bestAsk; i < levels.Length; i++)
                for (var o = levels[i].Head; o is not null; o = o.Next) yield return o;
        }
    }

    private Level[] Levels(BookSide side) => side == BookSide.Bid ? _bids : _asks;

    private int Index(Price price) => price.Ticks / _resolution;

    private Price PriceAt(int index) => Price.FromTicks(index * _resolution);

    private void RefreshBest(BookSide side)
    {
        if (side == BookSide.Bid)
        {
            while (_bestBid >= 0 && _bids[_bestBid].Head is null) _bestBid--;
        }
        else if (_bestAsk >= 0)
        {
            while (_bestAsk < _asks.Length && _asks[_bestAsk].Head is null) _bestAsk++;
            if (_bestAsk == _asks.Length) _bestAsk = -1;
        }
    }

    private sealed class Level
    {
        public OrderRecord? Head;
        public OrderRecord? Tail;
        public long Units;
    }
}
