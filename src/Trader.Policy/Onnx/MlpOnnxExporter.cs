using System.Globalization;
using Trader.Policy.Networks;

namespace Trader.Policy.Onnx;

/// <summary>How <see cref="MlpOnnxExporter"/> names and shapes the model.</summary>
public sealed record MlpOnnxExportOptions
{
    /// <summary>Name of the float32 input <c>[1, inputs]</c>.</summary>
    public string InputName { get; init; } = "obs";

    /// <summary>Name of the float32 logits output <c>[1, actions]</c>.</summary>
    public string LogitsName { get; init; } = "logits";

    /// <summary>
    /// Name of an extra int64 output <c>[1]</c> holding the argmax of the logits (first index on ties), or null for
    /// none. <see cref="OnnxPolicy"/> uses the logits when both are present.
    /// </summary>
    public string? ActionName { get; init; } = "action";

    /// <summary>A symbolic batch dimension (<c>batch</c>) instead of the fixed 1, to score many observations at once.</summary>
    public bool DynamicBatch { get; init; }

    /// <summary>Free text stored as the model's doc string (e.g. where the weights came from).</summary>
    public string? Description { get; init; }

    /// <summary>Extra metadata properties (key → value) stored in the model.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// Writes an <see cref="MlpNetwork"/> as an ONNX model: one <c>Gemm</c> (<c>transB = 1</c>, so weights keep PyTorch's
/// <c>[out, in]</c> layout) per layer, <c>Tanh</c> or <c>Relu</c> after each hidden layer, the last <c>Gemm</c>'s output
/// as the logits, and optionally an <c>ArgMax</c> (axis 1, keepdims 0, first index on ties) as the action.
/// The model carries metadata <c>trader.observation_length</c>, <c>trader.action_count</c> and
/// <c>trader.hidden_activation</c>.
/// </summary>
public static class MlpOnnxExporter
{
    public const string ObservationLengthKey = "trader.observation_length";
    public const string ActionCountKey = "trader.action_count";
    public const string ActivationKey = "trader.hidden_activation";

    public static byte[] ToBytes(MlpNetwork network, MlpOnnxExportOptions? options = null) =>
        CreateBuilder(network, options ?? new MlpOnnxExportOptions()).Build();

    public static void Save(MlpNetwork network, string path, MlpOnnxExportOptions? options = null) =>
        CreateBuilder(network, options ?? new MlpOnnxExportOptions()).Save(path);

    private static OnnxModelBuilder CreateBuilder(MlpNetwork network, MlpOnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        var builder = new OnnxModelBuilder("mlp_policy") { DocString = options.Description };
        var batch = options.DynamicBatch ? OnnxDimension.Symbolic("batch") : OnnxDimension.Fixed(1);
        builder.AddInput(options.InputName, OnnxElementType.Float, batch, OnnxDimension.Fixed(network.InputSize));

        string current = options.InputName;
        var activationOp = network.Activation == HiddenActivation.Tanh ? "Tanh" : "Relu";
        for (int i = 0; i < network.Hidden.Count; i++)
        {
            var layer = network.Hidden[i];
            string w = $"hidden{i}.weight", b = $"hidden{i}.bias", linear = $"hidden{i}.linear", activated = $"hidden{i}.out";
            builder.AddInitializer(w, layer.Weights, layer.OutputSize, layer.InputSize);
            builder.AddInitializer(b, layer.Bias, layer.OutputSize);
            builder.AddNode("Gemm", [current, w, b], [linear], OnnxAttribute.Int("transB", 1));
            builder.AddNode(activationOp, [linear], [activated]);
            current = activated;
        }
        var output = network.Output;
        builder.AddInitializer("action_net.weight", output.Weights, output.OutputSize, output.InputSize);
        builder.AddInitializer("action_net.bias", output.Bias, output.OutputSize);
        builder.AddNode("Gemm", [current, "action_net.weight", "action_net.bias"], [options.LogitsName], OnnxAttribute.Int("transB", 1));
        builder.AddOutput(options.LogitsName, OnnxElementType.Float, batch, OnnxDimension.Fixed(network.OutputSize));

        if (options.ActionName is { } actionName)
        {
            builder.AddNode("ArgMax", [options.LogitsName], [actionName],
                OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0), OnnxAttribute.Int("select_last_index", 0));
            builder.AddOutput(actionName, OnnxElementType.Int64, batch);
        }

        builder.AddMetadata(ObservationLengthKey, network.InputSize.ToString(CultureInfo.InvariantCulture));
        builder.AddMetadata(ActionCountKey, network.OutputSize.ToString(CultureInfo.InvariantCulture));
        builder.AddMetadata(ActivationKey, network.Activation == HiddenActivation.Tanh ? "tanh" : "relu");
        if (options.Metadata is { } extra)
        {
            foreach (var (key, value) in extra) builder.AddMetadata(key, value);
        }
        return builder;
    }
}
