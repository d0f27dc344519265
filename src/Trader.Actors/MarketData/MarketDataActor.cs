using Akka.Actor;
using Akka.Event;
using Trader.Actors.Monitoring;
using Trader.Actors.Streams;
using Trader.Core.Books;
using Trader.Kalshi.Streaming;

namespace Trader.Actors.MarketData;

/// <summary>
/// The orderbook stream (the original's OrderbookClient, §7): subscribes to <c>orderbook_delta</c> for the configured
/// markets, keeps one Core <see cref="OrderBook"/> per market, and publishes typed events on the event stream
/// (<see cref="BookSnapshotApplied"/>, <see cref="BookDeltaApplied"/>, <see cref="BookGapDetected"/>,
/// <see cref="MarketStale"/>, and <see cref="MarketRecovered"/> once a stale market's re-snapshot arrives). A gap on the
/// subscription invalidates every book of it until the re-snapshot the session requests arrives; a delta that does not
/// fit its book (a level going negative) marks that market stale and asks for its snapshot. The stream is optional for
/// trading: when it is down, every market is stale and the trader stays up.
/// On <see cref="RepublishBooks"/> (from the event stream) it publishes every trusted book again as a snapshot.
/// </summary>
public sealed class MarketDataActor : StreamActor
{
    public const string Name = "orderbook";

    private readonly IReadOnlyList<string> _tickers;
    private readonly bool _useYesPrice;
    private readonly StreamContext _context;
    private readonly Dictionary<string, OrderBook> _books = new(StringComparer.Ordinal);

    public MarketDataActor(IReadOnlyList<string> tickers, bool useYesPrice, KalshiStreamOptions options, StreamContext context, IActorRef coordinator,
        TraderMetrics metrics)
        : base(Name, required: false, options, context, coordinator, metrics)
    {
        _tickers = tickers;
        _context = context;
        _useYesPrice = useYesPrice;
        foreach (var t in tickers) _books[t] = new OrderBook(t, sequenceCheck: SequenceCheck.Monotonic);

        Receive<OrderBookSnapshotMessage>(OnSnapshot);
        Receive<ReceivedDelta>(OnDelta);
        Receive<GetBookSummaries>(_ => Sender.Tell(new BookSummaries(_books.Values.Select(Summarize).ToList())));
        Receive<RepublishBooks>(_ =>
        {
            foreach (var book in _books.Values.Where(b => b.IsTrusted)) Context.System.EventStream.Publish(SnapshotOf(book));
        });
    }

    public static Props Props(IReadOnlyList<string> tickers, bool useYesPrice, KalshiStreamOptions options, StreamContext context,
        IActorRef coordinator, TraderMetrics metrics) =>
        Akka.Actor.Props.Create(() => new MarketDataActor(tickers, useYesPrice, options, context, coordinator, metrics));

    protected override SubscriptionRequest Subscription => SubscriptionRequest.OrderBook(_tickers, _useYesPrice);

