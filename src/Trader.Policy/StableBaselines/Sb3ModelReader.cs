using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trader.Policy.Networks;

namespace Trader.Policy.StableBaselines;

/// <summary>
/// Reads a Stable-Baselines3 model zip (as written by <c>model.save()</c> of PPO or A2C with an MLP policy) without
/// Python:
/// <list type="bullet">
/// <item><c>data</c> (JSON): the policy class (its pickled reference, decoded by the safe <see cref="PickleReader"/>),
/// <c>policy_kwargs</c> (<c>activation_fn</c>, <c>features_extractor_class</c>), <c>use_sde</c>, the observation space
/// (a one-dimensional <c>Box</c>), the action space (<c>Discrete(n)</c> starting at 0) and <c>_last_obs</c>;</item>
/// <item><c>policy.pth</c> (a PyTorch zip, read by <see cref="TorchStateDict"/>): the tensors
/// <c>mlp_extractor.policy_net.&lt;i&gt;.weight/bias</c> (and <c>mlp_extractor.shared_net.*</c> of SB3 &lt; 1.8) and
/// <c>action_net.weight/bias</c>, found by name with their shapes, so any layer widths convert.</item>
/// </list>
/// Anything else — continuous or multi-discrete actions, image or dict observations, custom feature extractors,
/// activations other than tanh and ReLU, recurrent or other policy classes — is refused with a
/// <see cref="PolicyModelException"/> that says what was found. Observation normalization (VecNormalize) lives in a
/// separate file SB3 does not put in the zip; a model trained with it needs its inputs normalized the same way.
/// </summary>
public static partial class Sb3ModelReader
{
    private const string SupportedPolicyModule = "stable_baselines3.common.policies";
    private const string SupportedPolicyClass = "ActorCriticPolicy";

