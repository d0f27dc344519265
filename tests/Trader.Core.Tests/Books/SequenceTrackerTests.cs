using Trader.Core.Books;

namespace Trader.Core.Tests.Books;

public class SequenceTrackerTests
{
    [Fact]
    public void Classifies_frames_of_one_subscription()
    {
        var t = new SequenceTracker();
        Assert.Equal(SequenceStatus.First, t.Observe(1));
        Assert.Equal(SequenceStatus.InOrder, t.Observe(2));
        Assert.Equal(SequenceStatus.Duplicate, t.Observe(2));
        Assert.Equal(SequenceStatus.Duplicate, t.Observe(1));
        Assert.Equal(3, t.Expected);
        Assert.Equal(SequenceStatus.Gap, t.Observe(4));   // §9.7 gap test: expected 3, got 4
        Assert.Equal(SequenceStatus.InOrder, t.Observe(5));
        t.Reset();
        Assert.Equal(0, t.Expected);
        Assert.Equal(SequenceStatus.First, t.Observe(1));
    }
}
