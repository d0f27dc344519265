using BenchmarkDotNet.Attributes;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Policy;
using Trader.Policy.Heuristics;
using Trader.Policy.Networks;
using Trader.Policy.Onnx;

namespace Trader.Benchmarks;

/// <summary>
/// One policy decision on a 52-feature observation: the ONNX policy on a 52→64→64→5 tanh network (the shape of the
/// user's PPO model), the same network's managed C# forward pass for comparison, and the heuristic policy.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private OnnxPolicy _onnx = null!;
    private MlpNetwork _network = null!;
    private readonly SpreadImbalancePolicy _heuristic = new();
    private readonly float[] _observation = new float[ObservationLayout.Length];
    private readonly float[] _logits = new float[5];
    private readonly DecisionContext _context = new("KXBENCH-1", Quantity.FromContracts(5));

    [GlobalSetup]
    public void Setup()
    {
        _network = MlpNetwork.CreateRandom([ObservationLayout.Length, 64, 64, 5], HiddenActivation.Tanh, seed: 42);
        _onnx = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(_network), "bench-52-64-64-5.onnx");
        var random = new Random(1);
        for (int i = 0; i < _observation.Length; i++) _observation[i] = (float)(random.NextDouble() * 2 - 1);
        _observation[ObservationLayout.YesSpread] = 0.02f;
    }

    [GlobalCleanup]
    public void Cleanup() => _onnx.Dispose();

    [Benchmark(Baseline = true)]
    public int OnnxPolicy_Decide() => _onnx.Decide(_observation, _context).Action;

    [Benchmark]
    public int ManagedMlp_Forward()
    {
        _network.Forward(_observation, _logits);
        return MlpNetwork.ArgMax(_logits);
    }

    [Benchmark]
    public int Heuristic_Decide() => _heuristic.Decide(_observation, _context).Action;
}
