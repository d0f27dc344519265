using Trader.Core.Actions;
using Trader.Core.Numbers;

namespace Trader.Policy;

/// <summary>
/// Wraps a policy so that it never sells what it does not hold: SELL_YES (any size) becomes HOLD unless the position
/// in the market is long YES (&gt; 0), and SELL_NO becomes HOLD unless it is long NO (&lt; 0). Everything else passes
/// through. The original's PositionAwareSelector guarded SELL_YES only (original-system.md §10.2); guarding both sides
/// is the intended behaviour, since selling NO without holding NO opens a YES position the policy did not ask for.
/// The decision keeps the inner policy's logits and proposed action (<see cref="PolicyDecision.WasOverridden"/>).
/// Thread-safety and disposal follow the inner policy (disposing the wrapper disposes the inner policy).
/// </summary>
public sealed class PositionAwarePolicy : IPolicy, IDisposable
{
    private readonly IPolicy _inner;

    public PositionAwarePolicy(IPolicy inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Name = $"position-aware({inner.Name})";
    }

    public string Name { get; }

    public int ActionCount => _inner.ActionCount;

    public IPolicy Inner => _inner;

    public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context)
    {
        var decision = _inner.Decide(observation, context);
        var kind = PolicyActions.KindOf(decision.Action, _inner.ActionCount);
        bool refuse = kind switch
        {
            TradeAction.SellYes => context.Position <= Quantity.Zero,
            TradeAction.SellNo => context.Position >= Quantity.Zero,
            _ => false,
        };
        return refuse ? decision.WithAction(PolicyActions.Hold) : decision;
    }

    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
