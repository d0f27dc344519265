using System.CommandLine;
using System.Globalization;
using Trader.Core.Observations;
using Trader.Policy;
using Trader.Policy.Onnx;
using Trader.Policy.StableBaselines;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader model</c>: the policy models the trader runs. <c>info</c> loads one as the trader would (shapes checked),
/// <c>decide</c> runs it on one observation, <c>convert</c> turns a Stable-Baselines3 PPO/A2C zip into ONNX.
/// Exit codes: 0 ok, 1 the model could not be read, converted or used, 2 bad arguments.
/// </summary>
public static class ModelCommand
{
    public const int Ok = 0;
    public const int ModelFailed = 1;
    public const int BadInput = 2;

    public static Command Create()
    {
        var model = new Command("model",
            "The policy models the trader runs: check one, run it on an observation, convert a Stable-Baselines3 model.\n" +
            "A model takes the 52 observation features (float32 [1, 52]) and answers 5 or 21 action logits, or an int64\n" +
            "action index.\n\n" +
            "Examples:\n" +
            "  trader model info models/default.onnx\n" +
            "  trader model decide models/default.onnx 0.52 0.48 … (52 values)\n" +
            "  trader model convert my_ppo.zip models/my_ppo.onnx\n" +
            "  trader run --policy position-aware:onnx --model models/my_ppo.onnx");
        model.Add(Info());
        model.Add(Decide());
        model.Add(Convert());
        return model;
    }

    private static Command Info()
    {
        var file = new Argument<string>("model") { Description = "The ONNX model file" };
        var info = new Command("info",
            "Load a model as the trader would and say what it is: its input, its output (logits or an action index) and\n" +
            "its action space; a model that does not fit is refused with the expected and found shapes.\n\n" +
            "Example:\n  trader model info models/default.onnx") { file };
        info.SetAction(result => Guard(result, () =>
        {
            var output = result.InvocationConfiguration.Output;
            using var policy = OnnxPolicy.Load(result.GetValue(file)!);
            output.WriteLine($"model    {policy.Source}");
            output.WriteLine($"input    [1, {ObservationLayout.Length}] float32 (the observation)");
            output.WriteLine($"output   '{policy.OutputName}': {(policy.HasLogits ? $"{policy.ActionCount} action logits (the action is their argmax)" : "an action index")}");
            output.WriteLine($"actions  {policy.ActionCount}: {string.Join(", ", Enumerable.Range(0, Math.Min(policy.ActionCount, 5)).Select(a => PolicyActions.NameOf(a, policy.ActionCount)))}{(policy.ActionCount > 5 ? ", …" : "")}");
            foreach (var (key, value) in policy.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) output.WriteLine($"meta     {key} = {value}");
            return Ok;
        }));
        return info;
    }

