using Trader.Core.Observations;
using static Trader.Core.Tests.Observations.ObservationFixtures;

namespace Trader.Core.Tests.Observations;

/// <summary>Features 47–51 (§9.5, §1.5).</summary>
public class OrderFeaturesTests
{
    private static double[] Features(OpenOrderState orders, DateTimeOffset now)
    {
        var f = new double[5];
        OrderFeatures.Write(orders, now, f);
        return f;
    }

    [Fact]
    public void No_open_orders_are_all_zeros() => Assert.Equal([0.0, 0, 0, 0, 0], Features(OpenOrderState.None, At()));

    [Theory]
    [InlineData(true, false, 30, new[] { 1.0, 0, 0.1, 0, 0 })]
    [InlineData(false, true, 150, new[] { 0.0, 1, 0.5, 0, 0 })]
    [InlineData(true, true, 300, new[] { 1.0, 1, 1.0, 0, 0 })]
    [InlineData(true, true, 3600, new[] { 1.0, 1, 1.0, 0, 0 })]
    [InlineData(true, false, 0, new[] { 1.0, 0, 0.0, 0, 0 })]
    [InlineData(true, false, -10, new[] { 1.0, 0, 0.0, 0, 0 })] // placed "in the future": floored at 0
    public void Flags_and_age_of_the_newest_order(bool buy, bool sell, double ageSeconds, double[] expected)
    {
        var now = At();
        var f = Features(new OpenOrderState(buy, sell, now.AddSeconds(-ageSeconds)), now);
        Assert.Equal(expected.Length, f.Length);
        for (int i = 0; i < f.Length; i++) Assert.Equal(expected[i], f[i], 1e-12);
    }

    [Fact]
    public void Destination_must_hold_5_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => OrderFeatures.Write(OpenOrderState.None, At(), new double[4]));
        Assert.Contains("need 5 slots, got 4", ex.Message);
    }
}
