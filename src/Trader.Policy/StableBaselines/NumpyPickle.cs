using System.Buffers.Binary;

namespace Trader.Policy.StableBaselines;

/// <summary>A NumPy dtype as a pickle rebuilds it (<c>numpy.dtype('f4', False, True)</c> plus its BUILD state).</summary>
public sealed class NumpyDType(string code) : IPickleBuildable
{
    public string Code { get; } = code;

    /// <summary>'&lt;' little, '&gt;' big, '|' not applicable, '=' native.</summary>
    public char ByteOrder { get; private set; } = '=';

    public void SetState(object? state)
    {
        // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
        if (state is PickleTuple { Count: >= 2 } t && t[1] is string { Length: 1 } order) ByteOrder = order[0];
    }
}

/// <summary>A NumPy array as a pickle rebuilds it; only float32 and float64 arrays are decoded (<see cref="ToFloat32"/>).</summary>
public sealed record NumpyArray(NumpyDType DType, IReadOnlyList<long> Shape, byte[] Data, bool FortranOrder)
{
    /// <summary>The values as float32 in C (row-major) order.</summary>
    public float[] ToFloat32()
    {
        bool big = DType.ByteOrder == '>' || (DType.ByteOrder == '=' && !BitConverter.IsLittleEndian);
        int size = DType.Code switch
        {
            "f4" => 4,
            "f8" => 8,
            _ => throw new PickleFormatException($"NumPy array of dtype '{DType.Code}' is not a float array"),
        };
        long count = Shape.Aggregate(1L, (a, b) => a * b);
        if (count * size != Data.LongLength)
            throw new PickleFormatException($"NumPy array of shape [{string.Join(", ", Shape)}] and dtype '{DType.Code}' needs {count * size} bytes; has {Data.LongLength}");
        if (FortranOrder && Shape.Count > 1)
            throw new PickleFormatException("Fortran-ordered NumPy arrays are not supported");
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            var bytes = Data.AsSpan((int)(i * size), size);
            values[i] = size == 4
                ? (big ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes))
                : (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes));
        }
        return values;
    }

    /// <summary>
    /// The callables a pickled NumPy array uses (protocol 5: <c>numpy._core.numeric._frombuffer</c>, or
    /// <c>numpy.core.numeric._frombuffer</c> before NumPy 2, and <c>numpy.dtype</c>), interpreted without NumPy.
    /// </summary>
    public static IReadOnlyDictionary<PickleGlobal, Func<PickleTuple, object?>> Callables { get; } =
        new Dictionary<PickleGlobal, Func<PickleTuple, object?>>
        {
            [new("numpy", "dtype")] = args => args.Count >= 1 && args[0] is string code
                ? new NumpyDType(code)
                : throw new PickleFormatException("numpy.dtype expects a type code"),
            [new("numpy._core.numeric", "_frombuffer")] = FromBuffer,
            [new("numpy.core.numeric", "_frombuffer")] = FromBuffer,
        };

    private static object FromBuffer(PickleTuple args)
    {
        // _frombuffer(buffer, dtype, shape, order)
        if (args.Count != 4 || args[0] is not byte[] data || args[1] is not NumpyDType dtype || args[2] is not PickleTuple shape || args[3] is not string order)
            throw new PickleFormatException("numpy _frombuffer expects (bytes, dtype, shape, order)");
        var dims = shape.Items.Select(d => d as long? ?? throw new PickleFormatException("numpy _frombuffer: a dimension is not an integer")).ToArray();
        return new NumpyArray(dtype, dims, data, order == "F");
    }
}
