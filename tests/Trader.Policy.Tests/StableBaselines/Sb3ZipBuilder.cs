using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Trader.Policy.Networks;

namespace Trader.Policy.Tests.StableBaselines;

/// <summary>
/// Builds a Stable-Baselines3-style model zip in memory, for tests: a <c>data</c> JSON file like SB3 writes, and a
/// <c>policy.pth</c> PyTorch zip whose <c>archive/data.pkl</c> is written opcode by opcode the way torch.save does
/// (protocol 2, an OrderedDict of <c>_rebuild_tensor_v2</c> calls with persistent storage ids) and whose storages
/// are raw little-endian float32.
/// </summary>
internal sealed class Sb3ZipBuilder
{
    private readonly List<(string Name, long[] Shape, float[] Values)> _tensors = [];

    public string PolicyModule { get; set; } = "stable_baselines3.common.policies";
    public string PolicyClass { get; set; } = "ActorCriticPolicy";
    public string? ActivationRepr { get; set; }
    public string? FeaturesExtractorRepr { get; set; }
    public int ObservationLength { get; set; } = 52;
    public string ObservationType { get; set; } = "<class 'gymnasium.spaces.box.Box'>";
    public string ActionType { get; set; } = "<class 'gymnasium.spaces.discrete.Discrete'>";
    public int ActionCount { get; set; } = 5;
    public bool UseSde { get; set; }
    public float[]? LastObservation { get; set; }
    public bool IncludePolicy { get; set; } = true;

    public Sb3ZipBuilder Tensor(string name, float[] values, params long[] shape)
    {
        _tensors.Add((name, shape, values));
        return this;
    }

