using Trader.Core.Books;
using Trader.Core.Markets;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Books;

public class OrderBookTests
{
    private static BookLevel L(string price, string size) => new(Price.Parse(price), Quantity.Parse(size));
    private static Price P(string s) => Price.Parse(s);
    private static Quantity Q(string s) => Quantity.Parse(s);

    [Fact]
    public void Wire_book_golden_derives_asks_from_the_other_legs_bids()
    {
        // kalshi-api.md §9.3: {"orderbook_fp":{"no_dollars":[["0.4800","3.00"]],"yes_dollars":[["0.4700","3.00"]]}}
        var book = new OrderBook("KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP");
        Assert.Equal(BookUpdate.Applied, book.ApplySnapshot(1, [L("0.4700", "3.00")], [L("0.4800", "3.00")]));

        Assert.Equal(L("0.4700", "3.00"), book.BestYesBid);
        Assert.Equal(L("0.4800", "3.00"), book.BestNoBid);
        Assert.Equal(L("0.5200", "3.00"), book.BestYesAsk);
        Assert.Equal(L("0.5300", "3.00"), book.BestNoAsk);
        Assert.Equal(500, book.SpreadTicks(BookLeg.Yes));
        Assert.Equal(500, book.SpreadTicks(BookLeg.No));
        Assert.Equal(0.495m, book.Mid(BookLeg.Yes));
        Assert.Equal(0.505m, book.Mid(BookLeg.No));
        Assert.True(book.IsTrusted);
        Assert.False(book.IsCrossed);
    }

    [Fact]
    public void Multi_level_golden_in_any_input_order()
    {
        // §9.3 multi-level: yes [[0.08,300],[0.22,333]], no [[0.54,20],[0.56,146]] (ascending, best last).
        var book = new OrderBook("FED-23DEC-T3.00");
        book.ApplySnapshot(2, [L("0.0800", "300.00"), L("0.2200", "333.00")], [L("0.5400", "20.00"), L("0.5600", "146.00")]);

        Assert.Equal(L("0.2200", "333.00"), book.BestYesBid);
        Assert.Equal(L("0.5600", "146.00"), book.BestNoBid);
        Assert.Equal(L("0.4400", "146.00"), book.BestYesAsk);
        Assert.Equal(L("0.7800", "333.00"), book.BestNoAsk);
        Assert.Equal(2, book.BidLevelCount(BookLeg.Yes));
        Assert.Equal(2, book.AskLevelCount(BookLeg.Yes));
        Assert.Equal(Q("633.00"), book.BidVolume(BookLeg.Yes));
        Assert.Equal(Q("166.00"), book.AskVolume(BookLeg.Yes));

        Span<BookLevel> top = stackalloc BookLevel[5];
        int n = book.TopBids(BookLeg.Yes, top);
        Assert.Equal(2, n);
        Assert.Equal(L("0.2200", "333.00"), top[0]);
        Assert.Equal(L("0.0800", "300.00"), top[1]);
        n = book.TopAsks(BookLeg.Yes, top);
        Assert.Equal(2, n);
        Assert.Equal(L("0.4400", "146.00"), top[0]);
        Assert.Equal(L("0.4600", "20.00"), top[1]);
        Assert.Equal(1, book.TopBids(BookLeg.No, top[..1]));
    }

