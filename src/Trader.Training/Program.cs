using System.Globalization;
using Trader.Core.Numbers;
using Trader.Policy;
using Trader.Policy.Heuristics;
using Trader.Policy.Onnx;
using Trader.Policy.Training;
using Trader.Training;

// Generates the project's default policy: behaviour cloning of the position-aware heuristic on the simulated exchange.
//   trader-training [--out models/default.onnx] [--seed 7] [--steps 4000] [--epochs 60]

const int TradeOversampling = 4;

var options = ParseArgs(args);
if (options is null) return 2;
var (outPath, seed, steps, epochs) = options.Value;

var teacher = new PositionAwarePolicy(new SpreadImbalancePolicy());
Console.WriteLine($"collecting: teacher {teacher.Name}, seed {seed}, {steps} steps");
var training = SimulatorImitation.Collect(teacher, new ImitationOptions { Seed = seed, Steps = steps });
Console.WriteLine($"  {training.Data.Count} observations, {training.Orders} orders, {training.Fills} with fills; actions {Distribution(training.ActionCounts)}");

// HOLD dominates (the teacher trades on a few percent of observations): repeat each trade example a few times so the
// network learns when to trade without being pushed to trade more than the teacher (full class balancing did that).
var data = new BehaviourCloningDataset();
for (int i = 0; i < training.Data.Count; i++)
{
    int copies = training.Data.Action(i) == PolicyActions.Hold ? 1 : TradeOversampling;
    for (int c = 0; c < copies; c++) data.Add(training.Data.Observation(i), training.Data.Action(i));
}

var result = BehaviourCloningTrainer.Train(data, PolicyActions.SimpleCount, new BehaviourCloningOptions
{
    HiddenSize = 32,
    HiddenLayers = 2,
    Epochs = epochs,
    Seed = seed,
    BalanceClasses = false,
}, e => { if (e.Epoch % 10 == 0) Console.WriteLine($"  epoch {e.Epoch}: loss {e.Loss:F4}, accuracy {e.Accuracy:P1}"); });
Console.WriteLine($"trained: 52→32→32→5 tanh, training accuracy {result.Accuracy:P1}");

// Held out: a session with another seed, decided by the teacher; how often does the student agree, and what does it do?
var heldOut = SimulatorImitation.Collect(teacher, new ImitationOptions { Seed = seed + 1000, Steps = Math.Max(steps / 4, 100) });
var student = new int[PolicyActions.SimpleCount];
var logits = new float[PolicyActions.SimpleCount];
int agree = 0, teacherTrades = 0, studentTrades = 0, tradesMatched = 0;
for (int i = 0; i < heldOut.Data.Count; i++)
{
    result.Network.Forward(heldOut.Data.Observation(i), logits);
    int a = Trader.Policy.Networks.MlpNetwork.ArgMax(logits);
    int t = heldOut.Data.Action(i);
    student[a]++;
    if (a == t) agree++;
    if (t != PolicyActions.Hold) teacherTrades++;
    if (a != PolicyActions.Hold) studentTrades++;
    if (a == t && t != PolicyActions.Hold) tradesMatched++;
}
Console.WriteLine($"held out (seed {seed + 1000}): agreement with the teacher {(double)agree / heldOut.Data.Count:P1}; " +
    $"of the teacher's {teacherTrades} trades the student made {tradesMatched} ({(double)tradesMatched / Math.Max(teacherTrades, 1):P0}), " +
    $"and {(double)tradesMatched / Math.Max(studentTrades, 1):P0} of its {studentTrades} trades were the teacher's");
Console.WriteLine($"  student actions {Distribution(student)}");

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
result.SaveOnnx(outPath, $"Trader.Actors default policy: behaviour cloning of {teacher.Name} on the simulated exchange (seed {seed}, {steps} steps, {epochs} epochs)");
using (var check = OnnxPolicy.Load(outPath)) Console.WriteLine($"wrote {Path.GetFullPath(outPath)} ({new FileInfo(outPath).Length:N0} bytes): {check.Name}, {check.ActionCount} actions");
return 0;

static string Distribution(int[] counts)
{
    int total = Math.Max(counts.Sum(), 1);
    return string.Join(", ", counts.Select((c, i) => $"{PolicyActions.NameOf(i, counts.Length)} {100.0 * c / total:F1}%"));
}

static (string Out, int Seed, int Steps, int Epochs)? ParseArgs(string[] args)
{
    string outPath = Path.Combine("models", "default.onnx");
    int seed = 7, steps = 4000, epochs = 60;
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        try
        {
            switch (args[i])
            {
                case "--out": outPath = Next(); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--epochs": epochs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-h" or "--help":
                    Console.WriteLine("trader-training [--out models/default.onnx] [--seed 7] [--steps 4000] [--epochs 60]");
                    return null;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"trader-training: {e.Message}");
            return null;
        }
    }
    if (steps <= 0 || epochs <= 0) { Console.Error.WriteLine("trader-training: --steps and --epochs must be positive"); return null; }
    return (outPath, seed, steps, epochs);
}
