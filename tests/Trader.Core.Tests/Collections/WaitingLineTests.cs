using Trader.Core.Collections;

namespace Trader.Core.Tests.Collections;

public class WaitingLineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void First_in_first_out_with_how_long_each_waited()
    {
        var line = new WaitingLine<string>(capacity: 3, maxAge: TimeSpan.FromSeconds(5));
        Assert.True(line.TryJoin("a", T0));
        Assert.True(line.TryJoin("b", T0.AddSeconds(2)));
        Assert.True(line.TryNext(T0.AddSeconds(4), out var item, out var waited, out bool stale));
        Assert.Equal(("a", TimeSpan.FromSeconds(4), false), (item, waited, stale));
        Assert.True(line.TryNext(T0.AddSeconds(4), out item, out waited, out stale));
        Assert.Equal(("b", TimeSpan.FromSeconds(2), false), (item, waited, stale));
        Assert.False(line.TryNext(T0.AddSeconds(4), out _, out _, out _));
    }

    [Fact]
    public void A_full_line_refuses_and_an_old_item_comes_out_stale()
    {
        var line = new WaitingLine<int>(capacity: 2, maxAge: TimeSpan.FromSeconds(5));
        Assert.True(line.TryJoin(1, T0));
        Assert.True(line.TryJoin(2, T0.AddSeconds(1)));
        Assert.False(line.TryJoin(3, T0.AddSeconds(1)));
        Assert.Equal(2, line.Count);
        Assert.True(line.TryNext(T0.AddSeconds(5.5), out int first, out _, out bool stale));
        Assert.Equal((1, true), (first, stale));
        Assert.True(line.TryNext(T0.AddSeconds(5.5), out int second, out _, out stale));
        Assert.Equal((2, false), (second, stale));
    }

    [Fact]
    public void Emptying_hands_back_everyone_in_order()
    {
        var line = new WaitingLine<int>(capacity: 5, maxAge: TimeSpan.FromSeconds(5));
        foreach (int i in new[] { 3, 1, 2 }) line.TryJoin(i, T0);
        Assert.Equal([3, 1, 2], line.Empty());
        Assert.Equal(0, line.Count);
        Assert.Empty(line.Empty());
    }
}