    [Fact]
    public void Original_system_worked_example()
    {
        // original-system.md §7.3: yes [[45,1000],[44,500]], no [[45,600],[44,300]] → yes asks {55:600, 56:300},
        // no asks {55:1000, 56:500}, spreads 10¢, mids 50¢.
        var book = new OrderBook("T");
        book.ApplySnapshot(100, [L("0.45", "1000"), L("0.44", "500")], [L("0.45", "600"), L("0.44", "300")]);
        Span<BookLevel> asks = stackalloc BookLevel[2];
        book.TopAsks(BookLeg.Yes, asks);
        Assert.Equal(L("0.55", "600"), asks[0]);
        Assert.Equal(L("0.56", "300"), asks[1]);
        book.TopAsks(BookLeg.No, asks);
        Assert.Equal(L("0.55", "1000"), asks[0]);
        Assert.Equal(L("0.56", "500"), asks[1]);
        Assert.Equal(1000, book.SpreadTicks());
        Assert.Equal(0.50m, book.Mid(BookLeg.Yes));
        Assert.Equal(0.50m, book.Mid(BookLeg.No));
        // Deltas at 101: add YES 43×750; 102 remove YES 45; 103: new YES 45 → 1200 (§15 A).
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(101, BookLeg.Yes, P("0.43"), Q("750")));
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(102, BookLeg.Yes, P("0.45"), Q("-1000")));
        Assert.Equal(L("0.44", "500"), book.BestYesBid);
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(103, BookLeg.Yes, P("0.45"), Q("1200")));
        Assert.Equal(L("0.45", "1200"), book.BestYesBid);
        // seq 99 is stale; the last stays 103.
        Assert.Equal(BookUpdate.Stale, book.ApplyDelta(99, BookLeg.Yes, P("0.46"), Q("10")));
        Assert.Equal(103, book.LastSequence);
        // A new YES bid at 46 narrows the spread to 9¢.
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(104, BookLeg.Yes, P("0.46"), Q("10")));
        Assert.Equal(900, book.SpreadTicks());
    }

    [Fact]
    public void Original_system_reference_observation_book()
    {
        // original-system.md §9.7: Kalshi yes [[45,100],[44,200]], no [[53,150],[52,50]] → yes_bids {45:100, 44:200},
        // yes_asks {47:150, 48:50}, no_bids {53:150, 52:50}, no_asks {55:100, 56:200}.
        var book = new OrderBook("REF");
        book.ApplySnapshot(1, [L("0.45", "100"), L("0.44", "200")], [L("0.53", "150"), L("0.52", "50")]);

        Span<BookLevel> levels = stackalloc BookLevel[3];
        Assert.Equal(2, book.TopBids(BookLeg.Yes, levels));
        Assert.Equal([L("0.45", "100"), L("0.44", "200")], levels[..2].ToArray());
        Assert.Equal(2, book.TopAsks(BookLeg.Yes, levels));
        Assert.Equal([L("0.47", "150"), L("0.48", "50")], levels[..2].ToArray());
        Assert.Equal(2, book.TopBids(BookLeg.No, levels));
        Assert.Equal([L("0.53", "150"), L("0.52", "50")], levels[..2].ToArray());
        Assert.Equal(2, book.TopAsks(BookLeg.No, levels));
        Assert.Equal([L("0.55", "100"), L("0.56", "200")], levels[..2].ToArray());

        // Spreads, mids, volumes and level counts of the observation's market features (6–7, 4–5, 14–17, 22–23);
        // the book's microprice is top-of-book: (0.45 × 150 + 0.47 × 100) / 250.
        Assert.Equal(200, book.SpreadTicks(BookLeg.Yes));
        Assert.Equal(200, book.SpreadTicks(BookLeg.No));
        Assert.Equal(0.46m, book.Mid(BookLeg.Yes));
        Assert.Equal(0.54m, book.Mid(BookLeg.No));
        Assert.Equal(0.458m, book.Microprice(BookLeg.Yes));
        Assert.Equal(0.542m, book.Microprice(BookLeg.No));
        Assert.Equal(Q("300"), book.BidVolume(BookLeg.Yes));
        Assert.Equal(Q("200"), book.AskVolume(BookLeg.Yes));
        Assert.Equal(Q("200"), book.BidVolume(BookLeg.No));
        Assert.Equal(Q("300"), book.AskVolume(BookLeg.No));
        Assert.Equal(2, book.BidLevelCount(BookLeg.Yes));
        Assert.Equal(2, book.AskLevelCount(BookLeg.Yes));
        Assert.False(book.IsCrossed);
    }

    [Fact]
    public void Recorded_websocket_session_golden()
    {
        // kalshi-api.md §9.7: the expected book after each seq.
        var book = new OrderBook("KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP");
        book.ApplySnapshot(1, [L("0.4700", "3.00")], [L("0.4800", "2.00")]);
        Assert.Equal(L("0.5200", "2.00"), book.BestYesAsk);

        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(2, BookLeg.Yes, P("0.4700"), Q("-3.00")));
        Assert.Null(book.BestYesBid);
        Assert.Equal(L("0.5200", "2.00"), book.BestYesAsk);

        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(3, BookLeg.No, P("0.4800"), Q("-2.00")));
        Assert.Null(book.BestYesBid);
        Assert.Null(book.BestYesAsk);
        Assert.Null(book.SpreadTicks());
        Assert.Null(book.Mid());

        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(4, BookLeg.Yes, P("0.4700"), Q("3.00")));
        Assert.Equal(L("0.4700", "3.00"), book.BestYesBid);
        Assert.Null(book.BestYesAsk);

        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(5, BookLeg.No, P("0.4800"), Q("1.00")));
        Assert.Equal(L("0.4700", "3.00"), book.BestYesBid);
        Assert.Equal(L("0.5200", "1.00"), book.BestYesAsk);
    }

    [Fact]
    public void A_skipped_sequence_is_a_gap_and_the_book_waits_for_a_snapshot()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.47", "3")], [L("0.48", "2")]);
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(2, BookLeg.Yes, P("0.47"), Q("-3")));
        // seq 3 lost
        Assert.Equal(BookUpdate.Gap, book.ApplyDelta(4, BookLeg.Yes, P("0.47"), Q("3")));
        Assert.False(book.IsTrusted);
        Assert.Equal(BookState.Invalidated, book.State);
        Assert.Null(book.BestYesBid); // the gap delta was not applied
        Assert.Equal(BookUpdate.AwaitingSnapshot, book.ApplyDelta(5, BookLeg.No, P("0.48"), Q("1")));

        Assert.Equal(BookUpdate.Applied, book.ApplySnapshot(6, [L("0.47", "3")], [L("0.48", "1")]));
        Assert.True(book.IsTrusted);
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(7, BookLeg.No, P("0.48"), Q("1")));
    }

    [Fact]
    public void Monotonic_books_accept_skipped_numbers_and_are_invalidated_by_their_subscription()
    {
        var book = new OrderBook("T", sequenceCheck: SequenceCheck.Monotonic);
        book.ApplySnapshot(1, [L("0.47", "3")], []);
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(5, BookLeg.Yes, P("0.46"), Q("1")));
        Assert.Equal(BookUpdate.Stale, book.ApplyDelta(5, BookLeg.Yes, P("0.46"), Q("1")));
        book.Invalidate();
        Assert.Equal(BookUpdate.AwaitingSnapshot, book.ApplyDelta(6, BookLeg.Yes, P("0.46"), Q("1")));
    }

    [Fact]
    public void A_delta_that_would_make_a_level_negative_is_reported_not_clamped()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.47", "3")], []);
        Assert.Equal(BookUpdate.NegativeSize, book.ApplyDelta(2, BookLeg.Yes, P("0.47"), Q("-4")));
        Assert.Equal(Q("3"), book.BidSizeAt(BookLeg.Yes, P("0.47")));
        Assert.False(book.IsTrusted);
        Assert.Equal(1, book.LastSequence);
        // a delta on an empty level that removes size is negative too
        book.ApplySnapshot(3, [L("0.47", "3")], []);
        Assert.Equal(BookUpdate.NegativeSize, book.ApplyDelta(4, BookLeg.No, P("0.40"), Q("-1")));
    }

    [Fact]
    public void Deltas_before_the_first_snapshot_are_not_applied()
    {
        var book = new OrderBook("T");
        Assert.Equal(BookState.AwaitingSnapshot, book.State);
        Assert.Equal(BookUpdate.AwaitingSnapshot, book.ApplyDelta(1, BookLeg.Yes, P("0.5"), Q("1")));
    }

    [Fact]
    public void Invalid_prices_and_sizes_are_refused()
    {
        var book = new OrderBook("T");
        Assert.Equal(BookUpdate.InvalidPrice, book.ApplySnapshot(1, [L("0.0000", "1")], []));
        Assert.Equal(BookUpdate.InvalidPrice, book.ApplySnapshot(1, [], [L("1.0000", "1")]));
        Assert.Equal(BookUpdate.InvalidSize, book.ApplySnapshot(1, [L("0.5", "-1")], []));
        Assert.Equal(BookState.AwaitingSnapshot, book.State);
        book.ApplySnapshot(1, [L("0.5", "1")], []);
        Assert.Equal(BookUpdate.InvalidPrice, book.ApplyDelta(2, BookLeg.Yes, Price.One, Q("1")));
        Assert.True(book.IsTrusted);
    }

    [Fact]
    public void Empty_and_one_sided_books()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [], []);
        Assert.True(book.IsTrusted);
        Assert.Null(book.BestYesBid);
        Assert.Null(book.BestYesAsk);
        Assert.Null(book.Mid());
        Assert.Null(book.Microprice());
        Assert.Null(book.SpreadTicks());
        Assert.Equal(0, book.BidLevelCount(BookLeg.Yes));
        Assert.Equal(Quantity.Zero, book.BidVolume(BookLeg.No));
        Span<BookLevel> top = stackalloc BookLevel[3];
        Assert.Equal(0, book.TopBids(BookLeg.Yes, top));

        book.ApplySnapshot(2, [L("0.30", "5")], []);
        Assert.Equal(L("0.30", "5"), book.BestYesBid);
        Assert.Equal(L("0.70", "5"), book.BestNoAsk);
        Assert.Null(book.BestYesAsk);
        Assert.Null(book.BestNoBid);
        Assert.Null(book.Mid(BookLeg.Yes));
    }

    [Fact]
    public void Microprice_weights_toward_the_thinner_side()
    {
        var book = new OrderBook("T");
        // YES bid 0.40 × 100, YES ask 0.50 × 300 (NO bid 0.50 × 300): micro = (0.40×300 + 0.50×100)/400 = 0.425
        book.ApplySnapshot(1, [L("0.40", "100")], [L("0.50", "300")]);
        Assert.Equal(0.425m, book.Microprice(BookLeg.Yes));
        Assert.Equal(0.45m, book.Mid(BookLeg.Yes));
    }

    [Fact]
    public void Sub_penny_markets_work_on_their_grid_and_finer_prices_rebucket()
    {
        var book = new OrderBook("KXGREENLAND-29", TickGrid.TaperedDeciCent);
        Assert.Equal(10, book.ResolutionTicks);
        book.ApplySnapshot(1, [L("0.0050", "10"), L("0.0810", "5")], [L("0.9050", "7")]);
        Assert.Equal(L("0.0810", "5"), book.BestYesBid);
        Assert.Equal(L("0.0950", "7"), book.BestYesAsk);
        Assert.Equal(140, book.SpreadTicks());

        // A price off the assumed grid (0.0815) is kept exactly; the book re-buckets to a finer resolution.
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(2, BookLeg.Yes, P("0.0815"), Q("2")));
        Assert.Equal(5, book.ResolutionTicks);
        Assert.Equal(L("0.0815", "2"), book.BestYesBid);
        Assert.Equal(Q("10"), book.BidSizeAt(BookLeg.Yes, P("0.0050")));
        Assert.Equal(3, book.BidLevelCount(BookLeg.Yes));
        Assert.Equal(BookUpdate.Applied, book.ApplyDelta(3, BookLeg.Yes, P("0.0815"), Q("-2")));
        Assert.Equal(L("0.0810", "5"), book.BestYesBid);
    }

    [Fact]
    public void Fractional_deltas_accumulate_exactly_and_remove_the_level_at_zero()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.50", "1.00")], []);
        book.ApplyDelta(2, BookLeg.Yes, P("0.50"), Q("-0.33"));
        book.ApplyDelta(3, BookLeg.Yes, P("0.50"), Q("-0.33"));
        book.ApplyDelta(4, BookLeg.Yes, P("0.50"), Q("-0.34"));
        Assert.Null(book.BestYesBid);
        Assert.Equal(0, book.BidLevelCount(BookLeg.Yes));
        Assert.Equal(Quantity.Zero, book.BidVolume(BookLeg.Yes));
    }

    [Fact]
    public void Removing_the_best_level_finds_the_next_one()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.10", "1"), L("0.30", "1"), L("0.31", "1")], [L("0.01", "1")]);
        book.ApplyDelta(2, BookLeg.Yes, P("0.31"), Q("-1"));
        Assert.Equal(P("0.30"), book.BestYesBid!.Value.Price);
        book.ApplyDelta(3, BookLeg.Yes, P("0.30"), Q("-1"));
        Assert.Equal(P("0.10"), book.BestYesBid!.Value.Price);
        book.ApplyDelta(4, BookLeg.Yes, P("0.10"), Q("-1"));
        Assert.Null(book.BestYesBid);
        book.ApplyDelta(5, BookLeg.No, P("0.01"), Q("-1"));
        Assert.Null(book.BestNoBid);
    }

    [Fact]
    public void Crossed_books_are_detected()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.50", "1")], [L("0.50", "1")]);
        Assert.True(book.IsCrossed);
        Assert.Equal(0, book.SpreadTicks());
    }

    [Fact]
    public void Applying_a_delta_allocates_nothing()
    {
        var book = new OrderBook("T");
        book.ApplySnapshot(1, [L("0.47", "3"), L("0.45", "10")], [L("0.48", "2")]);
        var price = P("0.46");
        var plus = Q("1");
        var minus = Q("-1");
        // warm up
        book.ApplyDelta(2, BookLeg.Yes, price, plus);
        book.ApplyDelta(3, BookLeg.Yes, price, minus);
        long seq = 4;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            book.ApplyDelta(seq++, BookLeg.Yes, price, plus);
            _ = book.BestYesBid;
            _ = book.BestYesAsk;
            book.ApplyDelta(seq++, BookLeg.Yes, price, minus);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }
}
