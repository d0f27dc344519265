using System.Diagnostics;

namespace Trader.Benchmarks;

/// <summary>
/// Percentiles of the delta → decision path (<see cref="DecisionPipeline"/>): every step timed on its own with
/// <c>Stopwatch</c> after a warm-up, plus the bytes allocated per step and the process's memory per market.
/// <c>scripts/bench latency [steps]</c>.
/// </summary>
public static class LatencyHarness
{
    public static void Run(int steps)
    {
        Console.WriteLine($"delta → book → observation → ONNX policy → priced decision, {steps:N0} timed steps per case");
        Console.WriteLine("| markets | p50 | p90 | p99 | p99.9 | max | allocated per step | managed memory per market |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int markets in new[] { 1, 1000 })
        {
            GC.Collect();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            using var pipeline = new DecisionPipeline(markets);
            long after = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < 50_000; i++) pipeline.Step();

            var samples = new long[steps];
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < steps; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                pipeline.Step();
                samples[i] = Stopwatch.GetTimestamp() - t0;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Array.Sort(samples);
            string P(double q) => $"{samples[Math.Min(samples.Length - 1, (int)(q * samples.Length))] * 1e6 / Stopwatch.Frequency:F1} µs";
            Console.WriteLine($"| {markets:N0} | {P(0.50)} | {P(0.90)} | {P(0.99)} | {P(0.999)} | {samples[^1] * 1e6 / Stopwatch.Frequency:F1} µs | {(double)allocated / steps:F1} B | {(after - before) / (double)markets / 1024:F1} KB |");
        }
    }
}
