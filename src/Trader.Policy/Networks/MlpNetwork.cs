namespace Trader.Policy.Networks;

/// <summary>The activation applied after every hidden layer.</summary>
public enum HiddenActivation
{
    Tanh,
    Relu,
}

/// <summary>
/// A fully connected layer <c>y = W·x + b</c>, with <c>W</c> stored row-major as <c>[OutputSize, InputSize]</c> (PyTorch's
/// <c>nn.Linear</c> layout, and ONNX <c>Gemm</c> with <c>transB = 1</c>).
/// </summary>
public sealed class DenseLayer
{
    public DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "a layer needs at least one input");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "a layer needs at least one output");
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.Length != (long)inputSize * outputSize)
            throw new ArgumentException($"a {outputSize}x{inputSize} layer needs {(long)inputSize * outputSize} weights; got {weights.Length}", nameof(weights));
        if (bias.Length != outputSize)
            throw new ArgumentException($"a layer with {outputSize} outputs needs {outputSize} biases; got {bias.Length}", nameof(bias));
        InputSize = inputSize;
        OutputSize = outputSize;
        Weights = weights;
        Bias = bias;
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    /// <summary>Row-major <c>[OutputSize, InputSize]</c>.</summary>
    public float[] Weights { get; }

    public float[] Bias { get; }

    /// <summary><c>output = W·input + b</c>, accumulated in double and rounded to float once per output.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputSize) throw new ArgumentException($"layer expects {InputSize} inputs; got {input.Length}", nameof(input));
        if (output.Length != OutputSize) throw new ArgumentException($"layer produces {OutputSize} outputs; got room for {output.Length}", nameof(output));
        var w = Weights.AsSpan();
        for (int o = 0; o < OutputSize; o++)
        {
            var row = w.Slice(o * InputSize, InputSize);
            double sum = Bias[o];
            for (int i = 0; i < row.Length; i++) sum += (double)row[i] * input[i];
            output[o] = (float)sum;
        }
    }
}

/// <summary>
/// A multilayer perceptron: hidden layers each followed by <see cref="Activation"/>, then a linear output layer
/// (no activation) whose outputs are the action logits. This is the shape of a Stable-Baselines3 PPO
/// <c>MlpPolicy</c>'s actor (<c>action_net(act(W2·act(W1·x + b1) + b2))</c>) and of the behaviour-cloning network.
/// Immutable after construction (the arrays are shared, not copied; do not change them while in use).
/// </summary>
public sealed class MlpNetwork
{
    private readonly DenseLayer[] _hidden;

    public MlpNetwork(IReadOnlyList<DenseLayer> hidden, DenseLayer output, HiddenActivation activation)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(output);
        _hidden = hidden.ToArray();
        int expected = _hidden.Length > 0 ? _hidden[0].InputSize : output.InputSize;
        for (int i = 0; i < _hidden.Length; i++)
        {
            if (_hidden[i].InputSize != expected)
                throw new ArgumentException($"hidden layer {i} takes {_hidden[i].InputSize} inputs but the previous layer gives {expected}", nameof(hidden));
            expected = _hidden[i].OutputSize;
        }
        if (output.InputSize != expected)
            throw new ArgumentException($"the output layer takes {output.InputSize} inputs but the last hidden layer gives {expected}", nameof(output));
        Output = output;
        Activation = activation;
    }

    public IReadOnlyList<DenseLayer> Hidden => _hidden;
    public DenseLayer Output { get; }
    public HiddenActivation Activation { get; }
    public int InputSize => _hidden.Length > 0 ? _hidden[0].InputSize : Output.InputSize;
    public int OutputSize => Output.OutputSize;

    /// <summary>The widest layer (scratch size for <see cref="Forward"/>).</summary>
    public int MaxWidth => _hidden.Length == 0 ? 0 : _hidden.Max(l => l.OutputSize);

    /// <summary>
    /// Computes the logits for one input. Allocation-free for layers up to 1,024 units wide (scratch on the stack);
    /// thread-safe (no shared state).
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> logits)
    {
        if (input.Length != InputSize) throw new ArgumentException($"the network expects {InputSize} inputs; got {input.Length}", nameof(input));
        if (logits.Length != OutputSize) throw new ArgumentException($"the network produces {OutputSize} outputs; got room for {logits.Length}", nameof(logits));
        int width = MaxWidth;
        Span<float> a = width <= 1024 ? stackalloc float[width] : new float[width];
        Span<float> b = width <= 1024 ? stackalloc float[width] : new float[width];
        scoped ReadOnlySpan<float> current = input;
        for (int i = 0; i < _hidden.Length; i++)
        {
            var layer = _hidden[i];
            var target = (i % 2 == 0 ? a : b)[..layer.OutputSize];
            layer.Apply(current, target);
            Activate(target, Activation);
            current = target;
        }
        Output.Apply(current, logits);
    }

    /// <summary>Applies <paramref name="activation"/> in place.</summary>
    public static void Activate(Span<float> values, HiddenActivation activation)
    {
        if (activation == HiddenActivation.Tanh)
        {
            for (int i = 0; i < values.Length; i++) values[i] = MathF.Tanh(values[i]);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) values[i] = values[i] > 0f ? values[i] : 0f;
        }
    }

    /// <summary>The index of the largest value, the first one on ties (NumPy/PyTorch <c>argmax</c>); NaN never wins.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) throw new ArgumentException("argmax of an empty vector", nameof(values));
        int best = 0;
        float max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > max || (float.IsNaN(max) && !float.IsNaN(values[i])))
            {
                max = values[i];
                best = i;
            }
        }
        return best;
    }

    /// <summary>
    /// A network with the given layer sizes and Glorot-uniform weights (zero biases) drawn from a seeded generator:
    /// <c>sizes = [52, 64, 64, 5]</c> gives 52→64→64→5. Deterministic for a given seed.
    /// </summary>
    public static MlpNetwork CreateRandom(IReadOnlyList<int> sizes, HiddenActivation activation, int seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2) throw new ArgumentException("need at least an input and an output size", nameof(sizes));
        var random = new Random(seed);
        var layers = new List<DenseLayer>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            int fanIn = sizes[i], fanOut = sizes[i + 1];
            float limit = MathF.Sqrt(6f / (fanIn + fanOut));
            var w = new float[fanIn * fanOut];
            for (int k = 0; k < w.Length; k++) w[k] = (float)(random.NextDouble() * 2 - 1) * limit;
            layers.Add(new DenseLayer(fanIn, fanOut, w, new float[fanOut]));
        }
        var output = layers[^1];
        layers.RemoveAt(layers.Count - 1);
        return new MlpNetwork(layers, output, activation);
    }
}
