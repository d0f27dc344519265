using Trader.Core.Numbers;

namespace Trader.Policy;

/// <summary>
/// Decides an action from one observation: the 52 float32 features of <c>Trader.Core.Observations.ObservationLayout</c>
/// (original-system.md §9) plus a small context. Action indices follow the original's action space (§10.1):
/// 0 HOLD, 1 BUY_YES, 2 SELL_YES, 3 BUY_NO, 4 SELL_NO for <see cref="ActionCount"/> 5, and the sized 21-action
/// variant otherwise (see <see cref="PolicyActions"/>).
/// </summary>
/// <remarks>
/// Thread-safety is per implementation: stateless policies (hold, the heuristic) may be shared; an
/// <see cref="Onnx.OnnxPolicy"/> owns preallocated buffers and must be used by one caller at a time (one instance per
/// decision actor). Implementations that hold native resources are <see cref="IDisposable"/>; dispose the policy
/// through the factory's result if it is.
/// </remarks>
public interface IPolicy
{
    /// <summary>A short human-readable name for logs and the status view, e.g. <c>onnx(model.onnx)</c>.</summary>
    string Name { get; }

    /// <summary>The size of the action space the policy answers in: 5 or 21.</summary>
    int ActionCount { get; }

    /// <summary>
    /// Decides one action. <paramref name="observation"/> must hold exactly <c>ObservationLayout.Length</c> values.
    /// The returned decision's <see cref="PolicyDecision.Logits"/> (when the policy has them) point into the policy's own
    /// buffer and stay valid only until the next call on the same policy; copy them if you need to keep them.
    /// </summary>
    PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context);
}

/// <summary>What a policy is told besides the observation.</summary>
/// <param name="MarketTicker">The market the decision is for.</param>
/// <param name="Position">
/// The current signed position in that market in contracts (<see cref="Quantity"/>, 1/100 contract units):
/// positive = long YES, negative = long NO, zero = flat.
/// </param>
public readonly record struct DecisionContext(string MarketTicker, Quantity Position)
{
    /// <summary>A flat context for a market (no position).</summary>
    public static DecisionContext Flat(string marketTicker) => new(marketTicker, Quantity.Zero);
}

/// <summary>
/// One decision. A <c>ref struct</c> so that <see cref="Logits"/> can point into the policy's preallocated buffer
/// without copying or allocating; it cannot be stored past the call (copy the values you need).
/// </summary>
public readonly ref struct PolicyDecision
{
    /// <summary>The action to take (index into the policy's action space).</summary>
    public int Action { get; }

    /// <summary>
    /// The action the underlying policy proposed before any wrapper changed it (e.g. <see cref="PositionAwarePolicy"/>
    /// turning a SELL without a position into HOLD). Equal to <see cref="Action"/> when nothing changed it.
    /// </summary>
    public int ProposedAction { get; }

    /// <summary>The raw policy output (action logits) when the policy has them; empty otherwise.</summary>
    public ReadOnlySpan<float> Logits { get; }

    public PolicyDecision(int action, ReadOnlySpan<float> logits = default)
        : this(action, action, logits)
    {
    }

    public PolicyDecision(int action, int proposedAction, ReadOnlySpan<float> logits)
    {
        Action = action;
        ProposedAction = proposedAction;
        Logits = logits;
    }

    /// <summary>True when a wrapper changed the proposed action.</summary>
    public bool WasOverridden => Action != ProposedAction;

    /// <summary>This decision with a different final action (the proposed action and logits are kept).</summary>
    public PolicyDecision WithAction(int action) => new(action, ProposedAction, Logits);
}