    private static Command Decide()
    {
        var file = new Argument<string>("model") { Description = "The ONNX model file" };
        var values = new Argument<string[]>("values") { Description = "The 52 observation values, space- or comma-separated", Arity = ArgumentArity.OneOrMore };
        var decide = new Command("decide",
            "Run a model on one observation and print its logits and action: to compare with model.predict(obs,\n" +
            "deterministic=True) in Python, or with a replay's observation (trader replay prints them).\n\n" +
            "Example:\n  trader model decide models/default.onnx $(cat observation.txt)") { file, values };
        decide.SetAction(result => Guard(result, () =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var parts = string.Join(',', result.GetValue(values) ?? [])
                .Split([',', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != ObservationLayout.Length)
            {
                error.WriteLine($"error: an observation has {ObservationLayout.Length} values; got {parts.Length}");
                return BadInput;
            }
            var observation = new float[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out observation[i]))
                {
                    error.WriteLine($"error: observation value {i} '{parts[i]}' is not a number");
                    return BadInput;
                }
            }
            using var policy = OnnxPolicy.Load(result.GetValue(file)!);
            var decision = policy.Decide(observation, DecisionContext.Flat("CLI"));
            if (policy.HasLogits) output.WriteLine($"logits  [{Format(decision.Logits)}]");
            output.WriteLine($"action  {decision.Action} ({PolicyActions.NameOf(decision.Action, policy.ActionCount)})");
            return Ok;
        }));
        return decide;
    }

    private static Command Convert()
    {
        var zip = new Argument<string>("sb3-zip") { Description = "The Stable-Baselines3 model, as saved by model.save(…)" };
        var onnx = new Argument<string>("out-onnx") { Description = "The ONNX file to write" };
        var anyShape = new Option<bool>("--any-shape") { Description = "Convert even if the model does not take 52 features or answer 5 or 21 actions" };
        var noAction = new Option<bool>("--no-action-output") { Description = "Write only the logits output (no int64 argmax output)" };
        var convert = new Command("convert",
            "Convert a Stable-Baselines3 PPO or A2C model (MlpPolicy, tanh or ReLU, a Box observation, Discrete actions)\n" +
            "to ONNX, without Python: the zip's data and policy.pth are read directly. When the zip holds the last\n" +
            "observation it saw, the written model is run on it and compared with a C# forward pass.\n\n" +
            "Example:\n  trader model convert my_ppo.zip models/my_ppo.onnx") { zip, onnx, anyShape, noAction };
        convert.SetAction(result => Guard(result, () =>
        {
            var output = result.InvocationConfiguration.Output;
            var options = new Sb3ConversionOptions
            {
                RequireTraderShapes = !result.GetValue(anyShape),
                IncludeActionOutput = !result.GetValue(noAction),
            };
            var target = result.GetValue(onnx)!;
            var model = Sb3OnnxConverter.Convert(result.GetValue(zip)!, target, options);
            var written = Path.GetFullPath(target);
            output.WriteLine($"read    {model.Source}");
            output.WriteLine($"model   {model.Describe()}");
            output.WriteLine($"wrote   {written} ({new FileInfo(written).Length:N0} bytes): input 'obs' [1, {model.ObservationLength}] float32 → " +
                             $"'logits' [1, {model.ActionCount}]{(options.IncludeActionOutput ? ", 'action' [1] int64" : "")}");
            if (model.LastObservation is not { } last)
            {
                output.WriteLine($"check   skipped: {model.LastObservationNote}");
                return Ok;
            }
            var expected = new float[model.ActionCount];
            model.Network.Forward(last, expected);
            if (model.ObservationLength != ObservationLayout.Length || !PolicyActions.IsSupportedCount(model.ActionCount))
            {
                output.WriteLine($"check   stored _last_obs → logits [{Format(expected)}] (C# forward pass)");
                return Ok;
            }
            using var policy = OnnxPolicy.Load(written);
            var decision = policy.Decide(last, DecisionContext.Flat("CHECK"));
            float maxDiff = 0;
            for (int i = 0; i < expected.Length; i++) maxDiff = MathF.Max(maxDiff, MathF.Abs(expected[i] - decision.Logits[i]));
            output.WriteLine($"check   stored _last_obs → logits [{Format(decision.Logits)}] → action {decision.Action} " +
                             $"({PolicyActions.NameOf(decision.Action, policy.ActionCount)}); max |ONNX − C#| = {maxDiff.ToString("G3", CultureInfo.InvariantCulture)}");
            return Ok;
        }));
        return convert;
    }

    /// <summary>A model that cannot be read, converted or used is exit code 1 with the reason (which names the file).</summary>
    private static int Guard(ParseResult result, Func<int> run)
    {
        try
        {
            return run();
        }
        catch (PolicyModelException e)
        {
            result.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return ModelFailed;
        }
    }

    private static string Format(ReadOnlySpan<float> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++) parts[i] = values[i].ToString("F4", CultureInfo.InvariantCulture);
        return string.Join(", ", parts);
    }
}
