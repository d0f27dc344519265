using CsCheck;
using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Books;

/// <summary>Invariants of <see cref="OrderBook"/> checked against a plain dictionary model on random books and deltas.</summary>
public class OrderBookPropertyTests
{
    // A level: leg, price in cents (1..99), size in units (1..5000).
    private static readonly Gen<(bool Yes, int Cents, int Units)> GenLevel =
        Gen.Select(Gen.Bool, Gen.Int[1, 99], Gen.Int[1, 5000]);

    // A change: leg, price, and a target size (0 removes) that the test turns into a delta.
    private static readonly Gen<(bool Yes, int Cents, int Target)> GenChange =
        Gen.Select(Gen.Bool, Gen.Int[1, 99], Gen.Int[0, 5000]);

    [Fact]
    public void Snapshot_plus_deltas_equals_the_book_the_deltas_describe() =>
        Gen.Select(GenLevel.Array[0, 30], GenChange.Array[0, 80]).Sample((levels, changes) =>
        {
            var model = new Dictionary<(bool, int), long>();
            foreach (var (yes, cents, units) in levels) model[(yes, cents)] = model.GetValueOrDefault((yes, cents)) + units;

            var book = new OrderBook("T");
            Assert.Equal(BookUpdate.Applied, book.ApplySnapshot(1, ToLevels(levels, true), ToLevels(levels, false)));

            long seq = 1;
            foreach (var (yes, cents, target) in changes)
            {
                long current = model.GetValueOrDefault((yes, cents));
                long delta = target - current;
                if (delta == 0) continue;
                model[(yes, cents)] = target;
                var r = book.ApplyDelta(++seq, yes ? BookLeg.Yes : BookLeg.No, Price.FromCents(cents), Quantity.FromUnits(delta));
                Assert.Equal(BookUpdate.Applied, r);
            }

            // The book the deltas describe, built directly from the final model.
            var rebuilt = new OrderBook("T");
            var finalYes = model.Where(kv => kv.Key.Item1 && kv.Value > 0).Select(kv => new BookLevel(Price.FromCents(kv.Key.Item2), Quantity.FromUnits(kv.Value))).ToArray();
            var finalNo = model.Where(kv => !kv.Key.Item1 && kv.Value > 0).Select(kv => new BookLevel(Price.FromCents(kv.Key.Item2), Quantity.FromUnits(kv.Value))).ToArray();
            rebuilt.ApplySnapshot(seq, finalYes, finalNo);

            AssertSameBook(rebuilt, book);
            AssertMatchesModel(model, book);
        }, iter: 300);

    [Fact]
    public void Best_prices_volumes_and_counts_match_the_model_after_every_delta() =>
        GenChange.Array[1, 60].Sample(changes =>
        {
            var model = new Dictionary<(bool, int), long>();
            var book = new OrderBook("T");
            book.ApplySnapshot(1, [], []);
            long seq = 1;
            foreach (var (yes, cents, target) in changes)
            {
                long delta = target - model.GetValueOrDefault((yes, cents));
                if (delta == 0) continue;
                model[(yes, cents)] = target;
                book.ApplyDelta(++seq, yes ? BookLeg.Yes : BookLeg.No, Price.FromCents(cents), Quantity.FromUnits(delta));
                AssertMatchesModel(model, book);
            }
        }, iter: 300);

    [Fact]
    public void A_book_never_crosses_after_an_uncrossed_snapshot_of_asks_and_bids() =>
        Gen.Select(Gen.Int[2, 98], GenLevel.Array[0, 20]).Sample((mid, levels) =>
        {
            // Keep YES bids below the mid and NO bids below 100 − mid: an exchange book at rest.
            var yes = levels.Where(l => l.Yes && l.Cents < mid).Select(l => new BookLevel(Price.FromCents(l.Cents), Quantity.FromUnits(l.Units))).ToArray();
            var no = levels.Where(l => !l.Yes && l.Cents < 100 - mid).Select(l => new BookLevel(Price.FromCents(l.Cents), Quantity.FromUnits(l.Units))).ToArray();
            var book = new OrderBook("T");
            book.ApplySnapshot(1, yes, no);
            Assert.False(book.IsCrossed);
            if (book.SpreadTicks() is { } spread) Assert.True(spread > 0);
        }, iter: 300);

    private static BookLevel[] ToLevels((bool Yes, int Cents, int Units)[] levels, bool yes) =>
        levels.Where(l => l.Yes == yes).Select(l => new BookLevel(Price.FromCents(l.Cents), Quantity.FromUnits(l.Units))).ToArray();

    private static void AssertSameBook(OrderBook expected, OrderBook actual)
    {
        foreach (var leg in new[] { BookLeg.Yes, BookLeg.No })
        {
            var e = new BookLevel[100];
            var a = new BookLevel[100];
            int ne = expected.TopBids(leg, e);
            int na = actual.TopBids(leg, a);
            Assert.Equal(e[..ne], a[..na]);
            Assert.Equal(expected.BidVolume(leg), actual.BidVolume(leg));
            Assert.Equal(expected.BidLevelCount(leg), actual.BidLevelCount(leg));
            Assert.Equal(expected.BestBid(leg), actual.BestBid(leg));
            Assert.Equal(expected.BestAsk(leg), actual.BestAsk(leg));
        }
    }

    private static void AssertMatchesModel(Dictionary<(bool, int), long> model, OrderBook book)
    {
        foreach (var yes in new[] { true, false })
        {
            var leg = yes ? BookLeg.Yes : BookLeg.No;
            var live = model.Where(kv => kv.Key.Item1 == yes && kv.Value > 0).ToList();
            Assert.Equal(live.Count, book.BidLevelCount(leg));
            Assert.Equal(live.Sum(kv => kv.Value), book.BidVolume(leg).Units);
            if (live.Count == 0)
            {
                Assert.Null(book.BestBid(leg));
            }
            else
            {
                var best = live.MaxBy(kv => kv.Key.Item2);
                Assert.Equal(new BookLevel(Price.FromCents(best.Key.Item2), Quantity.FromUnits(best.Value)), book.BestBid(leg));
            }
        }
    }
}
