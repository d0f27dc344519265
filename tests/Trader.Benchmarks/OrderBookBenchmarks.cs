using BenchmarkDotNet.Attributes;
using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Benchmarks;

/// <summary>Delta application and best-price queries on a realistic 1¢ book (20 levels a side).</summary>
[MemoryDiagnoser]
public class OrderBookBenchmarks
{
    private OrderBook _book = null!;
    private long _seq;
    private readonly Price _inside = Price.FromCents(40);   // a level below the best bid
    private readonly Price _best = Price.FromCents(45);     // the best YES bid
    private readonly Quantity _plus = Quantity.FromContracts(5);
    private readonly Quantity _minus = Quantity.FromContracts(-5);

    [GlobalSetup]
    public void Setup()
    {
        _book = new OrderBook("BENCH", sequenceCheck: SequenceCheck.Monotonic);
        var yes = new BookLevel[20];
        var no = new BookLevel[20];
        for (int i = 0; i < 20; i++)
        {
            yes[i] = new BookLevel(Price.FromCents(45 - i), Quantity.FromContracts(100 + i));
            no[i] = new BookLevel(Price.FromCents(50 - i), Quantity.FromContracts(80 + i));
        }
        _book.ApplySnapshot(1, yes, no);
        _seq = 1;
    }

    /// <summary>One delta that changes the size of an inner level (the common case).</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public BookUpdate ApplyDelta_InnerLevel()
    {
        _book.ApplyDelta(++_seq, BookLeg.Yes, _inside, _plus);
        return _book.ApplyDelta(++_seq, BookLeg.Yes, _inside, _minus);
    }

    /// <summary>A delta that empties the best level (scan to the next) and one that restores it.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public BookUpdate ApplyDelta_RemoveAndRestoreBest()
    {
        var size = Quantity.FromContracts(100);
        _book.ApplyDelta(++_seq, BookLeg.Yes, _best, -size);
        return _book.ApplyDelta(++_seq, BookLeg.Yes, _best, size);
    }

    /// <summary>Best bid and ask on both legs.</summary>
    [Benchmark(OperationsPerInvoke = 4)]
    public int BestPrices()
    {
        int sum = _book.BestYesBid!.Value.Price.Ticks;
        sum += _book.BestYesAsk!.Value.Price.Ticks;
        sum += _book.BestNoBid!.Value.Price.Ticks;
        sum += _book.BestNoAsk!.Value.Price.Ticks;
        return sum;
    }

    [Benchmark]
    public decimal? Mid() => _book.Mid();

    [Benchmark]
    public decimal? Microprice() => _book.Microprice();
}