    protected override void PreStart()
    {
        // Before connecting: once a snapshot has been published, a late subscriber's request is heard.
        Context.System.EventStream.Subscribe(Self, typeof(RepublishBooks));
        base.PreStart();
        UpdateStaleGauge();
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self, typeof(RepublishBooks));
        base.PostStop();
    }

    private void OnSnapshot(OrderBookSnapshotMessage s)
    {
        var book = Book(s.Ticker);
        var result = book.ApplySnapshot(s.Seq, s.YesBids, s.NoBids);
        if (result != BookUpdate.Applied)
        {
            Log.Warning("Snapshot of {Market} refused: {Result}", s.Ticker, result);
            return;
        }
        UpdateStaleGauge(); // before the events: whoever reacts to them reads a gauge that already agrees
        Context.System.EventStream.Publish(new BookSnapshotApplied(s.Ticker, s.Seq, s.YesBids, s.NoBids, Now));
        if (_context.StaleSince.Remove(s.Ticker, out var since))
        {
            Log.Info("Market {0} recovered after {1:0.0}s stale", s.Ticker, (Now - since).TotalSeconds);
            Context.System.EventStream.Publish(new MarketRecovered(s.Ticker, since, Now));
        }
    }

    private void OnDelta(ReceivedDelta r)
    {
        var d = r.Message;
        var book = Book(d.Ticker);
        switch (book.ApplyDelta(d.Seq, d.Leg, d.Price, d.Delta))
        {
            case BookUpdate.Applied:
                Context.System.EventStream.Publish(new BookDeltaApplied(d.Ticker, d.Seq, d.Leg, d.Price, d.Delta, Now, r.ReceivedTimestamp));
                break;
            case BookUpdate.NegativeSize:
            case BookUpdate.InvalidPrice:
                MarkStale(d.Ticker, $"delta {d.Seq} at {d.Price} does not fit the book");
                if (Session is { } session)
                    _ = session.RequestSnapshotAsync(d.SubscriptionId, [d.Ticker], CancellationToken.None);
                break;
            default:
                break; // stale duplicates, or deltas while awaiting a snapshot
        }
    }

    protected override void OnStreamEvent(StreamEvent e)
    {
        base.OnStreamEvent(e);
        if (e is SequenceGapDetected gap && gap.Channel == Kalshi.Wire.StreamChannels.OrderbookDelta)
        {
            Metrics.Gaps.Inc();
            foreach (var ticker in gap.Markets)
            {
                Context.System.EventStream.Publish(new BookGapDetected(ticker, gap.Expected, gap.Received, Now));
                MarkStale(ticker, $"sequence gap: expected {gap.Expected}, received {gap.Received}");
            }
        }
    }

    protected override void OnDisconnected(string reason)
    {
        foreach (var ticker in _books.Keys) MarkStale(ticker, $"orderbook stream down: {reason}");
    }

    private OrderBook Book(string ticker)
    {
        if (!_books.TryGetValue(ticker, out var book))
        {
            book = new OrderBook(ticker, sequenceCheck: SequenceCheck.Monotonic);
            _books[ticker] = book;
        }
        return book;
    }

    private void MarkStale(string ticker, string reason)
    {
        Book(ticker).Invalidate();
        _context.StaleSince.TryAdd(ticker, Now);
        UpdateStaleGauge();
        Context.System.EventStream.Publish(new MarketStale(ticker, reason, Now));
    }

    private void UpdateStaleGauge() => Metrics.StaleMarkets.Set(_books.Values.Count(b => !b.IsTrusted));

    /// <summary>The book as it stands, as a snapshot event at its last sequence number (levels best first).</summary>
    private BookSnapshotApplied SnapshotOf(OrderBook b)
    {
        var yes = new BookLevel[b.BidLevelCount(BookLeg.Yes)];
        var no = new BookLevel[b.BidLevelCount(BookLeg.No)];
        b.TopBids(BookLeg.Yes, yes);
        b.TopBids(BookLeg.No, no);
        return new BookSnapshotApplied(b.Ticker, b.LastSequence, yes, no, Now);
    }

    private static BookSummary Summarize(OrderBook b) => new(b.Ticker, b.State, b.LastSequence, b.BestYesBid, b.BestYesAsk, b.SpreadTicks());
}

/// <summary>Ask the market-data actor for a summary of every book; answered with <see cref="BookSummaries"/>.</summary>
public sealed record GetBookSummaries
{
    public static readonly GetBookSummaries Instance = new();
}

public sealed record BookSummary(string Ticker, BookState State, long LastSequence, BookLevel? BestYesBid, BookLevel? BestYesAsk, int? SpreadTicks);

public sealed record BookSummaries(IReadOnlyList<BookSummary> Books);

/// <summary>
/// Published on the event stream to ask the market-data actor for a <see cref="BookSnapshotApplied"/> of every book it
/// trusts now. A subscriber that keeps replicas of the books (the decision actor) publishes it when it starts: it may
/// start — or restart — after the stream's snapshots went by (loading an ONNX model takes longer than connecting), and
/// its replicas would otherwise wait for a snapshot that comes only after the next gap or reconnect.
/// </summary>
public sealed record RepublishBooks
{
    public static readonly RepublishBooks Instance = new();
}
