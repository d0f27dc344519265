using System.Globalization;

namespace Trader.Policy.Onnx;

/// <summary>ONNX tensor element types this writer supports (values of <c>TensorProto.DataType</c>).</summary>
public enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>One dimension of a graph input or output: a fixed size, or a named symbolic size such as <c>batch</c>.</summary>
public readonly record struct OnnxDimension(long Value, string? Symbol)
{
    public static OnnxDimension Fixed(long value) =>
        value >= 0 ? new(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "a fixed dimension cannot be negative");

    public static OnnxDimension Symbolic(string symbol) =>
        string.IsNullOrWhiteSpace(symbol) ? throw new ArgumentException("a symbolic dimension needs a name", nameof(symbol)) : new(-1, symbol);

    public override string ToString() => Symbol ?? Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A node attribute: an int, a float, a list of ints or a string.</summary>
public sealed class OnnxAttribute
{
    // AttributeProto.AttributeType values.
    internal const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeInts = 7;

    private OnnxAttribute(string name, int type)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("an attribute needs a name", nameof(name));
        Name = name;
        Type = type;
    }

    public string Name { get; }
    internal int Type { get; }
    internal long IntValue { get; private init; }
    internal float FloatValue { get; private init; }
    internal long[] IntsValue { get; private init; } = [];
    internal string StringValue { get; private init; } = "";

    public static OnnxAttribute Int(string name, long value) => new(name, TypeInt) { IntValue = value };
    public static OnnxAttribute Float(string name, float value) => new(name, TypeFloat) { FloatValue = value };
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, TypeInts) { IntsValue = [.. values] };
    public static OnnxAttribute String(string name, string value) => new(name, TypeString) { StringValue = value };
}

/// <summary>
/// Builds an ONNX model (a <c>ModelProto</c> with one graph) and serializes it with Google.Protobuf, writing the fields
/// of the ONNX IR by their numbers (onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
/// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto, StringStringEntryProto). Only the subset needed
/// for small dense networks is covered: float/int64 graph inputs and outputs, float initializers, nodes of the
/// default (<c>ai.onnx</c>) domain with int/float/ints/string attributes, and metadata properties.
/// <para>
/// <see cref="Build"/> checks that node and output names refer to something defined before (graph inputs,
/// initializers, earlier node outputs), so a wiring mistake fails here rather than inside ONNX Runtime.
/// </para>
/// </summary>
public sealed class OnnxModelBuilder
{
    // Field numbers of the ONNX IR (onnx.proto).
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDocString = 6,
        ModelGraph = 7, ModelOpsetImport = 8, ModelMetadataProps = 14;
    private const int OpsetDomainField = 1, OpsetVersionField = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttrName = 1, AttrF = 2, AttrI = 3, AttrS = 4, AttrInts = 8, AttrType = 20;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    private const int ValueInfoName = 1, ValueInfoType = 2;
    private const int TypeTensorType = 1, TensorTypeElemType = 1, TensorTypeShape = 2;
    private const int ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int EntryKey = 1, EntryValue = 2;

