using BenchmarkDotNet.Attributes;

namespace Trader.Benchmarks;

/// <summary>Mean time and allocation of one delta → decision (see <see cref="DecisionPipeline"/>); percentiles: <c>scripts/bench latency</c>.</summary>
[MemoryDiagnoser]
public class DecisionPipelineBenchmarks
{
    private DecisionPipeline _pipeline = null!;

    [Params(1, 1000)]
    public int Markets { get; set; }

    [GlobalSetup]
    public void Setup() => _pipeline = new DecisionPipeline(Markets);

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Dispose();

    [Benchmark]
    public int DeltaToDecision() => _pipeline.Step();
}
