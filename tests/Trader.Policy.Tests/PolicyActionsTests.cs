using Trader.Core.Actions;
namespace Trader.Policy.Tests;

public class PolicyActionsTests
{
    [Theory]
    [InlineData(0, TradeAction.Hold)]
    [InlineData(1, TradeAction.BuyYes)]
    [InlineData(2, TradeAction.SellYes)]
    [InlineData(3, TradeAction.BuyNo)]
    [InlineData(4, TradeAction.SellNo)]
    public void Five_action_space_is_one_kind_per_index(int action, TradeAction kind)
    {
        Assert.Equal(kind, PolicyActions.KindOf(action, 5));
        Assert.Equal(0, PolicyActions.SizeIndexOf(action, 5));
        Assert.Equal(action, PolicyActions.IndexOf(kind, 0, 5));
    }

    [Fact]
    public void Sized_action_space_decodes_like_the_original()
    {
        // decode_action(a, n=5): base = (a − 1) // 5 + 1, size = (a − 1) % 5 (§10.1).
        Assert.Equal(TradeAction.Hold, PolicyActions.KindOf(0, 21));
        for (int a = 1; a < 21; a++)
        {
            var kind = PolicyActions.KindOf(a, 21);
            int size = PolicyActions.SizeIndexOf(a, 21);
            Assert.Equal((a - 1) / 5 + 1, (int)kind);
            Assert.Equal((a - 1) % 5, size);
            Assert.Equal(a, PolicyActions.IndexOf(kind, size, 21));
        }
        Assert.Equal("SELL_NO#4", PolicyActions.NameOf(20, 21));
        Assert.Equal("BUY_YES", PolicyActions.NameOf(1, 5));
        Assert.Equal("HOLD", PolicyActions.NameOf(0, 21));
    }

    [Fact]
    public void Out_of_range_indices_and_spaces_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyActions.KindOf(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyActions.KindOf(-1, 21));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyActions.KindOf(0, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyActions.IndexOf(TradeAction.BuyNo, 1, 5));
    }
}
