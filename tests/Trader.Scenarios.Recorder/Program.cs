using Trader.Scenarios.Recorder;

// Records the scenario suite's tapes (scripts/record-scenarios runs this):
//   record-scenarios [--out DIR] [--list] [SCENARIO ...]
// Without names, every scenario is recorded. The tapes go to tests/Trader.Scenarios.Tests/Tapes unless --out says
// otherwise. Exit codes: 0 all recorded, 1 a scenario failed (its message says where it was waiting), 2 bad arguments.
string? outDir = null;
var names = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            outDir = args[++i];
            break;
        case "--list":
            foreach (var s in Scenarios.All) Console.WriteLine($"{s.Name,-24} {s.Description}");
            return 0;
        case "-h" or "--help":
            Console.WriteLine("usage: record-scenarios [--out DIR] [--list] [SCENARIO ...]");
            return 0;
        case var a when a.StartsWith('-'):
            Console.Error.WriteLine($"error: unknown option '{a}' (use --out DIR, --list)");
            return 2;
        default:
            names.Add(args[i]);
            break;
    }
}

var unknown = names.Where(n => Scenarios.All.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"error: no scenario named {string.Join(", ", unknown)}; scenarios: {string.Join(", ", Scenarios.All.Select(s => s.Name))}");
    return 2;
}
outDir ??= DefaultTapeDirectory();
Directory.CreateDirectory(outDir);

// A warm-up run, not saved: the first session in a process pays for compiling the trader's code (its first decision,
// its first order's JSON), which shows in a live trader's timing and never in a replay's. Recording warm keeps the
// tapes' timing the trader's, not the compiler's.
Console.WriteLine("warming up (a scenario run once, not saved)…");
var warmUp = Path.Combine(Path.GetTempPath(), $"trader-warm-up-{Environment.ProcessId}.jsonl");
try
{
    var first = Scenarios.All.First(s => s.Name == "fills-and-partial-fills");
    await using (var session = await ScenarioSession.StartAsync(first, warmUp, TextWriter.Null))
    {
        await first.Drive(session);
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"error: the warm-up run failed: {e.Message}");
    return 1;
}
finally
{
    File.Delete(warmUp);
}

foreach (var scenario in Scenarios.All.Where(s => names.Count == 0 || names.Contains(s.Name)))
{
    var path = Path.Combine(outDir, scenario.FileName);
    Console.WriteLine($"{scenario.Name}: {scenario.Description}");
    var started = DateTimeOffset.UtcNow;
    try
    {
        await using (var session = await ScenarioSession.StartAsync(scenario, path, Console.Out))
        {
            await scenario.Drive(session);
        }
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"error: scenario {scenario.Name} failed: {e.Message}");
        return 1;
    }
    Console.WriteLine($"  wrote {path} ({new FileInfo(path).Length:N0} bytes, {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s)");
}
return 0;

// tests/Trader.Scenarios.Tests/Tapes of the checkout this program was built from.
static string DefaultTapeDirectory()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Trader.Actors.sln"))) return Path.Combine(dir.FullName, "tests", "Trader.Scenarios.Tests", "Tapes");
    }
    throw new InvalidOperationException("cannot find the checkout (Trader.Actors.sln) above " + AppContext.BaseDirectory + "; give --out DIR");
}
