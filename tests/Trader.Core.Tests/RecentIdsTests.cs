using Trader.Core.Collections;

namespace Trader.Core.Tests;

public class RecentIdsTests
{
    [Fact]
    public void Remembers_up_to_its_capacity_and_forgets_the_oldest()
    {
        var ids = new RecentIds(2);
        Assert.True(ids.Add("a"));
        Assert.False(ids.Add("a"));
        Assert.True(ids.Add("b"));
        Assert.True(ids.Add("c"));
        Assert.Equal(2, ids.Count);
        Assert.False(ids.Contains("a"));
        Assert.True(ids.Contains("b"));
        Assert.True(ids.Add("a"));
    }
}
