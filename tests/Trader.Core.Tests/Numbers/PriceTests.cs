using System.Text;
using Trader.Core.Numbers;

namespace Trader.Core.Tests.Numbers;

public class PriceTests
{
    [Theory]
    [InlineData("0.5200", 5200)]
    [InlineData("0.0100", 100)]
    [InlineData("0.9900", 9900)]
    [InlineData("0.0001", 1)]
    [InlineData("1.0000", 10000)]
    [InlineData("0.0000", 0)]
    [InlineData("0.960", 9600)]      // older 3-decimal form
    [InlineData("0.52", 5200)]
    [InlineData("0.52000", 5200)]    // trailing zeros beyond the scale are harmless
    [InlineData(".5", 5000)]
    [InlineData("1", 10000)]
    [InlineData("0.5215", 5215)]     // sub-penny
    public void Parses_wire_strings_exactly(string text, int ticks)
    {
        Assert.Equal(ticks, Price.Parse(text).Ticks);
        Assert.True(Price.TryParse(Encoding.UTF8.GetBytes(text), out var utf8));
        Assert.Equal(ticks, utf8.Ticks);
    }

    [Theory]
    [InlineData(5200, "0.5200")]
    [InlineData(1, "0.0001")]
    [InlineData(10000, "1.0000")]
    [InlineData(0, "0.0000")]
    [InlineData(9900, "0.9900")]
    public void Formats_the_exact_wire_string(int ticks, string wire) =>
        Assert.Equal(wire, Price.FromTicks(ticks).ToWireString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "not a plain decimal number")]
    [InlineData("0.52a", "not a plain decimal number")]
    [InlineData("1.0001", "between 0 and 1 dollar")]
    [InlineData("2", "between 0 and 1 dollar")]
    [InlineData("-0.5", "negative")]
    [InlineData("0.52001", "more than 4 decimals")]
    [InlineData("5e-1", "not a plain decimal number")]
    [InlineData(" 0.5", "not a plain decimal number")]
    [InlineData("-", "not a plain decimal number")]
    [InlineData(".", "not a plain decimal number")]
    public void Rejects_malformed_or_out_of_range_text_naming_the_value(string text, string reason)
    {
        var ex = Assert.Throws<WireFormatException>(() => Price.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
        Assert.Contains("price", ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.False(Price.TryParse(text.AsSpan(), out _));
    }

    [Fact]
    public void Utf8_parse_failure_names_the_value()
    {
        var ex = Assert.Throws<WireFormatException>(() => Price.ParseUtf8("0.5x"u8));
        Assert.Contains("'0.5x'", ex.Message);
    }

    [Fact]
    public void Converts_to_and_from_cents()
    {
        Assert.Equal(5200, Price.FromCents(52).Ticks);
        Assert.Equal(52, Price.Parse("0.5200").ToCentsExact());
        Assert.Equal(52, Price.Parse("0.5215").ToCentsFloor());
        Assert.Equal(53, Price.Parse("0.5215").ToCentsCeiling());
        Assert.Equal(52.15m, Price.Parse("0.5215").ToCentsDecimal());
        Assert.Throws<InvalidOperationException>(() => Price.Parse("0.5215").ToCentsExact());
        Assert.Throws<ArgumentOutOfRangeException>(() => Price.FromCents(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Price.FromCents(-1));
    }

    [Fact]
    public void Complement_is_the_other_leg()
    {
        Assert.Equal(Price.Parse("0.5200"), Price.Parse("0.4800").Complement);
        Assert.Equal(Price.One, Price.Zero.Complement);
    }

    [Fact]
    public void Tradable_means_strictly_between_zero_and_one()
    {
        Assert.False(Price.Zero.IsTradable);
        Assert.False(Price.One.IsTradable);
        Assert.True(Price.FromTicks(1).IsTradable);
        Assert.True(Price.FromTicks(9999).IsTradable);
    }

    [Fact]
    public void Decimal_conversion_is_exact_or_refused()
    {
        Assert.Equal(5215, Price.FromDollars(0.5215m).Ticks);
        Assert.Equal(0.5215m, Price.FromTicks(5215).ToDollars());
        Assert.Throws<WireFormatException>(() => Price.FromDollars(0.52155m));
        Assert.Throws<WireFormatException>(() => Price.FromDollars(1.5m));
    }

    [Fact]
    public void Price_times_quantity_is_exact_money()
    {
        // 0.3301 × 0.03 = 0.009903 dollars: needs micro-dollar precision.
        Assert.Equal("0.009903", (Price.Parse("0.3301") * Quantity.Parse("0.03")).ToWireString());
        Assert.Equal("5.100000", (Price.Parse("0.51") * Quantity.FromContracts(10)).ToWireString());
    }
}
