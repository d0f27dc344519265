using System.CommandLine;
using Trader.Actors;
using Trader.Policy;
using Trader.Replay.Replaying;
using Trader.Replay.Tapes;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader replay FILE</c>: a recorded session run again through the real actors on virtual time, with exchange
/// answers from the tape and no network (<see cref="Replayer"/>); prints each decision, the notes where the replay and
/// the tape parted ways, a summary and the status log (<see cref="ReplayReport"/>), or the same as JSON lines.
/// Exit codes: 0 replayed, 1 the replay itself failed, 2 bad arguments, a tape that is refused (truncated, corrupt,
/// foreign: the message names the line and the reason) or a policy or model that cannot be used.
/// </summary>
public static class ReplayCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The tape: a recording made with 'trader run --record FILE' (.jsonl, or .jsonl.gz)" };
        var json = new Option<bool>("--json") { Description = "Write JSON lines (one per decision, then notes, a summary and the status log) instead of text" };
        var policy = new Option<string>("--policy")
        {
            Description = "Replay with this policy instead of the recorded one: hold, heuristic, onnx, position-aware:<inner>",
        };
        var model = new Option<string>("--model") { Description = "Replay with this ONNX model instead of the recorded one (for an onnx policy)" };
        var output = new Option<string>("--out") { Description = "Write the output to this file instead of the terminal" };

        var replay = new Command("replay",
            "Replay a recorded session through the real actor system on virtual time: exchange answers come from the tape,\n" +
            "market data arrives at its recorded times, no network is touched. Prints, per decision, the market, the 52\n" +
            "observation values, the policy's logits, the action and what became of its order; then notes, a summary and the\n" +
            "status log in copy-paste form. The same tape with the same model and settings always gives the same output.\n" +
            "With --policy or --model the same market data meets another policy; orders the tape never answered are reported\n" +
            "as such, never given an invented answer.\n\n" +
            "Examples:\n" +
            "  trader replay session.jsonl.gz\n" +
            "  trader replay session.jsonl.gz --json --out decisions.jsonl\n" +
            "  trader replay session.jsonl.gz --policy heuristic\n" +
            "  trader replay session.jsonl.gz --policy position-aware:onnx --model models/my_ppo.onnx")
        {
            file, json, policy, model, output,
        };
        replay.SetAction(async (result, ct) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            string path = result.GetValue(file)!;
            Tape tape;
            try
            {
                tape = TapeReader.Read(path);
            }
            catch (FileNotFoundException)
            {
                await stderr.WriteLineAsync($"error: tape not found: {path}");
                return BadInput;
            }
            catch (TapeFormatException e)
            {
                await stderr.WriteLineAsync($"error: not a usable tape: {e.Message}");
                return BadInput;
            }

            var options = new ReplayOptions { Policy = result.GetValue(policy), ModelPath = result.GetValue(model) };
            ReplayResult replayed;
            try
            {
                replayed = await Task.Run(() => Replayer.Run(tape, options), ct);
            }
            catch (Exception e) when (e is PolicyConfigurationException or PolicyModelException or SettingsException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return BadInput;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stderr.WriteLineAsync($"error: the replay failed: {e.Message}");
                return Failed;
            }

            string text = result.GetValue(json) ? ReplayReport.JsonLines(replayed) : ReplayReport.Text(replayed);
            if (result.GetValue(output) is { } outPath)
            {
                try
                {
                    var directory = Path.GetDirectoryName(Path.GetFullPath(outPath));
                    if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
                    await File.WriteAllTextAsync(outPath, text, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"error: cannot write {outPath}: {e.Message}");
                    return BadInput;
                }
                await stdout.WriteLineAsync($"wrote {outPath}: {replayed.Decisions.Count} decisions, {replayed.OrdersSent.Count} orders sent" +
                                            (replayed.UnansweredOrders.Any() ? $", {replayed.UnansweredOrders.Count()} never answered by the tape" : ""));
            }
            else
            {
                await stdout.WriteAsync(text);
            }
            return Ok;
        });
        return replay;
    }
}
