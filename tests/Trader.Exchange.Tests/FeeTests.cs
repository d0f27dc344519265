using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Markets;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

/// <summary>The fee golden values of kalshi-api.md §9.9 (direct-member $0.0001 rounding), on real fills.</summary>
public sealed class FeeTests
{
    private static (Money TakerFee, Money MakerFee) Trade(FeeSchedule fees, TickGrid grid, string price, decimal count) =>
        TradeOn(fees, grid, price, count, out _);

    private static (Money TakerFee, Money MakerFee) TradeOn(FeeSchedule fees, TickGrid grid, string price, decimal count, out SimulatedExchange exchange)
    {
        var f = new ExchangeFixture();
        var listing = new MarketDefinition
        {
            Ticker = "KXFEE-1", EventTicker = "KXFEE", SeriesTicker = "KXFEE", Title = "fees",
            Grid = grid, Fees = fees, OpenTime = Start, CloseTime = Start.AddDays(1),
        };
        exchange = new SimulatedExchange([listing], f.Time);
        exchange.Deposit("maker", M("1000"));
        exchange.Deposit("taker", M("1000"));
        Assert.True(exchange.CreateOrder("maker", f.Request(BookSide.Ask, price, count, ticker: "KXFEE-1")).IsSuccess);
        var ack = exchange.CreateOrder("taker", f.Request(BookSide.Bid, price, count, TimeInForce.ImmediateOrCancel, ticker: "KXFEE-1")).Value;
        Assert.Equal(Q(count), ack.FillCount);
        var taker = Assert.Single(exchange.GetFills("taker").Value);
        var maker = Assert.Single(exchange.GetFills("maker").Value);
        Assert.True(exchange.GetLedgerTotals().IsBalanced);
        Assert.Equal(taker.Fee + maker.Fee, exchange.GetLedgerTotals().FeesCollected);
        return (taker.Fee, maker.Fee);
    }

    [Theory]
    [InlineData("0.5200", 1, "0.0175")]
    [InlineData("0.9900", 1, "0.0007")]
    [InlineData("0.5000", 1, "0.0175")]
    [InlineData("0.5000", 100, "1.7500")]
    [InlineData("0.2500", 100, "1.3125")]
    [InlineData("0.0100", 100, "0.0693")]
    public void Taker_fees_match_the_golden_values(string price, int count, string fee)
    {
        var (taker, maker) = Trade(FeeSchedule.Standard, TickGrid.LinearCent, price, count);
        Assert.Equal(M(fee), taker);
        Assert.Equal(Money.Zero, maker);
    }

    [Fact]
    public void Makers_pay_a_quarter_of_the_coefficient_on_maker_fee_series()
    {
        var (taker, maker) = Trade(new FeeSchedule(FeeType.QuadraticWithMakerFees), TickGrid.LinearCent, "0.5000", 100);
        Assert.Equal(M("1.7500"), taker);
        Assert.Equal(M("0.4375"), maker);
    }

    [Fact]
    public void The_series_multiplier_scales_the_fee()
    {
        var (taker, _) = Trade(FeeSchedule.FromMultiplier(FeeType.Quadratic, 0.5m), TickGrid.LinearCent, "0.5000", 100);
        Assert.Equal(M("0.8750"), taker);
    }

    [Fact]
    public void A_fractional_fill_pays_the_rounded_up_trade_fee_plus_kalshis_balance_rounding()
    {
        // 0.03 × 0.07 × 0.3301 × 0.6699 = 0.000464… → trade fee 0.0005 (the docs' example). The balance change
        // −0.009903 − 0.0005 = −0.010403 is floored to the $0.0001 precision: −0.0105, a rounding fee of 0.000097
        // that the fill's fee includes, so that fees paid = what the balance lost beyond the contracts' cost.
        var (taker, _) = TradeOn(FeeSchedule.Standard, TickGrid.CentiCent, "0.3301", 0.03m, out var exchange);
        Assert.Equal(M("0.000597"), taker);
        Assert.Equal(M("999.9895"), exchange.GetBalance("taker").Value.Cash);
        Assert.Equal(M("0.0005"), FeeSchedule.Standard.TakerFee(P("0.3301"), Q(0.03m)));
    }

    [Fact]
    public void The_average_fee_in_the_ack_is_per_contract()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Ask, "0.2500", 100);
        var ack = f.Place(me, BookSide.Bid, "0.2500", 100);
        Assert.Equal(M("0.0131"), ack.AverageFeePaid); // 1.3125 / 100 = 0.013125, rounded to 4 decimals
        Assert.Equal(M("1.3125"), f.Order(me, ack.OrderId).TakerFees);
    }
}
