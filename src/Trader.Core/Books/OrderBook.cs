using Trader.Core.Markets;
using Trader.Core.Numbers;

namespace Trader.Core.Books;

/// <summary>Which bids: YES bids, or NO bids (quoted in NO-leg prices, as Kalshi's REST book and default WebSocket do).</summary>
public enum BookLeg
{
    Yes,
    No,
}

/// <summary>One price level.</summary>
public readonly record struct BookLevel(Price Price, Quantity Size);

/// <summary>What became of a snapshot or delta.</summary>
public enum BookUpdate
{
    /// <summary>The book changed as the message says.</summary>
    Applied,

    /// <summary>Sequence number at or below the last one applied: a duplicate or a late frame; ignored.</summary>
    Stale,

    /// <summary>A sequence number was skipped; the delta was not applied and the book needs a snapshot.</summary>
    Gap,

    /// <summary>The book has no trustworthy state (no snapshot yet, or invalidated); the delta was ignored.</summary>
    AwaitingSnapshot,

    /// <summary>The delta would have made a level negative: the book has diverged from the exchange. Not applied; the book needs a snapshot.</summary>
    NegativeSize,

    /// <summary>A price outside (0, 1) dollar. Not applied.</summary>
    InvalidPrice,

    /// <summary>A snapshot level with a negative size. The snapshot was not applied.</summary>
    InvalidSize,
}

/// <summary>How the book judges sequence numbers.</summary>
public enum SequenceCheck
{
    /// <summary>Every delta must carry the previous sequence + 1 (a subscription that holds this one market).</summary>
    Contiguous,

    /// <summary>
    /// Sequence numbers only need to increase: Kalshi numbers frames per subscription, so on a subscription holding
    /// several markets one market's deltas legitimately skip numbers. Gaps are then found by the subscription's
    /// <see cref="SequenceTracker"/>, which calls <see cref="OrderBook.Invalidate"/> on every book of that subscription.
    /// </summary>
    Monotonic,
}

/// <summary>Whether the book can be trusted.</summary>
public enum BookState
{
    AwaitingSnapshot,
    Live,
    Invalidated,
}

/// <summary>
/// The order book of one market in Kalshi's shape: YES bids and NO bids (NO bids in NO-leg prices), with the asks
/// derived — a NO bid at q is a YES ask at 1 − q, a YES bid at p is a NO ask at 1 − p.
/// <para>
/// Levels live in two dense arrays indexed by price / resolution, where the resolution is the market grid's finest
/// step (101 slots per leg for a 1¢ market). A delta is an O(1) array update plus, when the best level empties, a
/// scan to the next one; nothing is allocated. A level that arrives off the assumed grid re-buckets the book to a
/// finer resolution once (the only allocation after construction).
/// </para>
/// </summary>
public sealed class OrderBook
{
    private long[] _yes;
    private long[] _no;
    private int _resolution;
    private int _bestYes = -1;
    private int _bestNo = -1;
    private int _yesLevels;
    private int _noLevels;
    private long _yesVolume;
    private long _noVolume;

    public OrderBook(string ticker, TickGrid? grid = null, SequenceCheck sequenceCheck = SequenceCheck.Contiguous)
    {
        ArgumentException.ThrowIfNullOrEmpty(ticker);
        Ticker = ticker;
        SequenceCheck = sequenceCheck;
        _resolution = (grid ?? TickGrid.LinearCent).FinestStepTicks;
        _yes = new long[Price.TicksPerDollar / _resolution + 1];
        _no = new long[_yes.Length];
    }

    public string Ticker { get; }
    public SequenceCheck SequenceCheck { get; }
    public BookState State { get; private set; } = BookState.AwaitingSnapshot;

    /// <summary>True when the book reflects the exchange: a snapshot was applied and nothing since was missed.</summary>
    public bool IsTrusted => State == BookState.Live;

    /// <summary>Sequence number of the last snapshot or delta applied (0 before the first snapshot).</summary>
    public long LastSequence { get; private set; }

    /// <summary>Ticks per array slot.</summary>
    public int ResolutionTicks => _resolution;

    /// <summary>Replaces the whole book. Levels may come in any order; sizes of repeated prices add up; zero sizes are ignored.</summary>
    public BookUpdate ApplySnapshot(long sequence, ReadOnlySpan<BookLevel> yesBids, ReadOnlySpan<BookLevel> noBids)
    {
        foreach (var l in yesBids)
        {
            if (!l.Price.IsTradable) return BookUpdate.InvalidPrice;
            if (l.Size.IsNegative) return BookUpdate.InvalidSize;
            EnsureOnGrid(l.Price);
        }
        foreach (var l in noBids)
        {
            if (!l.Price.IsTradable) return BookUpdate.InvalidPrice;
            if (l.Size.IsNegative) return BookUpdate.InvalidSize;
            EnsureOnGrid(l.Price);
        }

        Array.Clear(_yes);
        Array.Clear(_no);
        _bestYes = _bestNo = -1;
        _yesLevels = _noLevels = 0;
        _yesVolume = _noVolume = 0;
        foreach (var l in yesBids) AddToLevel(_yes, l.Price.Ticks / _resolution, l.Size.Units, ref _bestYes, ref _yesLevels, ref _yesVolume);
        foreach (var l in noBids) AddToLevel(_no, l.Price.Ticks / _resolution, l.Size.Units, ref _bestNo, ref _noLevels, ref _noVolume);

        LastSequence = sequence;
        State = BookState.Live;
        return BookUpdate.Applied;
    }

