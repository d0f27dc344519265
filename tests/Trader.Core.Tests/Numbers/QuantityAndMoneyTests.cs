using System.Text;
using CsCheck;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Numbers;

public class QuantityTests
{
    [Theory]
    [InlineData("3.00", 300)]
    [InlineData("10", 1000)]
    [InlineData("0.01", 1)]
    [InlineData("-54.00", -5400)]
    [InlineData("278.00", 27800)]
    [InlineData("7.77", 777)]
    [InlineData("0.5", 50)]
    public void Parses_count_strings(string text, long units)
    {
        Assert.Equal(units, Quantity.Parse(text).Units);
        Assert.True(Quantity.TryParse(Encoding.UTF8.GetBytes(text), out var q));
        Assert.Equal(units, q.Units);
    }

    [Theory]
    [InlineData(300, "3.00")]
    [InlineData(-5400, "-54.00")]
    [InlineData(1, "0.01")]
    [InlineData(0, "0.00")]
    [InlineData(-1, "-0.01")]
    public void Formats_count_strings(long units, string wire) => Assert.Equal(wire, Quantity.FromUnits(units).ToWireString());

    [Theory]
    [InlineData("3.001", "more than 2 decimals")]
    [InlineData("three", "not a plain decimal number")]
    [InlineData("1000000000001", "out of range")]
    public void Rejects_bad_counts_naming_the_value(string text, string reason)
    {
        var ex = Assert.Throws<WireFormatException>(() => Quantity.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
        Assert.Contains("count", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Arithmetic_and_helpers()
    {
        var a = Quantity.Parse("2.50");
        var b = Quantity.Parse("1.25");
        Assert.Equal("3.75", (a + b).ToWireString());
        Assert.Equal("1.25", (a - b).ToWireString());
        Assert.Equal("-2.50", (-a).ToWireString());
        Assert.Equal(a, (-a).Abs());
        Assert.False(a.IsWhole);
        Assert.True(Quantity.FromContracts(5).IsWhole);
        Assert.Equal(2, a.ToWholeContracts());
        Assert.Equal(2.5m, a.ToDecimal());
    }

    [Fact]
    public void Round_trips_through_the_wire_string() =>
        Gen.Long[-Quantity.MaxUnits, Quantity.MaxUnits].Sample(units =>
        {
            var q = Quantity.FromUnits(units);
            Assert.Equal(q, Quantity.Parse(q.ToWireString()));
        }, iter: 2000);
}

public class MoneyTests
{
    [Theory]
    [InlineData("0.017500", 17_500)]
    [InlineData("98.0186", 98_018_600)]
    [InlineData("2.500000", 2_500_000)]
    [InlineData("-1.5", -1_500_000)]
    [InlineData("0.000001", 1)]
    public void Parses_money_strings(string text, long micros) => Assert.Equal(micros, Money.Parse(text).Micros);

    [Fact]
    public void Formats_money()
    {
        Assert.Equal("0.017500", Money.FromMicros(17_500).ToWireString());
        Assert.Equal("98.0186", Money.Parse("98.0186").ToDollarString(4));
        Assert.Equal("$987.40", Money.Parse("987.4").ToDisplayString());
        Assert.Equal("-$1.05", Money.Parse("-1.045").ToDisplayString());
        Assert.Throws<InvalidOperationException>(() => Money.Parse("0.017501").ToDollarString(4));
    }

    [Fact]
    public void Rejects_bad_amounts_naming_the_value()
    {
        var ex = Assert.Throws<WireFormatException>(() => Money.Parse("0.0000001"));
        Assert.Contains("'0.0000001'", ex.Message);
        Assert.Contains("amount", ex.Message);
    }

    [Fact]
    public void Cent_conversions()
    {
        Assert.Equal(9801, Money.Parse("98.0186").ToCentsTruncated());   // how Kalshi's integer balance truncates
        Assert.Equal(9802, Money.Parse("98.0186").ToCentsRounded());
        Assert.Equal(-9801, Money.Parse("-98.0186").ToCentsTruncated());
        Assert.Equal(Money.Parse("1.23"), Money.FromCents(123));
        Assert.Equal(123.45m, Money.Parse("1.2345").ToCentsDecimal());
    }

    [Fact]
    public void Ceiling_and_floor_to_an_increment()
    {
        Assert.Equal(Money.Parse("0.0175"), Money.Parse("0.017472").CeilingTo(Money.OneCentiCent));
        Assert.Equal(Money.Parse("-0.07"), Money.Parse("-0.0635").FloorTo(Money.OneCent));
        Assert.Equal(Money.Parse("0.06"), Money.Parse("0.0635").FloorTo(Money.OneCent));
        Assert.Equal(Money.Parse("0.07"), Money.Parse("0.0635").CeilingTo(Money.OneCent));
        Assert.Equal(Money.Parse("0.07"), Money.Parse("0.07").CeilingTo(Money.OneCent));
    }

    [Fact]
    public void Prorate_rounds_half_away_from_zero()
    {
        Assert.Equal(Money.Parse("1.60"), Money.Prorate(Money.Parse("4.00"), Quantity.FromContracts(4), Quantity.FromContracts(10)));
        Assert.Equal(Money.FromMicros(1), Money.Prorate(Money.FromMicros(1), Quantity.FromUnits(1), Quantity.FromUnits(2)));
        Assert.Equal(Money.FromMicros(333_333), Money.Prorate(Money.OneDollar, Quantity.FromUnits(1), Quantity.FromUnits(3)));
    }

    [Fact]
    public void Round_trips_through_the_wire_string() =>
        Gen.Long[-Money.MaxMicros, Money.MaxMicros].Sample(micros =>
        {
            var m = Money.FromMicros(micros);
            Assert.Equal(m, Money.Parse(m.ToWireString()));
        }, iter: 2000);
}