    /// <summary>The tensors an SB3 ActorCriticPolicy saves for an actor network, plus a value network of the same shape.</summary>
    public static Sb3ZipBuilder ForNetwork(MlpNetwork net)
    {
        var builder = new Sb3ZipBuilder { ObservationLength = net.InputSize, ActionCount = net.OutputSize };
        if (net.Activation == HiddenActivation.Relu) builder.ActivationRepr = "<class 'torch.nn.modules.activation.ReLU'>";
        for (int i = 0; i < net.Hidden.Count; i++)
        {
            var l = net.Hidden[i];
            builder.Tensor($"mlp_extractor.policy_net.{2 * i}.weight", l.Weights, l.OutputSize, l.InputSize);
            builder.Tensor($"mlp_extractor.policy_net.{2 * i}.bias", l.Bias, l.OutputSize);
        }
        for (int i = 0; i < net.Hidden.Count; i++)
        {
            var l = net.Hidden[i];
            builder.Tensor($"mlp_extractor.value_net.{2 * i}.weight", l.Weights.Select(v => -v).ToArray(), l.OutputSize, l.InputSize);
            builder.Tensor($"mlp_extractor.value_net.{2 * i}.bias", l.Bias, l.OutputSize);
        }
        builder.Tensor("action_net.weight", net.Output.Weights, net.Output.OutputSize, net.Output.InputSize);
        builder.Tensor("action_net.bias", net.Output.Bias, net.Output.OutputSize);
        int last = net.Output.InputSize;
        builder.Tensor("value_net.weight", new float[last], 1, last);
        builder.Tensor("value_net.bias", [0.5f], 1);
        return builder;
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "data", Encoding.UTF8.GetBytes(DataJson()));
            if (IncludePolicy) Write(zip, "policy.pth", PolicyPth());
            Write(zip, "_stable_baselines3_version", "2.7.1"u8.ToArray());
            Write(zip, "system_info.txt", "- Stable-Baselines3: 2.7.1\n"u8.ToArray());
        }
        return buffer.ToArray();
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToArray());
        return path;
    }

    private string DataJson()
    {
        var policyClass = new PickleBuilder().Proto(5).StackGlobal(PolicyModule, PolicyClass).Memoize().Stop().ToArray();
        var data = new Dictionary<string, object?>
        {
            ["policy_class"] = new Dictionary<string, object?>
            {
                [":type:"] = "<class 'abc.ABCMeta'>",
                [":serialized:"] = Convert.ToBase64String(policyClass),
                ["__module__"] = PolicyModule,
            },
            ["verbose"] = 1,
            ["policy_kwargs"] = PolicyKwargs(),
            ["num_timesteps"] = 2048,
            ["use_sde"] = UseSde,
            ["observation_space"] = new Dictionary<string, object?>
            {
                [":type:"] = ObservationType,
                [":serialized:"] = "AA==",
                ["dtype"] = "float32",
                ["_shape"] = new[] { ObservationLength },
                ["low_repr"] = "-inf",
                ["high_repr"] = "inf",
            },
            ["action_space"] = new Dictionary<string, object?>
            {
                [":type:"] = ActionType,
                [":serialized:"] = "AA==",
                ["dtype"] = "int64",
                ["n"] = ActionCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["start"] = "0",
                ["_shape"] = Array.Empty<int>(),
            },
            ["n_envs"] = 1,
        };
        if (LastObservation is { } obs)
        {
            data["_last_obs"] = new Dictionary<string, object?>
            {
                [":type:"] = "<class 'numpy.ndarray'>",
                [":serialized:"] = Convert.ToBase64String(NumpyPickle(obs)),
            };
        }
        return JsonSerializer.Serialize(data, new JsonSerializerOptions { WriteIndented = true });
    }

    private object PolicyKwargs()
    {
        if (ActivationRepr is null && FeaturesExtractorRepr is null) return new Dictionary<string, object?>();
        var kwargs = new Dictionary<string, object?>
        {
            [":type:"] = "<class 'dict'>",
            [":serialized:"] = Convert.ToBase64String(new PickleBuilder().Proto(5).EmptyDict().Stop().ToArray()),
        };
        if (ActivationRepr is not null) kwargs["activation_fn"] = ActivationRepr;
        if (FeaturesExtractorRepr is not null) kwargs["features_extractor_class"] = FeaturesExtractorRepr;
        return kwargs;
    }

    /// <summary>A float32 array of shape [1, n] as cloudpickle (protocol 5) writes it.</summary>
    internal static byte[] NumpyPickle(float[] values)
    {
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        return new PickleBuilder().Proto(5)
            .StackGlobal("numpy._core.numeric", "_frombuffer").Memoize()
            .Mark()
                .ByteArray8(raw).Memoize()
                .StackGlobal("numpy", "dtype").Memoize()
                .ShortStr("f4").Memoize().Bool(false).Bool(true).Tuple3().Memoize().Reduce().Memoize()
                .Mark().Int(3).ShortStr("<").Memoize().None().None().None().Int(-1).Int(-1).Int(0).Tuple().Memoize().Build()
                .Int(1).Int(values.Length).Tuple2().Memoize()
                .ShortStr("C").Memoize()
            .Tuple().Memoize()
            .Reduce().Memoize()
            .Stop().ToArray();
    }

    private byte[] PolicyPth()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "archive/data.pkl", StateDictPickle(_tensors.Select((t, i) => (t.Name, t.Shape, i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0L, t.Values.Length))));
            Write(zip, "archive/byteorder", "little"u8.ToArray());
            Write(zip, "archive/version", "3\n"u8.ToArray());
            Write(zip, "archive/.format_version", "1"u8.ToArray());
            for (int i = 0; i < _tensors.Count; i++)
            {
                var values = _tensors[i].Values;
                var raw = new byte[values.Length * 4];
                for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(k * 4), values[k]);
                Write(zip, $"archive/data/{i}", raw);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// An OrderedDict state-dict pickle like torch.save writes: one <c>_rebuild_tensor_v2</c> per tensor, with a
    /// persistent id ('storage', torch.FloatStorage, key, 'cpu', numel), contiguous strides, and the memo reused
    /// for the globals as torch does; then the <c>_metadata</c> BUILD.
    /// </summary>
    internal static byte[] StateDictPickle(IEnumerable<(string Name, long[] Shape, string StorageKey, long Offset, int StorageSize)> tensors,
        Func<long[], long[]>? strides = null, string storageType = "FloatStorage")
    {
        var p = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").Put(0).EmptyTuple().Reduce().Put(1).Mark();
        bool first = true;
        foreach (var (name, shape, key, offset, size) in tensors)
        {
            p.Str(name);
            if (first) p.Global("torch._utils", "_rebuild_tensor_v2").Put(3); else p.Get(3);
            p.Mark();
            p.Mark();
            if (first) p.Str("storage").Put(4).Global("torch", storageType).Put(5); else p.Get(4).Get(5);
            p.Str(key);
            if (first) p.Str("cpu").Put(7); else p.Get(7);
            p.Int(size).Tuple().BinPersId();
            p.Int(offset);
            foreach (var d in shape) p.Int(d);
            TupleOf(p, shape.Length);
            foreach (var s in strides?.Invoke(shape) ?? Contiguous(shape)) p.Int(s);
            TupleOf(p, shape.Length);
            p.Bool(false);
            p.Global("collections", "OrderedDict").EmptyTuple().Reduce();
            p.Tuple().Reduce();
            first = false;
        }
        p.SetItems();
        // state_dict._metadata = {'': {'version': 1}}
        p.EmptyDict().Str("_metadata").EmptyDict().Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem().SetItem().Build();
        return p.Stop().ToArray();
    }

    internal static long[] Contiguous(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    private static void TupleOf(PickleBuilder p, int count)
    {
        switch (count)
        {
            case 1: p.Tuple1(); break;
            case 2: p.Tuple2(); break;
            case 3: p.Tuple3(); break;
            default: throw new ArgumentOutOfRangeException(nameof(count));
        }
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        s.Write(bytes);
    }
}
