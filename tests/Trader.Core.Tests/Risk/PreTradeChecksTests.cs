using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Risk;

namespace Trader.Core.Tests.Risk;

public class PreTradeChecksTests
{
    private static readonly RiskLimits Limits = new(Money.FromDollars(100), Quantity.FromContracts(50), 2);
    private static TradingContext Ctx(string cash = "1000", long position = 0, int open = 0, string? paused = null, string? blocked = null) =>
        new(paused, blocked, Money.Parse(cash), Quantity.FromContracts(position), open);
    private static Price P(string s) => Price.Parse(s);
    private static Quantity C(long n) => Quantity.FromContracts(n);

    [Fact]
    public void Allows_an_ordinary_order() =>
        Assert.Null(PreTradeChecks.Check(Limits, Ctx(), OrderIntent.BuyYes, P("0.51"), C(5)));

    [Fact]
    public void Trading_paused_comes_first()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(cash: "0", paused: "exchange_unavailable"), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.TradingPaused, d!.Reason);
        Assert.Equal("Trading paused: exchange_unavailable", d.Message);
        Assert.Equal("trading_paused", d.Code);
    }

    [Fact]
    public void Blocked_market()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(blocked: "order c-1 has an unknown outcome"), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.MarketBlocked, d!.Reason);
        Assert.Contains("c-1", d.Message);
    }

    [Fact]
    public void Cash_below_the_reserve()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(cash: "99.99"), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.CashReserveHit, d!.Reason);
        Assert.Equal("Cash balance $99.99 below reserve $100.00", d.Message);
    }

    [Fact]
    public void Order_that_would_take_cash_below_the_reserve()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(cash: "102"), OrderIntent.BuyYes, P("0.51"), C(5)); // needs 2.55
        Assert.Equal(DenialReason.CashReserveHit, d!.Reason);
        Assert.Contains("needs $2.55", d.Message);
    }

    [Fact]
    public void Insufficient_cash_with_no_reserve()
    {
        var noReserve = Limits with { MinCashReserve = Money.Zero };
        var d = PreTradeChecks.Check(noReserve, Ctx(cash: "0.10"), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.InsufficientCash, d!.Reason);
        Assert.Equal("Insufficient cash: required $2.55, available $0.10", d.Message);
    }

    [Fact]
    public void Closing_orders_need_no_cash_even_below_the_reserve()
    {
        // Long 10 YES; selling 5 YES closes and needs nothing.
        Assert.Null(PreTradeChecks.Check(Limits, Ctx(cash: "1", position: 10), OrderIntent.SellYes, P("0.40"), C(5)));
        // Long 10 NO; buying YES (or selling NO) closes.
        Assert.Null(PreTradeChecks.Check(Limits, Ctx(cash: "1", position: -10), OrderIntent.SellNo, P("0.60"), C(10)));
        // Selling 15 YES while long 10 opens 5 NO at 0.60 each: $3.00 needed.
        Assert.Equal(Money.Parse("3.00"), PreTradeChecks.RequiredCash(OrderIntent.SellYes, P("0.40"), C(15), C(10)));
    }

    [Theory]
    [InlineData("BuyYes", "0.51", 5, 0, "2.55")]
    [InlineData("BuyNo", "0.48", 5, 0, "2.40")]    // NO at 0.48: collateral 0.48 each
    [InlineData("SellYes", "0.52", 5, 0, "2.40")]  // opening NO at 1 − 0.52
    [InlineData("SellNo", "0.48", 5, 0, "2.60")]   // opening YES at 1 − 0.48
    [InlineData("BuyYes", "0.51", 5, -3, "1.02")]  // 3 close a NO position, 2 open
    public void Required_cash_is_the_opened_legs_price(string intent, string price, long count, long position, string required)
    {
        var i = intent switch { "BuyYes" => OrderIntent.BuyYes, "BuyNo" => OrderIntent.BuyNo, "SellYes" => OrderIntent.SellYes, _ => OrderIntent.SellNo };
        Assert.Equal(Money.Parse(required), PreTradeChecks.RequiredCash(i, P(price), C(count), C(position)));
    }

    [Fact]
    public void Position_limit_only_stops_orders_that_grow_the_position()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(position: 48), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.PositionLimit, d!.Reason);
        Assert.Equal("Position would be 53.00 contracts, limit 50.00", d.Message);
        Assert.Null(PreTradeChecks.Check(Limits, Ctx(position: 60), OrderIntent.SellYes, P("0.51"), C(5)));
        Assert.Equal(DenialReason.PositionLimit, PreTradeChecks.Check(Limits, Ctx(position: -48), OrderIntent.BuyNo, P("0.49"), C(5))!.Reason);
    }

    [Fact]
    public void Open_order_limit()
    {
        var d = PreTradeChecks.Check(Limits, Ctx(open: 2), OrderIntent.BuyYes, P("0.51"), C(5));
        Assert.Equal(DenialReason.OpenOrderLimit, d!.Reason);
        Assert.Equal("2 open orders in the market, limit 2", d.Message);
    }
}

public class BackoffTests
{
    [Fact]
    public void Doubles_up_to_the_cap()
    {
        var b = Backoff.Recalibration;
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(0, 5).Select(i => b.Delay(i).TotalSeconds).ToArray());
        Assert.Equal(60, b.Delay(1000).TotalSeconds);
    }

    [Fact]
    public void Jitter_spreads_within_the_given_fraction()
    {
        var b = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(0.9, b.Delay(0, jitter: 0, spread: 0.2).TotalSeconds, 6);
        Assert.Equal(1.1, b.Delay(0, jitter: 1, spread: 0.2).TotalSeconds, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Delay(-1));
    }
}