    public static Sb3PolicyModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new PolicyModelException($"Stable-Baselines3 model '{full}' not found");
        using var stream = File.OpenRead(full);
        return Read(stream, full);
    }

    public static Sb3PolicyModel Read(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new PolicyModelException($"'{source}' is not a Stable-Baselines3 model zip: {ex.Message}", ex);
        }
        using (zip)
        {
            var dataEntry = zip.GetEntry("data") ?? throw new PolicyModelException($"'{source}' is not a Stable-Baselines3 model zip: it has no 'data' entry");
            var policyEntry = zip.GetEntry("policy.pth") ?? throw new PolicyModelException($"'{source}' is not a Stable-Baselines3 model zip: it has no 'policy.pth' entry");
            string? version = zip.GetEntry("_stable_baselines3_version") is { } v ? System.Text.Encoding.UTF8.GetString(TorchStateDict.ReadBytes(v)).Trim() : null;

            JsonDocument data;
            try
            {
                data = JsonDocument.Parse(TorchStateDict.ReadBytes(dataEntry));
            }
            catch (JsonException ex)
            {
                throw new PolicyModelException($"'{source}': the 'data' entry is not valid JSON: {ex.Message}", ex);
            }

            using (data)
            {
                var root = data.RootElement;
                var policyClass = ReadPolicyClass(root, source);
                var activation = ReadActivation(root, source);
                int observationLength = ReadObservationLength(root, source);
                int actionCount = ReadActionCount(root, source);
                if (root.TryGetProperty("use_sde", out var sde) && sde.ValueKind == JsonValueKind.True)
                    throw new PolicyModelException($"'{source}': the model uses generalized state-dependent exploration (use_sde), which only continuous actions have; cannot convert");

                TorchStateDict state;
                using (var pth = new MemoryStream(TorchStateDict.ReadBytes(policyEntry)))
                {
                    state = TorchStateDict.Read(pth, $"'{source}' policy.pth");
                }
                var network = ReadNetwork(state, source, observationLength, actionCount, activation);
                var (lastObs, note) = ReadLastObservation(root, observationLength);

                return new Sb3PolicyModel
                {
                    Source = source,
                    Sb3Version = version,
                    PolicyClass = policyClass,
                    ObservationLength = observationLength,
                    ActionCount = actionCount,
                    Network = network,
                    LastObservation = lastObs,
                    LastObservationNote = note,
                    Tensors = state.Keys.Select(k => (k, state[k].ShapeText)).ToArray(),
                };
            }
        }
    }

    private static string ReadPolicyClass(JsonElement root, string source)
    {
        if (!root.TryGetProperty("policy_class", out var element) || element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty(":serialized:", out var serialized) || serialized.ValueKind != JsonValueKind.String)
            throw new PolicyModelException($"'{source}': 'data' does not record the policy class (policy_class)");
        object? value;
        try
        {
            value = new PickleReader().Read(Convert.FromBase64String(serialized.GetString()!));
        }
        catch (Exception ex) when (ex is PickleFormatException or FormatException)
        {
            throw new PolicyModelException($"'{source}': the policy class cannot be read: {ex.Message}", ex);
        }
        if (value is not PickleGlobal global)
            throw new PolicyModelException($"'{source}': the policy class is {PickleReader.Describe(value)}, not a class reference");
        if (global.Module != SupportedPolicyModule || global.Name != SupportedPolicyClass)
            throw new PolicyModelException($"'{source}': policy class {global} cannot be converted; only {SupportedPolicyModule}.{SupportedPolicyClass} (PPO/A2C \"MlpPolicy\") is supported");
        return global.ToString();
    }

    private static HiddenActivation ReadActivation(JsonElement root, string source)
    {
        if (!root.TryGetProperty("policy_kwargs", out var kwargs) || kwargs.ValueKind != JsonValueKind.Object) return HiddenActivation.Tanh;

        if (kwargs.TryGetProperty("features_extractor_class", out var extractor))
        {
            var name = ClassName(extractor);
            if (name != "FlattenExtractor")
                throw new PolicyModelException($"'{source}': features_extractor_class {extractor} cannot be converted; only the default FlattenExtractor is supported");
        }
        if (kwargs.TryGetProperty("squash_output", out var squash) && squash.ValueKind == JsonValueKind.True)
            throw new PolicyModelException($"'{source}': squash_output is set (continuous actions); cannot convert");

        if (!kwargs.TryGetProperty("activation_fn", out var activation)) return HiddenActivation.Tanh;
        return ClassName(activation) switch
        {
            "Tanh" => HiddenActivation.Tanh,
            "ReLU" => HiddenActivation.Relu,
            _ => throw new PolicyModelException($"'{source}': activation_fn {activation} cannot be converted; supported: torch.nn.Tanh (the default) and torch.nn.ReLU"),
        };
    }

    /// <summary>"&lt;class 'torch.nn.modules.activation.ReLU'&gt;" → "ReLU".</summary>
    private static string? ClassName(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String) return null;
        var match = ClassRepr().Match(element.GetString()!);
        return match.Success ? match.Groups[1].Value.Split('.')[^1] : null;
    }

    [GeneratedRegex(@"^<class '([\w.]+)'>$")]
    private static partial Regex ClassRepr();

    private static int ReadObservationLength(JsonElement root, string source)
    {
        var space = Space(root, "observation_space", source);
        var type = space.TryGetProperty(":type:", out var t) ? t.GetString() ?? "" : "";
        if (!type.Contains("spaces.box.Box", StringComparison.Ordinal))
            throw new PolicyModelException($"'{source}': the observation space is {type}; only a one-dimensional Box of floats can be converted");
        if (!space.TryGetProperty("_shape", out var shape) || shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() != 1)
            throw new PolicyModelException($"'{source}': the observation space's shape is {(space.TryGetProperty("_shape", out var s) ? s.GetRawText() : "missing")}; only one-dimensional observations can be converted");
        var dtype = space.TryGetProperty("dtype", out var d) ? d.GetString() : null;
        if (dtype is not ("float32" or "float64"))
            throw new PolicyModelException($"'{source}': the observation space's dtype is {dtype ?? "missing"}; only float32/float64 observations can be converted");
        return shape[0].GetInt32();
    }

    private static int ReadActionCount(JsonElement root, string source)
    {
        var space = Space(root, "action_space", source);
        var type = space.TryGetProperty(":type:", out var t) ? t.GetString() ?? "" : "";
        if (!type.Contains("spaces.discrete.Discrete", StringComparison.Ordinal))
            throw new PolicyModelException($"'{source}': the action space is {type}; only Discrete action spaces can be converted");
        int n = IntOf(space, "n", source);
        if (space.TryGetProperty("start", out _) && IntOf(space, "start", source) != 0)
            throw new PolicyModelException($"'{source}': the Discrete action space starts at {IntOf(space, "start", source)}; only spaces starting at 0 can be converted");
        if (n < 1) throw new PolicyModelException($"'{source}': the action space has {n} actions");
        return n;
    }

    private static JsonElement Space(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out var space) && space.ValueKind == JsonValueKind.Object
            ? space
            : throw new PolicyModelException($"'{source}': 'data' does not describe the {name.Replace('_', ' ')}");

    private static int IntOf(JsonElement space, string name, string source)
    {
        if (space.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)) return n;
            if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        }
        throw new PolicyModelException($"'{source}': the action space's '{name}' is missing or not an integer");
    }

    private static MlpNetwork ReadNetwork(TorchStateDict state, string source, int observationLength, int actionCount, HiddenActivation activation)
    {
        if (state.Contains("log_std"))
            throw new PolicyModelException($"'{source}': policy.pth has log_std (a continuous-action policy); cannot convert");
        var extractorTensor = state.Keys.FirstOrDefault(k => k.StartsWith("features_extractor.", StringComparison.Ordinal) || k.StartsWith("pi_features_extractor.", StringComparison.Ordinal));
        if (extractorTensor is not null)
            throw new PolicyModelException($"'{source}': policy.pth has feature-extractor weights ('{extractorTensor}'); only the parameter-free FlattenExtractor is supported");

        var layers = new List<DenseLayer>();
        int inputs = observationLength;
        foreach (var prefix in new[] { "mlp_extractor.shared_net.", "mlp_extractor.policy_net." })
        {
            foreach (var index in LayerIndices(state, prefix, source))
            {
                var layer = Linear(state, $"{prefix}{index}", inputs, source);
                layers.Add(layer);
                inputs = layer.OutputSize;
            }
        }
        var head = Linear(state, "action_net", inputs, source);
        if (head.OutputSize != actionCount)
            throw new PolicyModelException($"'{source}': action_net has {head.OutputSize} outputs but the action space is Discrete({actionCount})");
        return new MlpNetwork(layers, head, activation);
    }

    /// <summary>The indices of a Sequential's Linear layers, checked to alternate with (parameter-free) activations: 0, 2, 4, ….</summary>
    private static List<int> LayerIndices(TorchStateDict state, string prefix, string source)
    {
        var indices = new SortedSet<int>();
        foreach (var key in state.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = key[prefix.Length..].Split('.');
            if (rest.Length != 2 || !int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || rest[1] is not ("weight" or "bias"))
                throw new PolicyModelException($"'{source}': unexpected tensor '{key}' in {prefix.TrimEnd('.')}; only Linear layers followed by an activation can be converted");
            indices.Add(index);
        }
        var list = indices.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] != 2 * i)
                throw new PolicyModelException($"'{source}': {prefix.TrimEnd('.')} has layers at indices [{string.Join(", ", list)}]; expected Linear layers at 0, 2, 4, … each followed by the activation");
        }
        return list;
    }

    private static DenseLayer Linear(TorchStateDict state, string name, int inputs, string source)
    {
        string w = name + ".weight", b = name + ".bias";
        if (!state.Contains(w)) throw new PolicyModelException($"'{source}': policy.pth has no tensor '{w}'; its tensors are {string.Join(", ", state.Keys)}");
        if (!state.Contains(b)) throw new PolicyModelException($"'{source}': policy.pth has no tensor '{b}' (a Linear layer without bias is not supported)");
        var weight = state[w];
        var bias = state[b];
        if (weight.Shape.Count != 2 || weight.Shape[1] != inputs)
            throw new PolicyModelException($"'{source}': '{w}' has shape {weight.ShapeText}; expected [n, {inputs}]");
        int outputs = checked((int)weight.Shape[0]);
        if (bias.Shape.Count != 1 || bias.Shape[0] != outputs)
            throw new PolicyModelException($"'{source}': '{b}' has shape {bias.ShapeText}; expected [{outputs}]");
        return new DenseLayer(inputs, outputs, state.GetFloat32(w), state.GetFloat32(b));
    }

    private static (float[]?, string?) ReadLastObservation(JsonElement root, int observationLength)
    {
        if (!root.TryGetProperty("_last_obs", out var element) || element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty(":serialized:", out var serialized) || serialized.ValueKind != JsonValueKind.String)
            return (null, "the zip stores no _last_obs");
        try
        {
            var value = new PickleReader(NumpyArray.Callables).Read(Convert.FromBase64String(serialized.GetString()!));
            if (value is not NumpyArray array) return (null, $"_last_obs is {PickleReader.Describe(value)}, not an array");
            var values = array.ToFloat32();
            if (values.Length < observationLength || values.Length % observationLength != 0)
                return (null, $"_last_obs has {values.Length} values, not a multiple of {observationLength}");
            return (values[..observationLength], null);
        }
        catch (Exception ex) when (ex is PickleFormatException or FormatException)
        {
            return (null, $"_last_obs cannot be decoded: {ex.Message}");
        }
    }
}
