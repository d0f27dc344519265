using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trader.Core.Observations;
using Trader.Policy.Heuristics;
using Trader.Policy.Networks;

namespace Trader.Policy.Onnx;

/// <summary>
/// A policy backed by an ONNX model run with Microsoft.ML.OnnxRuntime.
/// <para>
/// <b>Model contract</b> (checked when the model loads; a mismatch is a <see cref="PolicyModelException"/> naming the
/// file, the expected and the found shapes/types): exactly one input, float32, shape <c>[1, 52]</c> (a symbolic batch
/// dimension is accepted and bound to 1); and either a float32 logits output <c>[1, n]</c> with n = 5 or 21 — the
/// action is its argmax, the first index on ties — or an int64 action output (<c>[1]</c> or <c>[1, 1]</c>) whose value
/// must lie in [0, n). When a model has both, the logits are used. A missing or unreadable file is a
/// <see cref="PolicyModelException"/> naming the path.
/// </para>
/// <para>
/// <b>No allocation per decision</b>: the input and output tensors are <see cref="OrtValue"/>s over arrays allocated
/// once and bound once through an <see cref="OrtIoBinding"/>; <see cref="Decide"/> copies the observation into the
/// input array, runs the bound session and reads the output array.
/// </para>
/// <para>
/// <b>Thread-safety</b>: an instance is <em>not</em> thread-safe — its buffers are shared by every call. Use one
/// instance per decision actor (or serialize calls). Dispose it to release the native session.
/// </para>
/// </summary>
public sealed class OnnxPolicy : IPolicy, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtIoBinding _binding;
    private readonly float[] _input = new float[ObservationLayout.Length];
    private readonly OrtValue _inputValue;
    private readonly float[]? _logits;
    private readonly long[]? _action;
    private readonly OrtValue _outputValue;
    private bool _disposed;

    private OnnxPolicy(InferenceSession session, string source, OnnxPolicyOptions options)
    {
        _session = session;
        Source = source;
        var inputName = CheckInput(session, source);
        var output = ChooseOutput(session, source, options);
        OutputName = output.Name;

        _runOptions = new RunOptions();
        _binding = session.CreateIoBinding();
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, ObservationLayout.Length]);
        _binding.BindInput(inputName, _inputValue);
        if (output.IsLogits)
        {
            ActionCount = output.Width;
            _logits = new float[output.Width];
            _outputValue = OrtValue.CreateTensorValueFromMemory(_logits, output.Rank == 2 ? [1, output.Width] : [output.Width]);
        }
        else
        {
            ActionCount = options.ActionCount ?? ActionCountFromMetadata(session, source) ?? PolicyActions.SimpleCount;
            if (!PolicyActions.IsSupportedCount(ActionCount))
                throw new PolicyModelException($"ONNX model '{source}': action count {ActionCount} is not supported; expected {PolicyActions.SimpleCount} or {PolicyActions.SizedCount}");
            _action = new long[1];
            _outputValue = OrtValue.CreateTensorValueFromMemory(_action, output.Rank == 2 ? [1, 1] : [1]);
        }
        _binding.BindOutput(output.Name, _outputValue);
        Name = $"onnx({Path.GetFileName(source)})";
    }

    /// <summary>Loads the model at <paramref name="path"/>.</summary>
    /// <exception cref="PolicyModelException">The file is missing, unreadable, not an ONNX model, or has the wrong inputs/outputs.</exception>
    public static OnnxPolicy Load(string path, OnnxPolicyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new PolicyModelException($"ONNX model '{full}' not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyModelException($"ONNX model '{full}' cannot be read: {ex.Message}", ex);
        }
        return FromBytes(bytes, full, options);
    }

    /// <summary>Loads a model from its bytes; <paramref name="source"/> names it in errors and in <see cref="Name"/>.</summary>
    public static OnnxPolicy FromBytes(byte[] model, string source, OnnxPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        options ??= new OnnxPolicyOptions();
        if (options.IntraOpThreads < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.IntraOpThreads, "IntraOpThreads must be at least 1");
        if (model.Length == 0)
            throw new PolicyModelException($"ONNX model '{source}' is empty (0 bytes)");

        InferenceSession session;
        using (var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        })
        {
            try
            {
                session = new InferenceSession(model, sessionOptions);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new PolicyModelException($"ONNX model '{source}' could not be loaded (corrupt or not an ONNX model?): {ex.Message}", ex);
            }
        }

        try
        {
            return new OnnxPolicy(session, source, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int ActionCount { get; }

    /// <summary>Where the model came from (the full path, or the name given to <see cref="FromBytes"/>).</summary>
    public string Source { get; }

    /// <summary>The output the decisions are read from.</summary>
    public string OutputName { get; }

    /// <summary>True when the model gives logits (the decision carries them); false for an action-index model.</summary>
    public bool HasLogits => _logits is not null;

    /// <summary>The model's custom metadata (e.g. <c>trader.action_count</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The observation does not have 52 values.</exception>
    /// <exception cref="PolicyModelException">An action-index model returned an index outside [0, ActionCount).</exception>
    public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObservationGuard.CheckLength(observation);
        observation.CopyTo(_input);
        _session.RunWithBinding(_runOptions, _binding);
        if (_logits is not null)
        {
            return new PolicyDecision(MlpNetwork.ArgMax(_logits), _logits);
        }
        long action = _action![0];
        if ((ulong)action >= (ulong)ActionCount)
            throw new PolicyModelException($"ONNX model '{Source}' returned action {action}, outside [0, {ActionCount - 1}]");
        return new PolicyDecision((int)action);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static string CheckInput(InferenceSession session, string source)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1)
            throw new PolicyModelException($"ONNX model '{source}': expected exactly one input (float32 [1, {ObservationLayout.Length}]); found {inputs.Count}: {Describe(inputs)}");
        var (name, meta) = inputs.First();
        bool ok = meta.IsTensor && meta.ElementDataType == TensorElementType.Float
            && meta.Dimensions.Length == 2 && IsOneOrSymbolic(meta.Dimensions[0]) && meta.Dimensions[1] == ObservationLayout.Length;
        if (!ok)
            throw new PolicyModelException($"ONNX model '{source}': input '{name}' must be float32 [1, {ObservationLayout.Length}]; found {Describe(meta)}");
        return name;
    }

    private readonly record struct OutputChoice(string Name, bool IsLogits, int Width, int Rank);

    private static OutputChoice ChooseOutput(InferenceSession session, string source, OnnxPolicyOptions options)
    {
        var outputs = session.OutputMetadata;
        string expected = $"float32 logits [1, {PolicyActions.SimpleCount} or {PolicyActions.SizedCount}] or an int64 action [1] / [1, 1]";
        if (options.OutputName is { } wanted)
        {
            if (!outputs.TryGetValue(wanted, out var meta))
                throw new PolicyModelException($"ONNX model '{source}' has no output '{wanted}'; its outputs are {Describe(outputs)}");
            return Classify(wanted, meta) ?? throw new PolicyModelException(
                $"ONNX model '{source}': output '{wanted}' must be {expected}; found {Describe(meta)}");
        }

        OutputChoice? logits = null, action = null;
        foreach (var (name, meta) in outputs)
        {
            var choice = Classify(name, meta);
            if (choice is { IsLogits: true } && logits is null) logits = choice;
            if (choice is { IsLogits: false } && action is null) action = choice;
        }
        return logits ?? action ?? throw new PolicyModelException(
            $"ONNX model '{source}': expected an output that is {expected}; found {Describe(outputs)}");
    }

    private static OutputChoice? Classify(string name, NodeMetadata meta)
    {
        if (!meta.IsTensor) return null;
        var dims = meta.Dimensions;
        if (meta.ElementDataType == TensorElementType.Float && dims.Length == 2 && IsOneOrSymbolic(dims[0])
            && PolicyActions.IsSupportedCount(dims[1]))
            return new OutputChoice(name, true, dims[1], 2);
        if (meta.ElementDataType == TensorElementType.Int64
            && ((dims.Length == 1 && IsOneOrSymbolic(dims[0])) || (dims.Length == 2 && IsOneOrSymbolic(dims[0]) && dims[1] == 1)))
            return new OutputChoice(name, false, 1, dims.Length);
        return null;
    }

    private static int? ActionCountFromMetadata(InferenceSession session, string source)
    {
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(MlpOnnxExporter.ActionCountKey, out var text)) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)) return count;
        throw new PolicyModelException($"ONNX model '{source}': metadata {MlpOnnxExporter.ActionCountKey} = '{text}' is not a number");
    }

    private static bool IsOneOrSymbolic(int dim) => dim == 1 || dim < 0;

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> values) =>
        values.Count == 0 ? "none" : string.Join(", ", values.Select(kv => $"'{kv.Key}' {Describe(kv.Value)}"));

    private static string Describe(NodeMetadata meta)
    {
        if (!meta.IsTensor) return meta.OnnxValueType.ToString();
        var dims = meta.Dimensions.Select((d, i) =>
            d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
                : (meta.SymbolicDimensions.Length > i && !string.IsNullOrEmpty(meta.SymbolicDimensions[i]) ? meta.SymbolicDimensions[i] : "?"));
        return $"{TypeName(meta.ElementDataType)} [{string.Join(", ", dims)}]";
    }

    private static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Float16 => "float16",
        _ => type.ToString().ToLowerInvariant(),
    };
}
