using Trader.Core.Observations;

namespace Trader.Core.Tests.Observations;

public class MarketWindowTests
{
    private static WindowPoint P(long ms, double mid = double.NaN) => new(ms, ms / 1000.0, mid);

    [Fact]
    public void Window_keeps_the_last_points_oldest_first_across_wrap_arounds()
    {
        var window = new MarketWindow(3);
        Assert.Equal(0, window.Count);
        Assert.Null(window.Last);
        Assert.True(window.Points.IsEmpty);
        for (long i = 1; i <= 10; i++)
        {
            window.Append(P(i));
            var expected = Enumerable.Range(0, (int)Math.Min(i, 3)).Select(k => i - Math.Min(i, 3) + 1 + k).ToArray();
            Assert.Equal(expected, window.Points.ToArray().Select(p => p.TimestampMs).ToArray());
            Assert.Equal(i, window.Last!.Value.TimestampMs);
        }
        Assert.Equal(3, window.Count);
        Assert.Equal(3, window.Capacity);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketWindow(0));
        var one = new MarketWindow(1);
        one.Append(P(1));
        one.Append(P(2));
        Assert.Equal([2L], one.Points.ToArray().Select(p => p.TimestampMs));
    }

    [Fact]
    public void Momentum_uses_the_last_three_defined_mids()
    {
        var window = new MarketWindow(10);
        window.Append(P(1, 50));
        window.Append(P(2, 51));
        Assert.Equal(2, window.MidCount);
        Assert.Equal(0.0, window.Momentum()); // fewer than three mids
        window.Append(P(3));                  // one-sided book: no mid, skipped
        window.Append(P(4, 53));
        // Δ₁ = 53 − 51 = 2, Δ₂ = 51 − 50 = 1 → tanh((2 − 1) / 1).
        Assert.Equal(Math.Tanh(1.0), window.Momentum(), 1e-12);
        window.Append(P(5, 52));
        // Mids 51, 53, 52: Δ₁ = −1, Δ₂ = 2 → tanh(−3 / 2).
        Assert.Equal(Math.Tanh(-1.5), window.Momentum(), 1e-12);
    }

    [Fact]
    public void Momentum_is_zero_when_the_previous_change_is_tiny()
    {
        var window = new MarketWindow(10);
        window.Append(P(1, 50));
        window.Append(P(2, 50.0005));
        window.Append(P(3, 55));
        Assert.Equal(0.0, window.Momentum());
    }

    [Fact]
    public void Momentum_history_outlives_the_window()
    {
        var window = new MarketWindow(2);
        window.Append(P(1, 50));
        window.Append(P(2, 52));
        window.Append(P(3));
        window.Append(P(4));
        window.Append(P(5, 56)); // the window holds 4 and 5; the mids are 50, 52, 56
        Assert.Equal(Math.Tanh((4.0 - 2.0) / 2.0), window.Momentum(), 1e-12);
    }

    [Fact]
    public void Clear_forgets_points_and_mids()
    {
        var window = new MarketWindow(4);
        for (int i = 0; i < 6; i++) window.Append(P(i, 50 + i));
        window.Clear();
        Assert.Equal(0, window.Count);
        Assert.Equal(0, window.MidCount);
        Assert.Equal(0.0, window.Momentum());
        window.Append(P(9));
        Assert.Equal([9L], window.Points.ToArray().Select(p => p.TimestampMs));
    }
}
