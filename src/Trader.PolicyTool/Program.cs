using System.Globalization;
using Trader.Core.Observations;
using Trader.Policy;
using Trader.Policy.Onnx;
using Trader.Policy.StableBaselines;

// trader-policy: command-line entry to the policy library.
//   convert-sb3 <model.zip> <out.onnx> [--any-shape] [--no-action-output]
//   decide <model.onnx> <52 floats, comma- or space-separated>
// Exit codes: 0 ok, 1 the model could not be converted or used, 2 bad usage.

const string Usage = """
    usage:
      trader-policy convert-sb3 <sb3-model.zip> <out.onnx> [--any-shape] [--no-action-output]
          Converts a Stable-Baselines3 PPO/A2C MLP model (Discrete actions, Box observations) to ONNX.
          --any-shape         convert even if the model does not take 52 features / have 5 or 21 actions
          --no-action-output  write only the logits output (no int64 argmax output)
      trader-policy decide <model.onnx> <52 floats, comma- or space-separated>
          Prints the logits and the action of an ONNX policy for one observation.
    """;

try
{
    return args switch
    {
        ["convert-sb3", var zip, var onnx, .. var flags] => ConvertSb3(zip, onnx, flags),
        ["decide", var onnx, .. var values] when values.Length > 0 => Decide(onnx, string.Join(',', values)),
        ["--help" or "-h" or "help"] => Help(),
        _ => BadUsage(),
    };
}
catch (PolicyModelException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

static int ConvertSb3(string zip, string onnx, string[] flags)
{
    var unknown = flags.Where(f => f is not ("--any-shape" or "--no-action-output")).ToArray();
    if (unknown.Length > 0)
    {
        Console.Error.WriteLine($"error: unknown option {string.Join(", ", unknown)}");
        return BadUsage();
    }
    var options = new Sb3ConversionOptions
    {
        RequireTraderShapes = !flags.Contains("--any-shape"),
        IncludeActionOutput = !flags.Contains("--no-action-output"),
    };
    var model = Sb3OnnxConverter.Convert(zip, onnx, options);
    var output = Path.GetFullPath(onnx);
    Console.WriteLine($"read    {model.Source}");
    Console.WriteLine($"model   {model.Describe()}");
    Console.WriteLine($"wrote   {output} ({new FileInfo(output).Length:N0} bytes): input 'obs' [1, {model.ObservationLength}] float32 → 'logits' [1, {model.ActionCount}]{(options.IncludeActionOutput ? ", 'action' [1] int64" : "")}");

    if (model.LastObservation is { } last)
    {
        // Check: the written file, run by ONNX Runtime, against the C# forward pass on the zip's stored _last_obs.
        var expected = new float[model.ActionCount];
        model.Network.Forward(last, expected);
        if (model.ObservationLength == ObservationLayout.Length && PolicyActions.IsSupportedCount(model.ActionCount))
        {
            using var policy = OnnxPolicy.Load(output);
            var decision = policy.Decide(last, DecisionContext.Flat("CHECK"));
            float maxDiff = 0;
            for (int i = 0; i < expected.Length; i++) maxDiff = MathF.Max(maxDiff, MathF.Abs(expected[i] - decision.Logits[i]));
            Console.WriteLine($"check   stored _last_obs → logits [{Format(decision.Logits)}] → action {decision.Action} ({PolicyActions.NameOf(decision.Action, policy.ActionCount)}); max |ONNX − C#| = {maxDiff:G3}");
        }
        else
        {
            Console.WriteLine($"check   stored _last_obs → logits [{Format(expected)}] (C# forward pass)");
        }
    }
    else
    {
        Console.WriteLine($"check   skipped: {model.LastObservationNote}");
    }
    return 0;
}

static int Decide(string onnx, string values)
{
    var parts = values.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    var obs = new float[parts.Length];
    for (int i = 0; i < parts.Length; i++)
    {
        if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out obs[i]))
        {
            Console.Error.WriteLine($"error: observation value {i} '{parts[i]}' is not a number");
            return 2;
        }
    }
    if (obs.Length != ObservationLayout.Length)
    {
        Console.Error.WriteLine($"error: an observation has {ObservationLayout.Length} values; got {obs.Length}");
        return 2;
    }
    using var policy = OnnxPolicy.Load(onnx);
    var decision = policy.Decide(obs, DecisionContext.Flat("CLI"));
    if (policy.HasLogits) Console.WriteLine($"logits  [{Format(decision.Logits)}]");
    Console.WriteLine($"action  {decision.Action} ({PolicyActions.NameOf(decision.Action, policy.ActionCount)})");
    return 0;
}

static string Format(ReadOnlySpan<float> values)
{
    var parts = new string[values.Length];
    for (int i = 0; i < values.Length; i++) parts[i] = values[i].ToString("F4", CultureInfo.InvariantCulture);
    return string.Join(", ", parts);
}

static int Help()
{
    Console.WriteLine(Usage);
    return 0;
}

static int BadUsage()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
