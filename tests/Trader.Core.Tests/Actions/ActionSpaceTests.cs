using Trader.Core.Actions;
using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Tests.Actions;

public class ActionSpaceTests
{
    private static Quantity C(long contracts) => Quantity.FromContracts(contracts);

    [Theory]
    [InlineData(0, TradeAction.Hold, "HOLD")]
    [InlineData(1, TradeAction.BuyYes, "BUY_YES")]
    [InlineData(2, TradeAction.SellYes, "SELL_YES")]
    [InlineData(3, TradeAction.BuyNo, "BUY_NO")]
    [InlineData(4, TradeAction.SellNo, "SELL_NO")]
    public void Five_action_space_maps_indices_as_the_original(int index, TradeAction expected, string name)
    {
        var space = ActionSpace.FiveActions(C(5));
        Assert.Equal(5, space.Count);
        var decoded = space.Decode(index);
        Assert.Equal(expected, decoded.Action);
        Assert.Equal(index, decoded.Index);
        Assert.Equal(0, decoded.SizeIndex);
        Assert.Equal(index == 0 ? Quantity.Zero : C(5), decoded.Size);
        Assert.Equal(name, expected.ToName());
        Assert.Equal(index, space.Encode(expected));
    }

    [Fact]
    public void Five_action_intents_are_buy_and_sell_of_yes_and_no()
    {
        var space = ActionSpace.FiveActions(C(20));
        Assert.Null(space.Decode(0).Intent);
        Assert.Equal(OrderIntent.BuyYes, space.Decode(1).Intent);
        Assert.Equal(OrderIntent.SellYes, space.Decode(2).Intent);
        Assert.Equal(OrderIntent.BuyNo, space.Decode(3).Intent);
        Assert.Equal(OrderIntent.SellNo, space.Decode(4).Intent);
        Assert.Equal(C(20), space.Decode(4).Size);
        Assert.Equal("SELL_NO×20.00", space.Decode(4).ToString());
        Assert.Equal("HOLD", space.Decode(0).ToString());
    }

    [Fact]
    public void Twenty_one_action_space_decodes_like_decode_action()
    {
        var space = ActionSpace.TwentyOneActions();
        Assert.Equal(21, space.Count);
        Assert.Equal([C(5), C(10), C(20), C(50), C(100)], space.Sizes);
        Assert.True(space.Decode(0).IsHold);
        // decode_action(a, 5): base = (a − 1) // 5 + 1, size_idx = (a − 1) % 5.
        for (int a = 1; a < 21; a++)
        {
            var d = space.Decode(a);
            Assert.Equal((TradeAction)((a - 1) / 5 + 1), d.Action);
            Assert.Equal((a - 1) % 5, d.SizeIndex);
            Assert.Equal(space.Sizes[(a - 1) % 5], d.Size);
            Assert.Equal(a, space.Encode(d.Action, d.SizeIndex));
        }
        Assert.Equal((TradeAction.BuyYes, C(5)), (space.Decode(1).Action, space.Decode(1).Size));
        Assert.Equal((TradeAction.BuyYes, C(100)), (space.Decode(5).Action, space.Decode(5).Size));
        Assert.Equal((TradeAction.SellYes, C(5)), (space.Decode(6).Action, space.Decode(6).Size));
        Assert.Equal((TradeAction.BuyNo, C(20)), (space.Decode(13).Action, space.Decode(13).Size));
        Assert.Equal((TradeAction.SellNo, C(100)), (space.Decode(20).Action, space.Decode(20).Size));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Index_outside_the_five_action_space_is_a_clear_error(int index)
    {
        var space = ActionSpace.FiveActions(C(5));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => space.Decode(index));
        Assert.Contains($"action {index} is outside this 5-action space (valid actions are 0 to 4)", ex.Message);
        Assert.False(space.TryDecode(index, out _));
    }

    [Fact]
    public void Index_outside_the_twenty_one_action_space_is_a_clear_error()
    {
        var space = ActionSpace.TwentyOneActions();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => space.Decode(21));
        Assert.Contains("action 21 is outside this 21-action space (valid actions are 0 to 20)", ex.Message);
        Assert.True(space.TryDecode(20, out var last));
        Assert.Equal(TradeAction.SellNo, last.Action);
    }

    [Fact]
    public void Sizes_must_be_positive_distinct_and_present()
    {
        Assert.Contains("at least one order size", Assert.Throws<ArgumentException>(() => new ActionSpace([])).Message);
        Assert.Contains("order size 0.00 must be positive", Assert.Throws<ArgumentException>(() => ActionSpace.FiveActions(Quantity.Zero)).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => ActionSpace.FiveActions(C(-5))).Message);
        Assert.Contains("distinct", Assert.Throws<ArgumentException>(() => new ActionSpace([C(5), C(5)])).Message);
    }

    [Fact]
    public void Encode_rejects_unknown_actions_and_sizes()
    {
        var space = ActionSpace.FiveActions(C(5));
        Assert.Equal(0, space.Encode(TradeAction.Hold, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => space.Encode(TradeAction.BuyYes, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => space.Encode((TradeAction)9));
    }

    [Fact]
    public void Fractional_contract_sizes_are_allowed()
    {
        var space = ActionSpace.FiveActions(Quantity.FromUnits(250));
        Assert.Equal(Quantity.FromUnits(250), space.Decode(1).Size);
    }

    [Fact]
    public void Known_contract_counts_are_named()
    {
        Assert.Equal(5, ActionSpace.OriginalLiveContracts);
        Assert.Equal(20, ActionSpace.ModelCardContracts);
    }
}
