namespace Trader.Policy.Onnx;

/// <summary>Settings of <see cref="OnnxPolicy"/>.</summary>
public sealed record OnnxPolicyOptions
{
    /// <summary>
    /// Name of the output to decide from, or null to choose: the float32 logits output if the model has one, else its
    /// int64 action output.
    /// </summary>
    public string? OutputName { get; init; }

    /// <summary>
    /// The action count for a model whose only usable output is an action index (its shape does not tell): 5 or 21.
    /// Null reads the model's <c>trader.action_count</c> metadata, else assumes 5. Ignored for logits outputs, whose
    /// width is the action count.
    /// </summary>
    public int? ActionCount { get; init; }

    /// <summary>
    /// ONNX Runtime intra-op threads. Default 1: a 52→64→64→5 network is far too small to gain from threads, and one
    /// thread keeps the decision on the caller's thread with no hand-off latency.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;
}
