using Trader.Core.Markets;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Markets;

public class TickGridTests
{
    [Theory]
    [InlineData("linear_cent", "0.5200", true)]
    [InlineData("linear_cent", "0.5150", false)]   // the [WIRE] invalid_price case
    [InlineData("linear_cent", "0.0100", true)]
    [InlineData("linear_cent", "0.0000", false)]
    [InlineData("linear_cent", "1.0000", false)]
    [InlineData("deci_cent", "0.5150", true)]
    [InlineData("deci_cent", "0.5155", false)]
    [InlineData("tapered_deci_cent", "0.0050", true)]
    [InlineData("tapered_deci_cent", "0.5150", false)]
    [InlineData("tapered_deci_cent", "0.5100", true)]
    [InlineData("tapered_deci_cent", "0.9050", true)]
    [InlineData("tapered_deci_cent", "0.1000", true)]
    public void Validates_order_prices(string grid, string price, bool valid) =>
        Assert.Equal(valid, TickGrid.FromName(grid)!.IsValidOrderPrice(Price.Parse(price)));

    [Fact]
    public void Finest_step_and_step_at_a_price()
    {
        Assert.Equal(100, TickGrid.LinearCent.FinestStepTicks);
        Assert.Equal(10, TickGrid.TaperedDeciCent.FinestStepTicks);
        Assert.Equal(Price.Parse("0.001"), TickGrid.TaperedDeciCent.StepAt(Price.Parse("0.05")));
        Assert.Equal(Price.Parse("0.01"), TickGrid.TaperedDeciCent.StepAt(Price.Parse("0.50")));
        Assert.Null(TickGrid.FromName("banded_centi_cent"));
    }

    [Fact]
    public void Custom_ranges_and_bad_ranges()
    {
        var grid = new TickGrid("custom", [new PriceRange(Price.Parse("0.05"), Price.Parse("0.95"), Price.Parse("0.05"))]);
        Assert.True(grid.IsValidOrderPrice(Price.Parse("0.10")));
        Assert.False(grid.IsValidOrderPrice(Price.Parse("0.12")));
        Assert.False(grid.IsValidOrderPrice(Price.Parse("0.97")));
        Assert.Equal(500, grid.FinestStepTicks);
        Assert.Throws<ArgumentException>(() => new TickGrid("x", []));
        Assert.Throws<ArgumentException>(() => new TickGrid("x", [new PriceRange(Price.Zero, Price.One, Price.Zero)]));
    }
}
