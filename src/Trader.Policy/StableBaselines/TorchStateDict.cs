using System.Buffers.Binary;
using System.IO.Compression;

namespace Trader.Policy.StableBaselines;

/// <summary>Element types of PyTorch storages this reader can turn into float32.</summary>
public enum TorchDType
{
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Other,
}

/// <summary>A storage a tensor points into: <c>&lt;archive&gt;/data/&lt;Key&gt;</c> in the checkpoint zip.</summary>
public sealed record TorchStorageRef(TorchDType DType, string TypeName, string Key, long ElementCount);

/// <summary>A tensor of a state dict: a strided view of a storage (<c>torch._utils._rebuild_tensor_v2</c>).</summary>
public sealed record TorchTensor(TorchStorageRef Storage, long StorageOffset, IReadOnlyList<long> Shape, IReadOnlyList<long> Stride)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// A PyTorch state dict read from a <c>torch.save</c> zip (such as Stable-Baselines3's <c>policy.pth</c>) without
/// Python: <c>&lt;archive&gt;/data.pkl</c> is read with the safe <see cref="PickleReader"/>, interpreting only
/// <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>, <c>torch._utils._rebuild_parameter</c> and
/// the storage types (<c>torch.FloatStorage</c>, …) named in persistent ids; the tensors' data are the raw
/// little-endian storages <c>&lt;archive&gt;/data/&lt;key&gt;</c>.
/// </summary>
public sealed class TorchStateDict
{
    private readonly Dictionary<string, TorchTensor> _tensors;
    private readonly List<string> _keys;
    private readonly Dictionary<string, byte[]> _storages;
    private readonly string _source;

    private TorchStateDict(string source, List<string> keys, Dictionary<string, TorchTensor> tensors, Dictionary<string, byte[]> storages)
    {
        _source = source;
        _keys = keys;
        _tensors = tensors;
        _storages = storages;
    }

    /// <summary>The tensor names, in the order the checkpoint lists them.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public bool Contains(string key) => _tensors.ContainsKey(key);

    public TorchTensor this[string key] =>
        _tensors.TryGetValue(key, out var t) ? t : throw new PolicyModelException($"{_source}: the state dict has no tensor '{key}'");