    /// <summary>
    /// Applies a signed size change at one price of one leg (Kalshi's <c>orderbook_delta</c>: <c>size += delta</c>,
    /// the level disappears at zero).
    /// </summary>
    public BookUpdate ApplyDelta(long sequence, BookLeg leg, Price price, Quantity delta)
    {
        if (State != BookState.Live) return BookUpdate.AwaitingSnapshot;
        if (sequence <= LastSequence) return BookUpdate.Stale;
        if (SequenceCheck == SequenceCheck.Contiguous && sequence != LastSequence + 1)
        {
            State = BookState.Invalidated;
            return BookUpdate.Gap;
        }
        if (!price.IsTradable) return BookUpdate.InvalidPrice;
        EnsureOnGrid(price);

        int index = price.Ticks / _resolution;
        bool ok = leg == BookLeg.Yes
            ? TryChange(_yes, index, delta.Units, ref _bestYes, ref _yesLevels, ref _yesVolume)
            : TryChange(_no, index, delta.Units, ref _bestNo, ref _noLevels, ref _noVolume);
        if (!ok)
        {
            State = BookState.Invalidated;
            return BookUpdate.NegativeSize;
        }
        LastSequence = sequence;
        return BookUpdate.Applied;
    }

    /// <summary>Marks the book untrustworthy until the next snapshot (a gap on its subscription, a reconnect).</summary>
    public void Invalidate()
    {
        if (State == BookState.Live) State = BookState.Invalidated;
    }

    // ---- queries -------------------------------------------------------------------------------------------

    public BookLevel? BestYesBid => _bestYes < 0 ? null : new BookLevel(PriceAt(_bestYes), Quantity.FromUnits(_yes[_bestYes]));
    public BookLevel? BestNoBid => _bestNo < 0 ? null : new BookLevel(PriceAt(_bestNo), Quantity.FromUnits(_no[_bestNo]));

    /// <summary>Best YES ask: the best NO bid seen from the YES leg (1 − q, same size).</summary>
    public BookLevel? BestYesAsk => _bestNo < 0 ? null : new BookLevel(PriceAt(_bestNo).Complement, Quantity.FromUnits(_no[_bestNo]));

    /// <summary>Best NO ask: the best YES bid seen from the NO leg (1 − p, same size).</summary>
    public BookLevel? BestNoAsk => _bestYes < 0 ? null : new BookLevel(PriceAt(_bestYes).Complement, Quantity.FromUnits(_yes[_bestYes]));

    public BookLevel? BestBid(BookLeg leg) => leg == BookLeg.Yes ? BestYesBid : BestNoBid;
    public BookLevel? BestAsk(BookLeg leg) => leg == BookLeg.Yes ? BestYesAsk : BestNoAsk;

    /// <summary>Ask − bid on a leg in ticks (the same number on both legs), null when either side is empty.</summary>
    public int? SpreadTicks(BookLeg leg = BookLeg.Yes)
    {
        if (_bestYes < 0 || _bestNo < 0) return null;
        return Price.TicksPerDollar - PriceAt(_bestNo).Ticks - PriceAt(_bestYes).Ticks;
    }

    /// <summary>True when the best YES bid and best NO bid add up to a dollar or more (cannot happen at rest on the exchange).</summary>
    public bool IsCrossed => _bestYes >= 0 && _bestNo >= 0 && PriceAt(_bestYes).Ticks + PriceAt(_bestNo).Ticks >= Price.TicksPerDollar;

    /// <summary>(bid + ask) / 2 in dollars on a leg, null when either side is empty.</summary>
    public decimal? Mid(BookLeg leg = BookLeg.Yes)
    {
        var bid = BestBid(leg);
        var ask = BestAsk(leg);
        if (bid is null || ask is null) return null;
        return (bid.Value.Price.Ticks + ask.Value.Price.Ticks) / (2m * Price.TicksPerDollar);
    }

    /// <summary>Size-weighted mid of the top of book, (bid × askSize + ask × bidSize) / (bidSize + askSize), in dollars.</summary>
    public decimal? Microprice(BookLeg leg = BookLeg.Yes)
    {
        var bid = BestBid(leg);
        var ask = BestAsk(leg);
        if (bid is null || ask is null) return null;
        decimal bs = bid.Value.Size.Units, asz = ask.Value.Size.Units;
        decimal num = bid.Value.Price.Ticks * asz + ask.Value.Price.Ticks * bs;
        return num / ((bs + asz) * Price.TicksPerDollar);
    }

    /// <summary>Number of bid levels on a leg (the other leg's ask level count is the same number).</summary>
    public int BidLevelCount(BookLeg leg) => leg == BookLeg.Yes ? _yesLevels : _noLevels;

