using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Observations;

/// <summary>Books and helpers shared by the observation tests.</summary>
internal static class ObservationFixtures
{
    /// <summary>A book from whole-cent (price, contracts) pairs: YES bids and NO bids, as Kalshi sends them.</summary>
    public static OrderBook Book(string ticker, (int Cents, long Contracts)[] yes, (int Cents, long Contracts)[] no)
    {
        var book = new OrderBook(ticker);
        var update = book.ApplySnapshot(1, Levels(yes), Levels(no));
        Assert.Equal(BookUpdate.Applied, update);
        return book;
    }

    public static BookLevel[] Levels((int Cents, long Contracts)[] levels) =>
        levels.Select(l => new BookLevel(Price.FromCents(l.Cents), Quantity.FromContracts(l.Contracts))).ToArray();

    /// <summary>
    /// The §9.7 reference book: Kalshi yes [[45,100],[44,200]], no [[53,150],[52,50]] → YES bids {45:100, 44:200},
    /// YES asks {47:150, 48:50}, NO bids {53:150, 52:50}, NO asks {55:100, 56:200}.
    /// </summary>
    public static OrderBook ReferenceBook(string ticker = "REF") => Book(ticker, [(45, 100), (44, 200)], [(53, 150), (52, 50)]);

    /// <summary>2025-01-06 14:00:00 UTC plus the given seconds.</summary>
    public static DateTimeOffset At(double seconds = 0) =>
        new DateTimeOffset(2025, 1, 6, 14, 0, 0, TimeSpan.Zero).AddMilliseconds(seconds * 1000);

    public static Money Dollars(decimal dollars) => Money.FromDollars(dollars);
}
