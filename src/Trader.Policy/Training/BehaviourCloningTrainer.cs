using System.Globalization;
using Trader.Policy.Networks;
using Trader.Policy.Onnx;

namespace Trader.Policy.Training;

/// <summary>Settings of <see cref="BehaviourCloningTrainer"/>.</summary>
public sealed record BehaviourCloningOptions
{
    /// <summary>Units per hidden layer (H in 52→H→H→n). Default 64.</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Number of hidden layers. Default 2.</summary>
    public int HiddenLayers { get; init; } = 2;

    public HiddenActivation Activation { get; init; } = HiddenActivation.Tanh;

    /// <summary>Passes over the dataset. Default 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Examples per gradient step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam step size. Default 1e-3.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>L2 penalty on the weights (not the biases), added to the gradient. Default 0.</summary>
    public float WeightDecay { get; init; }

    /// <summary>
    /// Weight each example by N / (P × count of its action), P the number of actions present, so that rare actions count
    /// as much as common ones (an imitated heuristic holds most of the time). Default false.
    /// </summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Seed of the weight initialization and of the shuffling. Same seed, same data → the same network.</summary>
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (HiddenSize < 1) throw new ArgumentException($"HiddenSize must be at least 1; got {HiddenSize}");
        if (HiddenLayers < 0) throw new ArgumentException($"HiddenLayers cannot be negative; got {HiddenLayers}");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1; got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1; got {BatchSize}");
        if (!(LearningRate > 0f && float.IsFinite(LearningRate))) throw new ArgumentException($"LearningRate must be positive; got {LearningRate}");
        if (!(WeightDecay >= 0f && float.IsFinite(WeightDecay))) throw new ArgumentException($"WeightDecay cannot be negative; got {WeightDecay}");
    }
}

/// <summary>One epoch's training loss (weighted mean cross-entropy) and accuracy (on the examples as they were seen).</summary>
public sealed record EpochReport(int Epoch, double Loss, double Accuracy);

/// <summary>A trained network and how training went.</summary>
public sealed class BehaviourCloningResult
{
    internal BehaviourCloningResult(MlpNetwork network, BehaviourCloningOptions options, IReadOnlyList<EpochReport> epochs, double accuracy, int examples)
    {
        Network = network;
        Options = options;
        Epochs = epochs;
        Accuracy = accuracy;
        Examples = examples;
    }

    public MlpNetwork Network { get; }
    public BehaviourCloningOptions Options { get; }
    public IReadOnlyList<EpochReport> Epochs { get; }

    /// <summary>Accuracy of the final network on the training set (argmax vs label).</summary>
    public double Accuracy { get; }

    public int Examples { get; }

    /// <summary>Export options that record the training in the model's metadata.</summary>
    public MlpOnnxExportOptions ExportOptions(string? description = null) => new()
    {
        Description = description ?? $"Behaviour cloning: {Examples} examples, {Options.Epochs} epochs, seed {Options.Seed}, training accuracy {Accuracy:P1}",
        Metadata = new Dictionary<string, string>
        {
            ["trader.source"] = "behaviour-cloning",
            ["bc.examples"] = Examples.ToString(CultureInfo.InvariantCulture),
            ["bc.epochs"] = Options.Epochs.ToString(CultureInfo.InvariantCulture),
            ["bc.seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            ["bc.accuracy"] = Accuracy.ToString("F4", CultureInfo.InvariantCulture),
        },
    };

    /// <summary>Writes the trained network as an ONNX policy (see <see cref="MlpOnnxExporter"/>).</summary>
    public void SaveOnnx(string path, string? description = null) => MlpOnnxExporter.Save(Network, path, ExportOptions(description));
}

/// <summary>
/// Trains a tanh (or ReLU) MLP <c>inputs→H→…→H→actions</c> to imitate the actions of a dataset: softmax
/// cross-entropy, mini-batch Adam, in float. Single-threaded and seeded, so the same data, options and seed give the
/// same network bit for bit on a given platform. This is a tool to produce a small default policy (e.g. by imitating
/// <see cref="Heuristics.SpreadImbalancePolicy"/>), not a money path.
/// </summary>
public static class BehaviourCloningTrainer
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    public static BehaviourCloningResult Train(BehaviourCloningDataset data, int actionCount, BehaviourCloningOptions? options = null, Action<EpochReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new BehaviourCloningOptions();
        options.Validate();
        if (actionCount < 2) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "need at least two actions to learn");
        if (data.Count == 0) throw new ArgumentException("the dataset is empty", nameof(data));
        var counts = data.ActionCounts(actionCount);