    public int AskLevelCount(BookLeg leg) => leg == BookLeg.Yes ? _noLevels : _yesLevels;

    /// <summary>Total size resting on a leg's bids.</summary>
    public Quantity BidVolume(BookLeg leg) => Quantity.FromUnits(leg == BookLeg.Yes ? _yesVolume : _noVolume);

    /// <summary>Total size offered on a leg (the other leg's bids).</summary>
    public Quantity AskVolume(BookLeg leg) => Quantity.FromUnits(leg == BookLeg.Yes ? _noVolume : _yesVolume);

    /// <summary>Size resting at one bid price of a leg (zero when none).</summary>
    public Quantity BidSizeAt(BookLeg leg, Price price)
    {
        if (!price.IsTradable || price.Ticks % _resolution != 0) return Quantity.Zero;
        return Quantity.FromUnits((leg == BookLeg.Yes ? _yes : _no)[price.Ticks / _resolution]);
    }

    /// <summary>Copies up to <c>destination.Length</c> bid levels of a leg, best (highest) first; returns how many.</summary>
    public int TopBids(BookLeg leg, Span<BookLevel> destination)
    {
        long[] arr = leg == BookLeg.Yes ? _yes : _no;
        int best = leg == BookLeg.Yes ? _bestYes : _bestNo;
        int n = 0;
        for (int i = best; i > 0 && n < destination.Length; i--)
        {
            if (arr[i] > 0) destination[n++] = new BookLevel(PriceAt(i), Quantity.FromUnits(arr[i]));
        }
        return n;
    }

    /// <summary>
    /// Writes the sizes of a leg's largest bid levels into <paramref name="destination"/>, largest first; returns how
    /// many (at most <c>destination.Length</c> and the leg's level count). Ties keep the higher price first. Scans the
    /// leg once from the best bid down and stops after the last level; allocates nothing.
    /// </summary>
    public int LargestBidSizes(BookLeg leg, Span<Quantity> destination)
    {
        long[] arr = leg == BookLeg.Yes ? _yes : _no;
        int best = leg == BookLeg.Yes ? _bestYes : _bestNo;
        int remaining = leg == BookLeg.Yes ? _yesLevels : _noLevels;
        int k = destination.Length;
        if (k == 0) return 0;
        int n = 0;
        for (int i = best; i > 0 && remaining > 0; i--)
        {
            long size = arr[i];
            if (size <= 0) continue;
            remaining--;
            if (n == k && size <= destination[k - 1].Units) continue;
            // Insert keeping descending order; the smallest falls off when full.
            int j = n < k ? n++ : k - 1;
            while (j > 0 && destination[j - 1].Units < size)
            {
                destination[j] = destination[j - 1];
                j--;
            }
            destination[j] = Quantity.FromUnits(size);
        }
        return n;
    }

    /// <summary>Copies up to <c>destination.Length</c> ask levels of a leg, best (lowest) first; returns how many.</summary>
    public int TopAsks(BookLeg leg, Span<BookLevel> destination)
    {
        var other = leg == BookLeg.Yes ? BookLeg.No : BookLeg.Yes;
        int n = TopBids(other, destination);
        for (int i = 0; i < n; i++) destination[i] = destination[i] with { Price = destination[i].Price.Complement };
        return n;
    }

    // ---- internals -----------------------------------------------------------------------------------------

    private Price PriceAt(int index) => Price.FromTicks(index * _resolution);

    private void EnsureOnGrid(Price price)
    {
        if (price.Ticks % _resolution == 0) return;
        int newResolution = Gcd(_resolution, price.Ticks);
        _yes = Rebucket(_yes, _resolution, newResolution);
        _no = Rebucket(_no, _resolution, newResolution);
        if (_bestYes >= 0) _bestYes = _bestYes * _resolution / newResolution;
        if (_bestNo >= 0) _bestNo = _bestNo * _resolution / newResolution;
        _resolution = newResolution;
    }

    private static long[] Rebucket(long[] old, int oldRes, int newRes)
    {
        var fresh = new long[Price.TicksPerDollar / newRes + 1];
        for (int i = 0; i < old.Length; i++)
        {
            if (old[i] != 0) fresh[i * oldRes / newRes] = old[i];
        }
        return fresh;
    }

    private static void AddToLevel(long[] arr, int index, long units, ref int best, ref int levels, ref long volume)
    {
        if (units == 0) return;
        if (arr[index] == 0) levels++;
        arr[index] += units;
        volume += units;
        if (index > best) best = index;
    }

    private static bool TryChange(long[] arr, int index, long delta, ref int best, ref int levels, ref long volume)
    {
        ref long slot = ref arr[index];
        long old = slot;
        long updated = old + delta;
        if (updated < 0) return false;
        slot = updated;
        volume += delta;
        if (old == 0 && updated > 0)
        {
            levels++;
            if (index > best) best = index;
        }
        else if (old > 0 && updated == 0)
        {
            levels--;
            if (index == best)
            {
                int i = index - 1;
                while (i > 0 && arr[i] == 0) i--;
                best = i > 0 ? i : -1;
            }
        }
        return true;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
