using Trader.Core.Numbers;
using Trader.Core.Risk;
using Trader.Core.Status;
using Trader.Core.Trading;

namespace Trader.Core.Tests.Status;

public class StatusPhrasesTests
{
    private static Money M(string s) => Money.Parse(s);

    [Fact]
    public void Trading_line() =>
        Assert.Equal("cash $987.40 | 4 trades | 37 no-ops", StatusPhrases.Trading(M("987.4"), new TradingStats(4, 37)));

    [Fact]
    public void Sync_line_unchanged_changed_and_first()
    {
        Assert.Equal("Balance: $987.40 (unchanged) | Portfolio: $1012.15 | Positions: 2 active | Settlements: 1 fetched | Orders: 3 on exchange, 3 tracked locally",
            StatusPhrases.Sync(M("987.4"), M("987.4"), M("1012.15"), 2, 2, 1, 3, 3));
        Assert.Equal("Balance: $1000.00 → $987.40 (Δ -$12.60) | Portfolio: $1000.00 | Positions: 1 → 2 (Δ +1) | Settlements: 0 fetched | Orders: 1 on exchange, 0 tracked locally",
            StatusPhrases.Sync(M("1000"), M("987.4"), M("1000"), 1, 2, 0, 1, 0));
        Assert.StartsWith("Balance: $5.00 | Portfolio", StatusPhrases.Sync(null, M("5"), M("5"), null, 0, 0, 0, 0));
    }
}

public class DelayFormatTests
{
    [Theory]
    [InlineData(2000, "2s")]
    [InlineData(250, "0.25s")]
    [InlineData(1500, "1.5s")]
    [InlineData(5, "0.005s")]
    [InlineData(0, "0s")]
    [InlineData(300_000, "300s")]
    public void A_delay_is_written_exactly_to_the_millisecond(int ms, string expected) =>
        Assert.Equal(expected, StatusText.FormatDelay(TimeSpan.FromMilliseconds(ms)));
}

public class TradingStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reservations_bridge_the_gap_until_a_newer_balance()
    {
        var s = TradingState.Empty.WithBalance(Money.FromDollars(100), Money.FromDollars(100), T0)
            .Reserve(Money.Parse("2.55"), T0.AddSeconds(1))
            .Reserve(Money.Parse("1.00"), T0.AddSeconds(3));
        Assert.Equal(Money.Parse("96.45"), s.Available);
        s = s.WithBalance(Money.Parse("97.45"), Money.FromDollars(100), T0.AddSeconds(2));
        Assert.Equal(Money.Parse("1.00"), s.Reserved);
        Assert.Equal(Money.Parse("96.45"), s.Available);
        Assert.Equal(s, s.Reserve(Money.Zero, T0));
    }

    [Fact]
    public void A_balance_read_sent_before_the_one_held_is_ignored_however_late_it_arrives()
    {
        // Read A sent at T0+1, read B sent at T0+3; an order reserves $5 at T0+2. B answers first, then A.
        var s = TradingState.Empty.WithBalance(Money.FromDollars(100), Money.FromDollars(100), T0)
            .Reserve(Money.FromDollars(5), T0.AddSeconds(2))
            .WithBalance(Money.FromDollars(95), Money.FromDollars(100), T0.AddSeconds(3));
        var late = s.WithBalance(Money.FromDollars(100), Money.FromDollars(100), T0.AddSeconds(1));
        Assert.Same(s, late);
        Assert.Equal(Money.FromDollars(95), late.Available); // not $100: the spent $5 does not come back
        Assert.Equal(T0.AddSeconds(3), late.BalanceAsOf);
        // A read sent at the same instant as the one held is as recent: it is applied.
        Assert.Equal(Money.FromDollars(94), s.WithBalance(Money.FromDollars(94), Money.FromDollars(100), T0.AddSeconds(3)).Cash);
    }

    [Fact]
    public void Context_for_a_market()
    {
        var s = TradingState.Empty.WithBalance(Money.FromDollars(50), Money.FromDollars(60), T0) with
        {
            Positions = TradingState.Empty.Positions.Add("A", Quantity.FromContracts(-3)),
            OpenOrders = TradingState.Empty.OpenOrders.Add("A", 2),
            Blocked = TradingState.Empty.Blocked.Add("A", "order x has an unknown outcome"),
            PausedReason = "maintenance",
        };
        var ctx = s.ContextFor("A");
        Assert.Equal(new TradingContext("maintenance", "order x has an unknown outcome", Money.FromDollars(50), Quantity.FromContracts(-3), 2), ctx);
        Assert.Equal(new TradingContext("maintenance", null, Money.FromDollars(50), Quantity.Zero, 0), s.ContextFor("B"));
        Assert.Equal(1, s.ActivePositions);
    }
}