        // Class balancing: w(a) = N / (P × count(a)) over the P actions present, so the weights average 1 per example.
        var sampleWeight = new float[actionCount];
        int present = counts.Count(c => c > 0);
        for (int a = 0; a < actionCount; a++)
            sampleWeight[a] = !options.BalanceClasses ? 1f : counts[a] == 0 ? 0f : (float)data.Count / (present * counts[a]);

        var sizes = new List<int> { data.ObservationLength };
        for (int i = 0; i < options.HiddenLayers; i++) sizes.Add(options.HiddenSize);
        sizes.Add(actionCount);
        var initial = MlpNetwork.CreateRandom(sizes, options.Activation, options.Seed);
        var layers = initial.Hidden.Append(initial.Output).Select(l => new TrainableLayer(l)).ToArray();

        var random = new Random(options.Seed ^ 0x5EED);
        var order = Enumerable.Range(0, data.Count).ToArray();
        var activations = new float[layers.Length + 1][];
        for (int l = 0; l < layers.Length; l++) activations[l + 1] = new float[layers[l].Outputs];
        var deltas = layers.Select(l => new float[l.Outputs]).ToArray();
        var probabilities = new float[actionCount];
        var reports = new List<EpochReport>(options.Epochs);
        long step = 0;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            double lossSum = 0, weightSum = 0;
            int correct = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                int end = Math.Min(start + options.BatchSize, order.Length);
                foreach (var layer in layers) layer.ZeroGradients();

                for (int k = start; k < end; k++)
                {
                    int index = order[k];
                    int label = data.Action(index);
                    float weight = sampleWeight[label];
                    var input = data.Observation(index);

                    // Forward, keeping every layer's output.
                    for (int l = 0; l < layers.Length; l++)
                    {
                        ReadOnlySpan<float> x = l == 0 ? input : activations[l];
                        layers[l].Forward(x, activations[l + 1]);
                        if (l < layers.Length - 1) MlpNetwork.Activate(activations[l + 1], options.Activation);
                    }
                    var logits = activations[^1];
                    if (MlpNetwork.ArgMax(logits) == label) correct++;
                    float loss = Softmax(logits, probabilities, label);
                    lossSum += weight * loss;
                    weightSum += weight;

                    // Backward: dLoss/dlogits = weight × (p − onehot).
                    var delta = deltas[^1];
                    for (int a = 0; a < actionCount; a++) delta[a] = weight * (probabilities[a] - (a == label ? 1f : 0f));
                    for (int l = layers.Length - 1; l >= 0; l--)
                    {
                        ReadOnlySpan<float> x = l == 0 ? input : activations[l];
                        layers[l].Accumulate(x, deltas[l]);
                        if (l == 0) break;
                        layers[l].BackpropagateInput(deltas[l], deltas[l - 1]);
                        var a = activations[l];
                        var d = deltas[l - 1];
                        if (options.Activation == HiddenActivation.Tanh)
                        {
                            for (int u = 0; u < d.Length; u++) d[u] *= 1f - a[u] * a[u];
                        }
                        else
                        {
                            for (int u = 0; u < d.Length; u++) d[u] = a[u] > 0f ? d[u] : 0f;
                        }
                    }
                }