    /// <summary>Reads a state dict from a <c>torch.save</c> zip file.</summary>
    public static TorchStateDict Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a state dict from a <c>torch.save</c> zip stream; <paramref name="source"/> names it in errors.</summary>
    public static TorchStateDict Read(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new PolicyModelException($"{source} is not a PyTorch zip checkpoint: {ex.Message}", ex);
        }
        using (zip)
        {
            var pickleEntry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new PolicyModelException($"{source} is not a PyTorch zip checkpoint: it has no <archive>/data.pkl (legacy non-zip torch.save files are not supported)");
            var root = pickleEntry.FullName[..^"data.pkl".Length];

            var byteOrder = zip.GetEntry(root + "byteorder");
            if (byteOrder is not null)
            {
                var order = ReadText(byteOrder).Trim();
                if (order != "little") throw new PolicyModelException($"{source}: storages are '{order}'-endian; only little-endian checkpoints are supported");
            }

            var storages = new Dictionary<string, TorchStorageRef>(StringComparer.Ordinal);
            var reader = new PickleReader(Callables, pid => LoadStorage(pid, storages));
            object? root0;
            try
            {
                root0 = reader.Read(ReadBytes(pickleEntry));
            }
            catch (PickleFormatException ex)
            {
                throw new PolicyModelException($"{source}: {pickleEntry.FullName} cannot be read: {ex.Message}", ex);
            }
            if (root0 is not PickleDict dict)
                throw new PolicyModelException($"{source}: {pickleEntry.FullName} holds {PickleReader.Describe(root0)}, not a state dict");

            var keys = new List<string>();
            var tensors = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
            foreach (var (key, value) in dict.Items)
            {
                if (key is not string name) throw new PolicyModelException($"{source}: a state-dict key is {PickleReader.Describe(key)}, not a string");
                if (value is not TorchTensor tensor) throw new PolicyModelException($"{source}: state-dict entry '{name}' is {PickleReader.Describe(value)}, not a tensor");
                keys.Add(name);
                tensors[name] = tensor;
            }

            var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var storage in storages.Values)
            {
                var entry = zip.GetEntry(root + "data/" + storage.Key)
                    ?? throw new PolicyModelException($"{source}: storage '{storage.Key}' ({root}data/{storage.Key}) is missing from the checkpoint");
                data[storage.Key] = ReadBytes(entry);
            }
            return new TorchStateDict(source, keys, tensors, data);
        }
    }

    /// <summary>
    /// The tensor's values as float32, in row-major order of its shape (strides and storage offset applied).
    /// Float64, float16 and bfloat16 storages are converted; integer storages are refused.
    /// </summary>
    public float[] GetFloat32(string key)
    {
        var tensor = this[key];
        var storage = tensor.Storage;
        int size = storage.DType switch
        {
            TorchDType.Float32 => 4,
            TorchDType.Float64 => 8,
            TorchDType.Float16 or TorchDType.BFloat16 => 2,
            _ => throw new PolicyModelException($"{_source}: tensor '{key}' is stored as {storage.TypeName}; only floating-point tensors can be converted"),
        };
        var bytes = _storages[storage.Key];
        if (bytes.LongLength < storage.ElementCount * size)
            throw new PolicyModelException($"{_source}: storage '{storage.Key}' has {bytes.LongLength} bytes; {storage.TypeName} of {storage.ElementCount} elements needs {storage.ElementCount * size}");

        var shape = tensor.Shape;
        var stride = tensor.Stride;
        if (stride.Count != shape.Count)
            throw new PolicyModelException($"{_source}: tensor '{key}' has shape {tensor.ShapeText} but {stride.Count} strides");
        long count = tensor.ElementCount;
        if (count > int.MaxValue) throw new PolicyModelException($"{_source}: tensor '{key}' is too large ({count} elements)");

        long maxIndex = tensor.StorageOffset;
        for (int d = 0; d < shape.Count; d++)
        {
            if (shape[d] < 0 || stride[d] < 0) throw new PolicyModelException($"{_source}: tensor '{key}' has a negative size or stride");
            if (shape[d] > 0) maxIndex += (shape[d] - 1) * stride[d];
        }
        if (count > 0 && (tensor.StorageOffset < 0 || maxIndex >= storage.ElementCount))
            throw new PolicyModelException($"{_source}: tensor '{key}' {tensor.ShapeText} reaches element {maxIndex} of a storage of {storage.ElementCount}");

        var values = new float[count];
        var index = new long[shape.Count];
        for (long n = 0; n < count; n++)
        {
            long offset = tensor.StorageOffset;
            for (int d = 0; d < shape.Count; d++) offset += index[d] * stride[d];
            values[n] = ReadElement(bytes, offset, storage.DType);
            for (int d = shape.Count - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return values;
    }

    private static float ReadElement(byte[] bytes, long index, TorchDType dtype)
    {
        switch (dtype)
        {
            case TorchDType.Float32:
                return BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(index * 4), 4));
            case TorchDType.Float64:
                return (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(index * 8), 8));
            case TorchDType.Float16:
                return (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan((int)(index * 2), 2));
            default: // BFloat16: the upper half of a float32
                return BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)(index * 2), 2)) << 16);
        }
    }

    private static readonly IReadOnlyDictionary<PickleGlobal, Func<PickleTuple, object?>> Callables =
        new Dictionary<PickleGlobal, Func<PickleTuple, object?>>
        {
            [new("torch._utils", "_rebuild_tensor_v2")] = RebuildTensor,
            [new("torch._utils", "_rebuild_parameter")] = args =>
                args.Count >= 1 && args[0] is TorchTensor t ? t : throw new PickleFormatException("torch._utils._rebuild_parameter expects a tensor as its first argument"),
        };

    private static object RebuildTensor(PickleTuple args)
    {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.Count < 4) throw new PickleFormatException($"torch._utils._rebuild_tensor_v2 called with {args.Count} arguments; expected at least 4");
        var storage = args[0] as TorchStorageRef ?? throw new PickleFormatException("torch._utils._rebuild_tensor_v2: the first argument is not a storage");
        var offset = args[1] as long? ?? throw new PickleFormatException("torch._utils._rebuild_tensor_v2: the storage offset is not an integer");
        return new TorchTensor(storage, offset, Longs(args[2], "size"), Longs(args[3], "stride"));
    }

    private static long[] Longs(object? value, string what)
    {
        if (value is not PickleTuple tuple) throw new PickleFormatException($"torch._utils._rebuild_tensor_v2: {what} is not a tuple");
        return tuple.Items.Select(v => v as long? ?? throw new PickleFormatException($"torch._utils._rebuild_tensor_v2: {what} holds a non-integer")).ToArray();
    }

    private static TorchStorageRef LoadStorage(object? pid, Dictionary<string, TorchStorageRef> storages)
    {
        // ('storage', torch.FloatStorage, '<key>', '<location>', <numel>)
        if (pid is not PickleTuple { Count: 5 } t || t[0] as string != "storage" || t[1] is not PickleGlobal type || t[2] is not string key || t[4] is not long numel)
            throw new PickleFormatException($"unexpected persistent id {PickleReader.Describe(pid)}; expected ('storage', <type>, <key>, <location>, <count>)");
        if (type.Module != "torch")
            throw new PickleFormatException($"storage type {type} is not a torch storage");
        var dtype = type.Name switch
        {
            "FloatStorage" => TorchDType.Float32,
            "DoubleStorage" => TorchDType.Float64,
            "HalfStorage" => TorchDType.Float16,
            "BFloat16Storage" => TorchDType.BFloat16,
            "LongStorage" => TorchDType.Int64,
            "IntStorage" => TorchDType.Int32,
            _ => TorchDType.Other,
        };
        if (key.Contains('/') || key.Contains('\\') || key.Contains(".."))
            throw new PickleFormatException($"storage key '{key}' is not a plain name");
        if (storages.TryGetValue(key, out var existing)) return existing;
        var storage = new TorchStorageRef(dtype, type.ToString(), key, numel);
        storages[key] = storage;
        return storage;
    }

    /// <summary>The largest zip entry read (a guard against a corrupt or hostile size).</summary>
    internal const long MaxEntryBytes = 1L << 30;

    internal static byte[] ReadBytes(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxEntryBytes)
            throw new PolicyModelException($"zip entry '{entry.FullName}' claims {entry.Length} bytes, more than the {MaxEntryBytes} this reader accepts");
        using var s = entry.Open();
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ReadText(ZipArchiveEntry entry) => System.Text.Encoding.UTF8.GetString(ReadBytes(entry));
}
