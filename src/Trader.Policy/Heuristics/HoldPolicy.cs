using Trader.Core.Observations;

namespace Trader.Policy.Heuristics;

/// <summary>Never trades: every decision is HOLD. Stateless and thread-safe. Useful to run the trader as an observer.</summary>
public sealed class HoldPolicy : IPolicy
{
    public HoldPolicy(int actionCount = PolicyActions.SimpleCount)
    {
        PolicyActions.ValidateCount(actionCount, "hold policy");
        ActionCount = actionCount;
    }

    public string Name => "hold";

    public int ActionCount { get; }

    public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context)
    {
        ObservationGuard.CheckLength(observation);
        return new PolicyDecision(PolicyActions.Hold);
    }
}

internal static class ObservationGuard
{
    public static void CheckLength(ReadOnlySpan<float> observation)
    {
        if (observation.Length != ObservationLayout.Length)
        {
            throw new ArgumentException(
                $"an observation must hold {ObservationLayout.Length} features; got {observation.Length}", nameof(observation));
        }
    }
}
