using System.Globalization;
using Trader.Core.Observations;
using Trader.Policy.Onnx;

namespace Trader.Policy.StableBaselines;

/// <summary>Settings of <see cref="Sb3OnnxConverter"/>.</summary>
public sealed record Sb3ConversionOptions
{
    /// <summary>
    /// Refuse models the trader cannot run: an observation other than the 52 features of <see cref="ObservationLayout"/>,
    /// or an action space other than 5 or 21 actions. Default true; turn off to convert other SB3 MLP policies.
    /// </summary>
    public bool RequireTraderShapes { get; init; } = true;

    /// <summary>Also write an int64 <c>action</c> output (argmax of the logits). Default true.</summary>
    public bool IncludeActionOutput { get; init; } = true;

    /// <summary>A symbolic batch dimension instead of 1. Default false (input <c>[1, 52]</c>).</summary>
    public bool DynamicBatch { get; init; }
}

/// <summary>
/// Converts a Stable-Baselines3 PPO/A2C MLP model zip into an ONNX model computing the action logits
/// <c>action_net(act(W2·act(W1·x + b1) + b2))</c> for an input <c>obs</c> of shape <c>[1, n]</c> (output <c>logits</c>
/// <c>[1, actions]</c>, plus <c>action</c>, their argmax). No Python is needed: the zip is read by
/// <see cref="Sb3ModelReader"/> and the model written by <see cref="MlpOnnxExporter"/>. The result runs in
/// <see cref="OnnxPolicy"/> and gives the same action as SB3's <c>model.predict(obs, deterministic=True)</c>.
/// </summary>
public static class Sb3OnnxConverter
{
    /// <summary>Reads the SB3 zip at <paramref name="sb3ZipPath"/>, writes the ONNX model to <paramref name="onnxPath"/>, and returns what was read.</summary>
    public static Sb3PolicyModel Convert(string sb3ZipPath, string onnxPath, Sb3ConversionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        var model = Sb3ModelReader.Read(sb3ZipPath);
        var bytes = ToOnnx(model, options);
        var full = Path.GetFullPath(onnxPath);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
        return model;
    }

    /// <summary>The ONNX model's bytes for a model read by <see cref="Sb3ModelReader"/>.</summary>
    public static byte[] ToOnnx(Sb3PolicyModel model, Sb3ConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new Sb3ConversionOptions();
        if (options.RequireTraderShapes)
        {
            if (model.ObservationLength != ObservationLayout.Length)
                throw new PolicyModelException($"'{model.Source}': the model takes {model.ObservationLength} observation features; the trader feeds {ObservationLayout.Length} (convert anyway with RequireTraderShapes = false)");
            if (!PolicyActions.IsSupportedCount(model.ActionCount))
                throw new PolicyModelException($"'{model.Source}': the model has {model.ActionCount} actions; the trader supports {PolicyActions.SimpleCount} or {PolicyActions.SizedCount} (convert anyway with RequireTraderShapes = false)");
        }
        return MlpOnnxExporter.ToBytes(model.Network, new MlpOnnxExportOptions
        {
            ActionName = options.IncludeActionOutput ? "action" : null,
            DynamicBatch = options.DynamicBatch,
            Description = $"Converted from the Stable-Baselines3 model {Path.GetFileName(model.Source)}: {model.Describe()}",
            Metadata = new Dictionary<string, string>
            {
                ["trader.source"] = "stable-baselines3",
                ["sb3.version"] = model.Sb3Version ?? "",
                ["sb3.policy_class"] = model.PolicyClass,
                ["sb3.file"] = Path.GetFileName(model.Source),
                ["sb3.hidden_layers"] = string.Join(",", model.Network.Hidden.Select(l => l.OutputSize.ToString(CultureInfo.InvariantCulture))),
            },
        });
    }
}
