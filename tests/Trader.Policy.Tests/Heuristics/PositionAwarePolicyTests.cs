using Trader.Core.Numbers;
using Trader.Policy.Heuristics;

namespace Trader.Policy.Tests.Heuristics;

public class PositionAwarePolicyTests
{
    /// <summary>Always proposes the same action, with fixed logits.</summary>
    private sealed class FixedPolicy(int action, int actionCount = 5) : IPolicy, IDisposable
    {
        private readonly float[] _logits = [0.5f, 1.5f, 2.5f, 3.5f, 4.5f];
        public bool Disposed { get; private set; }
        public string Name => $"fixed({action})";
        public int ActionCount => actionCount;
        public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context) => new(action, _logits);
        public void Dispose() => Disposed = true;
    }

    private static PolicyDecision Decide(IPolicy policy, long position) =>
        policy.Decide(TestData.ReferenceObservation1, new DecisionContext("KXTEST", Quantity.FromContracts(position)));

    [Theory]
    // action, position, expected
    [InlineData(PolicyActions.SellYes, 0, PolicyActions.Hold)]
    [InlineData(PolicyActions.SellYes, -5, PolicyActions.Hold)]
    [InlineData(PolicyActions.SellYes, 5, PolicyActions.SellYes)]
    [InlineData(PolicyActions.SellNo, 0, PolicyActions.Hold)]
    [InlineData(PolicyActions.SellNo, 5, PolicyActions.Hold)]
    [InlineData(PolicyActions.SellNo, -5, PolicyActions.SellNo)]
    [InlineData(PolicyActions.BuyYes, 0, PolicyActions.BuyYes)]
    [InlineData(PolicyActions.BuyYes, -5, PolicyActions.BuyYes)]
    [InlineData(PolicyActions.BuyNo, 5, PolicyActions.BuyNo)]
    [InlineData(PolicyActions.Hold, 5, PolicyActions.Hold)]
    public void Sells_only_what_is_held(int proposed, long position, int expected)
    {
        using var policy = new PositionAwarePolicy(new FixedPolicy(proposed));
        var decision = Decide(policy, position);
        Assert.Equal(expected, decision.Action);
        Assert.Equal(proposed, decision.ProposedAction);
        Assert.Equal(expected != proposed, decision.WasOverridden);
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f, 4.5f], decision.Logits.ToArray()); // the inner logits pass through
    }

    [Fact]
    public void Fractional_holdings_count_as_held()
    {
        using var policy = new PositionAwarePolicy(new FixedPolicy(PolicyActions.SellYes));
        var decision = policy.Decide(TestData.ReferenceObservation1, new DecisionContext("KXTEST", Quantity.FromUnits(1)));
        Assert.Equal(PolicyActions.SellYes, decision.Action);
    }

    [Theory]
    [InlineData(6, 0, PolicyActions.Hold)]   // SELL_YES#0
    [InlineData(10, 0, PolicyActions.Hold)]  // SELL_YES#4
    [InlineData(10, 3, 10)]
    [InlineData(16, 3, PolicyActions.Hold)]  // SELL_NO#0
    [InlineData(20, -3, 20)]                 // SELL_NO#4
    [InlineData(5, -3, 5)]                   // BUY_YES#4
    [InlineData(11, 3, 11)]                  // BUY_NO#0
    public void Guards_every_size_in_the_sized_action_space(int proposed, long position, int expected)
    {
        using var policy = new PositionAwarePolicy(new FixedPolicy(proposed, 21));
        Assert.Equal(21, policy.ActionCount);
        Assert.Equal(expected, Decide(policy, position).Action);
    }

    [Fact]
    public void Names_and_disposes_the_inner_policy()
    {
        var inner = new FixedPolicy(PolicyActions.Hold);
        var policy = new PositionAwarePolicy(inner);
        Assert.Equal("position-aware(fixed(0))", policy.Name);
        Assert.Same(inner, policy.Inner);
        policy.Dispose();
        Assert.True(inner.Disposed);
    }

    [Fact]
    public void Hold_policy_always_holds()
    {
        var hold = new HoldPolicy();
        Assert.Equal("hold", hold.Name);
        Assert.Equal(5, hold.ActionCount);
        var decision = Decide(hold, 5);
        Assert.Equal(PolicyActions.Hold, decision.Action);
        Assert.True(decision.Logits.IsEmpty);
        Assert.Equal(21, new HoldPolicy(21).ActionCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldPolicy(6));
        Assert.Throws<ArgumentException>(() => hold.Decide(new float[3], DecisionContext.Flat("X")));
    }
}
