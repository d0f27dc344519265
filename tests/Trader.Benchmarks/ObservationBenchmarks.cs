using BenchmarkDotNet.Attributes;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;

namespace Trader.Benchmarks;

/// <summary>
/// Building one 52-float observation (original-system.md §9) with a full 10-point window: a 1¢ book with 20 levels a
/// side, three positions, open orders. Each call records a point, so the window keeps rolling as it does live.
/// </summary>
[MemoryDiagnoser]
public class ObservationBenchmarks
{
    private const int Markets = 1000;

    private ObservationBuilder _builder = null!;
    private OrderBook _book = null!;
    private OrderBook[] _books = null!;
    private PositionSnapshot[] _positions = null!;
    private readonly float[] _observation = new float[ObservationLayout.Length];
    private readonly OpenOrderState _orders = new(true, false, DateTimeOffset.UnixEpoch.AddDays(20000));
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch.AddDays(20000);

    [GlobalSetup]
    public void Setup()
    {
        _builder = new ObservationBuilder(new ObservationOptions { ExpectedMarkets = Markets + 1 });
        _book = CreateBook("BENCH", 45);
        _books = Enumerable.Range(0, Markets).Select(i => CreateBook($"M{i:D4}", 20 + i % 50)).ToArray();
        _positions =
        [
            new PositionSnapshot("BENCH", Quantity.FromContracts(20), Money.FromCents(900)),
            new PositionSnapshot("OTHER-1", Quantity.FromContracts(-15), Money.FromCents(600), Price.FromCents(38)),
            new PositionSnapshot("OTHER-2", Quantity.FromUnits(550), Money.FromCents(210)),
        ];
        // Fill every window.
        for (int i = 0; i < 20; i++)
        {
            BuildOne();
            BuildAcrossMarkets();
        }
    }

    private static OrderBook CreateBook(string ticker, int bestYes)
    {
        var book = new OrderBook(ticker);
        var yes = new BookLevel[20];
        var no = new BookLevel[20];
        for (int i = 0; i < 20; i++)
        {
            yes[i] = new BookLevel(Price.FromCents(Math.Max(1, bestYes - i)), Quantity.FromContracts(100 + 7 * i));
            no[i] = new BookLevel(Price.FromCents(Math.Max(1, 100 - bestYes - 2 - i)), Quantity.FromContracts(80 + 11 * i));
        }
        book.ApplySnapshot(1, yes, no);
        return book;
    }

    /// <summary>One observation of one market whose window holds 10 points.</summary>
    [Benchmark]
    public float BuildOne()
    {
        _now = _now.AddMilliseconds(250);
        var portfolio = new PortfolioInput(Money.FromDollars(750), Money.FromDollars(1000), _positions);
        _builder.Build(_book, _now, portfolio, _orders, _observation);
        return _observation[0];
    }

    /// <summary>One observation each of 1,000 markets in turn (windows and books out of cache), per observation.</summary>
    [Benchmark(OperationsPerInvoke = Markets)]
    public float BuildAcrossMarkets()
    {
        _now = _now.AddMilliseconds(250);
        var portfolio = new PortfolioInput(Money.FromDollars(750), Money.FromDollars(1000), _positions);
        for (int i = 0; i < _books.Length; i++) _builder.Build(_books[i], _now, portfolio, _orders, _observation);
        return _observation[0];
    }
}
