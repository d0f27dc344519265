using Trader.Core.Fees;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Fees;

public class FeeTests
{
    // kalshi-api.md §9.9: role, C, P, centi-cent rounding, cent rounding.
    [Theory]
    [InlineData(true, "1", "0.52", "0.0175", "0.02")]
    [InlineData(true, "1", "0.99", "0.0007", "0.01")]
    [InlineData(true, "1", "0.50", "0.0175", "0.02")]
    [InlineData(true, "100", "0.50", "1.7500", "1.75")]
    [InlineData(true, "100", "0.25", "1.3125", "1.32")]
    [InlineData(true, "100", "0.01", "0.0693", "0.07")]
    [InlineData(false, "100", "0.50", "0.4375", "0.44")]
    public void Golden_fees(bool taker, string count, string price, string centiCent, string cent)
    {
        var schedule = new FeeSchedule(FeeType.QuadraticWithMakerFees);
        var c = Quantity.Parse(count);
        var p = Price.Parse(price);
        Assert.Equal(Money.Parse(centiCent), schedule.Fee(taker, p, c, FeeRounding.CentiCent));
        Assert.Equal(Money.Parse(cent), schedule.Fee(taker, p, c, FeeRounding.Cent));
    }

    [Fact]
    public void Half_multiplier_series()
    {
        var schedule = FeeSchedule.FromMultiplier(FeeType.Quadratic, 0.5m);
        Assert.Equal(Money.Parse("0.8750"), schedule.TakerFee(Price.Parse("0.50"), Quantity.FromContracts(100)));
        Assert.Equal(Money.Parse("0.88"), schedule.TakerFee(Price.Parse("0.50"), Quantity.FromContracts(100), FeeRounding.Cent));
    }

    [Fact]
    public void Fractional_docs_example() =>
        // 0.03 contracts at 0.3301: raw 0.000464… → 0.0005
        Assert.Equal(Money.Parse("0.0005"), FeeSchedule.Standard.TakerFee(Price.Parse("0.3301"), Quantity.Parse("0.03")));

    [Fact]
    public void Makers_pay_nothing_without_maker_fees_and_zero_multiplier_pays_nothing()
    {
        Assert.Equal(Money.Zero, FeeSchedule.Standard.MakerFee(Price.Parse("0.50"), Quantity.FromContracts(100)));
        Assert.Equal(Money.Zero, FeeSchedule.FromMultiplier(FeeType.Quadratic, 0m).TakerFee(Price.Parse("0.50"), Quantity.FromContracts(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeSchedule.FromMultiplier(FeeType.Quadratic, 0.00001m));
    }

    [Fact]
    public void Fee_is_rounded_over_the_whole_fill_not_per_contract()
    {
        // 3 contracts at 0.95 in one fill: raw 0.009975 → 0.0100; one contract: raw 0.003325 → 0.0034,
        // so charging per contract would have cost 0.0102.
        Assert.Equal(Money.Parse("0.0100"), FeeSchedule.Standard.TakerFee(Price.Parse("0.95"), Quantity.FromContracts(3)));
        Assert.Equal(Money.Parse("0.0034"), FeeSchedule.Standard.TakerFee(Price.Parse("0.95"), Quantity.FromContracts(1)));
    }

    public static TheoryData<string, string, string, string[]> RoundingVectors => new()
    {
        // scenario: per-fill revenue, trade fee, balance change (before rebate), net fee per fill 1/2/3
        { "-0.055", "0.0085", "-0.07", ["0.0150", "0.0050", "0.0150"] },
        { "-0.15", "0.0041", "-0.16", ["0.0100", "0.0000", "0.0100"] },
        { "-0.009903", "0.0005", "-0.02", ["0.010097", "0.000097", "0.000097"] },
    };

    [Theory]
    [MemberData(nameof(RoundingVectors))]
    public void Balance_rounding_accumulator_vectors(string revenue, string tradeFee, string change, string[] netFees)
    {
        var rounding = new BalanceRounding(Money.OneCent);
        for (int i = 0; i < 3; i++)
        {
            var effect = rounding.Apply(Money.Parse(revenue), Money.Parse(tradeFee));
            Assert.Equal(Money.Parse(netFees[i]), effect.NetFee);
            Assert.Equal(Money.Parse(change) + effect.Rebate, effect.BalanceChange);
        }
    }

    [Fact]
    public void Direct_members_round_to_a_centi_cent()
    {
        var rounding = new BalanceRounding(Money.OneCentiCent);
        // buy 1 @ 0.52, fee 0.0175: change −0.5375 is already on the grid, nothing lost.
        var effect = rounding.Apply(Money.Parse("-0.52"), Money.Parse("0.0175"));
        Assert.Equal(Money.Parse("-0.5375"), effect.BalanceChange);
        Assert.Equal(Money.Parse("0.0175"), effect.NetFee);
        Assert.Equal(Money.Zero, effect.RoundingFee);
    }
}