                step++;
                float scale = 1f / (end - start);
                foreach (var layer in layers) layer.AdamStep(scale, options.LearningRate, options.WeightDecay, step);
            }

            var report = new EpochReport(epoch, weightSum > 0 ? lossSum / weightSum : 0, (double)correct / order.Length);
            reports.Add(report);
            progress?.Invoke(report);
        }

        var hidden = layers[..^1].Select(l => l.ToDense()).ToArray();
        var network = new MlpNetwork(hidden, layers[^1].ToDense(), options.Activation);
        return new BehaviourCloningResult(network, options, reports, Accuracy(network, data), data.Count);
    }

    /// <summary>The share of examples whose label is the network's argmax.</summary>
    public static double Accuracy(MlpNetwork network, BehaviourCloningDataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) return 0;
        var logits = new float[network.OutputSize];
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            network.Forward(data.Observation(i), logits);
            if (MlpNetwork.ArgMax(logits) == data.Action(i)) correct++;
        }
        return (double)correct / data.Count;
    }

    /// <summary>Softmax of <paramref name="logits"/> into <paramref name="probabilities"/>; returns −log p[label].</summary>
    private static float Softmax(ReadOnlySpan<float> logits, Span<float> probabilities, int label)
    {
        float max = logits[0];
        for (int i = 1; i < logits.Length; i++) max = MathF.Max(max, logits[i]);
        float sum = 0f;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = MathF.Exp(logits[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
        return -(logits[label] - max - MathF.Log(sum));
    }

    /// <summary>A dense layer with gradient and Adam moment buffers.</summary>
    private sealed class TrainableLayer
    {
        private readonly float[] _w, _b, _gw, _gb, _mw, _vw, _mb, _vb;

        public TrainableLayer(DenseLayer initial)
        {
            Inputs = initial.InputSize;
            Outputs = initial.OutputSize;
            _w = (float[])initial.Weights.Clone();
            _b = (float[])initial.Bias.Clone();
            _gw = new float[_w.Length];
            _mw = new float[_w.Length];
            _vw = new float[_w.Length];
            _gb = new float[_b.Length];
            _mb = new float[_b.Length];
            _vb = new float[_b.Length];
        }

        public int Inputs { get; }
        public int Outputs { get; }

        public void Forward(ReadOnlySpan<float> x, Span<float> y)
        {
            for (int o = 0; o < Outputs; o++)
            {
                var row = _w.AsSpan(o * Inputs, Inputs);
                float sum = _b[o];
                for (int i = 0; i < Inputs; i++) sum += row[i] * x[i];
                y[o] = sum;
            }
        }

        public void ZeroGradients()
        {
            Array.Clear(_gw);
            Array.Clear(_gb);
        }

        public void Accumulate(ReadOnlySpan<float> x, ReadOnlySpan<float> delta)
        {
            for (int o = 0; o < Outputs; o++)
            {
                float d = delta[o];
                if (d == 0f) continue;
                _gb[o] += d;
                var row = _gw.AsSpan(o * Inputs, Inputs);
                for (int i = 0; i < Inputs; i++) row[i] += d * x[i];
            }
        }

        /// <summary>inputDelta = Wᵀ · delta.</summary>
        public void BackpropagateInput(ReadOnlySpan<float> delta, Span<float> inputDelta)
        {
            inputDelta.Clear();
            for (int o = 0; o < Outputs; o++)
            {
                float d = delta[o];
                if (d == 0f) continue;
                var row = _w.AsSpan(o * Inputs, Inputs);
                for (int i = 0; i < Inputs; i++) inputDelta[i] += d * row[i];
            }
        }

        public void AdamStep(float scale, float learningRate, float weightDecay, long step)
        {
            float c1 = 1f - MathF.Pow(Beta1, step), c2 = 1f - MathF.Pow(Beta2, step);
            Update(_w, _gw, _mw, _vw, scale, learningRate, weightDecay, c1, c2);
            Update(_b, _gb, _mb, _vb, scale, learningRate, 0f, c1, c2);
        }

        private static void Update(float[] p, float[] g, float[] m, float[] v, float scale, float lr, float decay, float c1, float c2)
        {
            for (int i = 0; i < p.Length; i++)
            {
                float grad = g[i] * scale + decay * p[i];
                m[i] = Beta1 * m[i] + (1f - Beta1) * grad;
                v[i] = Beta2 * v[i] + (1f - Beta2) * grad * grad;
                p[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + Epsilon);
            }
        }

        public DenseLayer ToDense() => new(Inputs, Outputs, (float[])_w.Clone(), (float[])_b.Clone());
    }
}