    private readonly string _graphName;
    private readonly List<(string Name, OnnxElementType Type, OnnxDimension[] Shape)> _inputs = [];
    private readonly List<(string Name, OnnxElementType Type, OnnxDimension[] Shape)> _outputs = [];
    private readonly List<(string Name, long[] Dims, float[] Values)> _initializers = [];
    private readonly List<(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)> _nodes = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];

    public OnnxModelBuilder(string graphName)
    {
        if (string.IsNullOrWhiteSpace(graphName)) throw new ArgumentException("the graph needs a name", nameof(graphName));
        _graphName = graphName;
    }

    /// <summary>ONNX IR version written (8 = IR of 2021, read by every ONNX Runtime since 1.10).</summary>
    public long IrVersion { get; init; } = 8;

    /// <summary>Version of the default operator set (<c>ai.onnx</c>) the nodes use.</summary>
    public long OpsetVersion { get; init; } = 17;

    public string ProducerName { get; init; } = "Trader.Policy";
    public string ProducerVersion { get; init; } = "1";
    public string? DocString { get; init; }

    public OnnxModelBuilder AddInput(string name, OnnxElementType type, params OnnxDimension[] shape)
    {
        CheckName(name);
        _inputs.Add((name, type, [.. shape]));
        return this;
    }

    public OnnxModelBuilder AddOutput(string name, OnnxElementType type, params OnnxDimension[] shape)
    {
        CheckName(name);
        _outputs.Add((name, type, [.. shape]));
        return this;
    }

    /// <summary>A constant float tensor (weights), stored little-endian in <c>raw_data</c>. The values are copied.</summary>
    public OnnxModelBuilder AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckName(name);
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"initializer '{name}' has a negative dimension {d}", nameof(dims));
            count *= d;
        }
        if (count != values.Length)
            throw new ArgumentException($"initializer '{name}' of shape [{string.Join(", ", dims)}] needs {count} values; got {values.Length}", nameof(values));
        _initializers.Add((name, [.. dims], values.ToArray()));
        return this;
    }

    public OnnxModelBuilder AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        if (string.IsNullOrWhiteSpace(opType)) throw new ArgumentException("a node needs an operator type", nameof(opType));
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Length == 0) throw new ArgumentException($"{opType} node needs at least one output", nameof(outputs));
        _nodes.Add((opType, $"{opType}_{_nodes.Count}", [.. inputs], [.. outputs], [.. attributes]));
        return this;
    }

    /// <summary>A model metadata property (ONNX Runtime exposes them as <c>ModelMetadata.CustomMetadataMap</c>).</summary>
    public OnnxModelBuilder AddMetadata(string key, string value)
    {
        CheckName(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Serializes the model (a <c>.onnx</c> file's bytes).</summary>
    public byte[] Build()
    {
        Validate();

        var graph = new ProtoWriter();
        foreach (var node in _nodes) graph.Message(GraphNode, WriteNode(node.OpType, node.Name, node.Inputs, node.Outputs, node.Attributes));
        graph.String(GraphName, _graphName);
        foreach (var init in _initializers) graph.Message(GraphInitializer, WriteTensor(init.Name, init.Dims, init.Values));
        foreach (var input in _inputs) graph.Message(GraphInput, WriteValueInfo(input.Name, input.Type, input.Shape));
        foreach (var output in _outputs) graph.Message(GraphOutput, WriteValueInfo(output.Name, output.Type, output.Shape));

        var model = new ProtoWriter();
        model.Int64(ModelIrVersion, IrVersion);
        model.String(ModelProducerName, ProducerName);
        model.String(ModelProducerVersion, ProducerVersion);
        if (!string.IsNullOrEmpty(DocString)) model.String(ModelDocString, DocString);
        model.Message(ModelGraph, graph);
        var opset = new ProtoWriter();
        opset.String(OpsetDomainField, "");
        opset.Int64(OpsetVersionField, OpsetVersion);
        model.Message(ModelOpsetImport, opset);
        foreach (var (key, value) in _metadata)
        {
            var entry = new ProtoWriter();
            entry.String(EntryKey, key);
            entry.String(EntryValue, value);
            model.Message(ModelMetadataProps, entry);
        }
        return model.ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> (through a temporary file, so a failure leaves no half file).</summary>
    public void Save(string path)
    {
        var bytes = Build();
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }

    private void Validate()
    {
        if (_inputs.Count == 0) throw new InvalidOperationException($"graph '{_graphName}' has no input");
        if (_outputs.Count == 0) throw new InvalidOperationException($"graph '{_graphName}' has no output");
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in _inputs.Select(i => i.Name).Concat(_initializers.Select(i => i.Name)))
        {
            if (!defined.Add(name)) throw new InvalidOperationException($"graph '{_graphName}' defines '{name}' twice");
        }
        foreach (var node in _nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (input.Length > 0 && !defined.Contains(input))
                    throw new InvalidOperationException($"node {node.Name} reads '{input}', which no input, initializer or earlier node defines");
            }
            foreach (var output in node.Outputs)
            {
                if (!defined.Add(output)) throw new InvalidOperationException($"node {node.Name} writes '{output}', which is already defined");
            }
        }
        foreach (var output in _outputs)
        {
            if (!defined.Contains(output.Name))
                throw new InvalidOperationException($"graph output '{output.Name}' is not produced by any node");
        }
    }

    private static ProtoWriter WriteNode(string opType, string name, string[] inputs, string[] outputs, OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs) node.String(NodeInput, input);
        foreach (var output in outputs) node.String(NodeOutput, output);
        node.String(NodeName, name);
        node.String(NodeOpType, opType);
        foreach (var attribute in attributes)
        {
            var a = new ProtoWriter();
            a.String(AttrName, attribute.Name);
            switch (attribute.Type)
            {
                case OnnxAttribute.TypeFloat: a.Float(AttrF, attribute.FloatValue); break;
                case OnnxAttribute.TypeInt: a.Int64(AttrI, attribute.IntValue); break;
                case OnnxAttribute.TypeString: a.Bytes(AttrS, System.Text.Encoding.UTF8.GetBytes(attribute.StringValue)); break;
                case OnnxAttribute.TypeInts: a.PackedInt64(AttrInts, attribute.IntsValue); break;
            }
            a.Int32(AttrType, attribute.Type);
            node.Message(NodeAttribute, a);
        }
        return node;
    }

    private static ProtoWriter WriteTensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoWriter();
        if (dims.Length > 0) tensor.PackedInt64(TensorDims, dims);
        tensor.Int32(TensorDataType, (int)OnnxElementType.Float);
        tensor.String(TensorName, name);
        tensor.Bytes(TensorRawData, ProtoWriter.LittleEndian(values));
        return tensor;
    }

    private static ProtoWriter WriteValueInfo(string name, OnnxElementType type, OnnxDimension[] shape)
    {
        var shapeProto = new ProtoWriter();
        foreach (var dim in shape)
        {
            var d = new ProtoWriter();
            if (dim.Symbol is null) d.Int64(DimValue, dim.Value);
            else d.String(DimParam, dim.Symbol);
            shapeProto.Message(ShapeDim, d);
        }
        var tensorType = new ProtoWriter();
        tensorType.Int32(TensorTypeElemType, (int)type);
        tensorType.Message(TensorTypeShape, shapeProto);
        var typeProto = new ProtoWriter();
        typeProto.Message(TypeTensorType, tensorType);
        var info = new ProtoWriter();
        info.String(ValueInfoName, name);
        info.Message(ValueInfoType, typeProto);
        return info;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a name cannot be empty", nameof(name));
    }
}
