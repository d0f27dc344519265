using BenchmarkDotNet.Running;
using Trader.Benchmarks;

// scripts/bench latency [steps]  — percentiles of the decision path (a Stopwatch harness)
// scripts/bench [BenchmarkDotNet arguments] — the BenchmarkDotNet suite
if (args.Length > 0 && args[0] == "latency")
{
    LatencyHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
