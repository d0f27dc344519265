using System.Text.Json;
using Trader.Console.Commands;

namespace Trader.Console.Tests;

/// <summary><c>trader replay</c> and <c>trader tape</c>, in process, on tapes of the scenario suite.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Tape(string name) => Path.Combine(AppContext.BaseDirectory, "Tapes", name);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Replay_prints_each_decision_then_notes_summary_and_the_status_log()
    {
        var (code, output, error) = await Run("replay", Tape("fills-and-partial-fills.jsonl"));
        Assert.Equal(ReplayCommand.Ok, code);
        Assert.Equal("", error);
        Assert.StartsWith("Replay of fills-and-partial-fills.jsonl\n", output);
        Assert.Contains("  policy    heuristic\n", output);
        Assert.Contains("\nDecision 1  ", output);
        // The 52 values, labelled, in their four groups.
        foreach (var label in new[] { "  market    bid_y=", " conc_n=", "  temporal  upd=", " stab=", "  portfolio cash=", " lev=", "  orders    obuy=", " r2=" })
            Assert.Contains(label, output);
        Assert.Contains("  action    1 BUY_YES×5.00 → BUY_YES 5.00 @ 0.5200\n  outcome   placed (replay-000001)", output);
        Assert.Contains("  orders    2 sent: bid 5.00 @ 0.5200 YES on KXHIGHNY-26DEC01-B45.5; ask 5.00 @ 0.5800 YES on KXHIGHNY-26DEC01-B45.5", output);
        Assert.Contains("realized +$0.30", output);
        Assert.DoesNotContain("\nNotes\n", output);
        var statusLog = output[(output.IndexOf("Status log (copy-paste, UTC)\n", StringComparison.Ordinal) + 29)..];
        Assert.EndsWith("calibrating startup\n", statusLog.Replace("\r", ""));
        Assert.Contains(" ready cash $1000.00", statusLog);

        Assert.Equal(output, (await Run("replay", Tape("fills-and-partial-fills.jsonl"))).Out); // the same, every time
    }

    [Fact]
    public async Task Replay_as_json_lines_carries_the_same()
    {
        var (code, output, _) = await Run("replay", Tape("fills-and-partial-fills.jsonl"), "--json");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("replay", lines[0].GetProperty("type").GetString());
        Assert.Equal(52, lines[0].GetProperty("observation_names").GetArrayLength());
        Assert.Equal("best_yes_bid_norm", lines[0].GetProperty("observation_names")[0].GetString());
        var decisions = lines.Where(l => l.GetProperty("type").GetString() == "decision").ToList();
        Assert.NotEmpty(decisions);
        Assert.All(decisions, d => Assert.Equal(52, d.GetProperty("observation").GetArrayLength()));
        var buy = decisions.Single(d => d.GetProperty("action_name").GetString() == "BUY_YES×5.00");
        Assert.Equal(("KXHIGHNY-26DEC01-B45.5", "placed", "replay-000001"),
            (buy.GetProperty("market").GetString(), buy.GetProperty("outcome").GetString(), buy.GetProperty("client_order_id").GetString()));
        Assert.Equal(0.52, buy.GetProperty("observation")[1].GetDouble(), 4);
        var summary = lines.Single(l => l.GetProperty("type").GetString() == "summary");
        Assert.Equal(2, summary.GetProperty("orders_sent").GetArrayLength());
        Assert.Equal("0.300000", summary.GetProperty("positions")[0].GetProperty("realized_pnl").GetString());
        var status = lines.Where(l => l.GetProperty("type").GetString() == "status").ToList();
        Assert.Equal("calibrating", status[0].GetProperty("status").GetString());
        Assert.Equal("ready", status[^1].GetProperty("status").GetString());
        Assert.EndsWith(" calibrating startup", status[0].GetProperty("line").GetString());
    }

    [Fact]
    public async Task Replay_with_another_policy_says_plainly_which_orders_the_tape_never_answered()
    {
        var (code, output, _) = await Run("replay", Tape("calibration-ready.jsonl"), "--policy", "heuristic");
        Assert.Equal(0, code);
        Assert.Contains("  policy    heuristic\n", output);
        Assert.Contains("\nNotes\n  - the replayed policy sent 1 order the tape never answered: ", output);
        Assert.Contains("(1 never answered by the tape)", output);
        Assert.Contains("outcome   outcome unknown: ", output);
    }

    [Fact]
    public async Task Replay_writes_to_a_file_with_out()
    {
        var path = Path.Combine(_dir, "out", "decisions.jsonl");
        var (code, output, _) = await Run("replay", Tape("reconnect.jsonl.gz"), "--json", "--out", path);
        Assert.Equal(0, code);
        Assert.StartsWith($"wrote {path}: ", output);
        Assert.StartsWith("{\"type\":\"replay\",\"tape\":\"reconnect.jsonl.gz\"", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Bad_tapes_are_refused_with_the_line_and_the_reason()
    {
        var lines = await File.ReadAllLinesAsync(Tape("fills-and-partial-fills.jsonl"));
        var truncated = Path.Combine(_dir, "truncated.jsonl");
        await File.WriteAllTextAsync(truncated, string.Join('\n', lines.Take(6)) + "\n" + lines[6][..40]);
        var (code, _, error) = await Run("replay", truncated);
        Assert.Equal(ReplayCommand.BadInput, code);
        Assert.Equal($"error: not a usable tape: {truncated}: line 7: truncated: the recording stops in the middle of this line\n", error.Replace("\r", ""));

        var corrupt = Path.Combine(_dir, "corrupt.jsonl");
        await File.WriteAllLinesAsync(corrupt, lines.Take(3).Append("{\"at\":\"2026-12-05T01:34:44Z\",\"kind\":\"teleport\"}").Concat(lines.Skip(4)));
        (code, _, error) = await Run("replay", corrupt);
        Assert.Equal(2, code);
        Assert.Contains($"{corrupt}: line 4: corrupt entry", error);

        var foreign = Path.Combine(_dir, "package.json");
        await File.WriteAllTextAsync(foreign, "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}\n");
        (code, _, error) = await Run("replay", foreign);
        Assert.Equal(2, code);
        Assert.Contains("line 1: not a Trader.Actors tape", error);

        (code, _, error) = await Run("replay", Path.Combine(_dir, "missing.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("tape not found", error);
    }

    [Theory]
    [InlineData(new[] { "--policy", "clairvoyant" }, "unknown policy 'clairvoyant'")]
    [InlineData(new[] { "--model", "models/default.onnx" }, "the policy 'heuristic' does not use one")]
    [InlineData(new[] { "--policy", "onnx", "--model", "/no/such/model.onnx" }, "/no/such/model.onnx")]
    public async Task Unusable_policies_and_models_are_refused(string[] options, string expected)
    {
        var (code, output, error) = await Run(["replay", Tape("fills-and-partial-fills.jsonl"), .. options]);
        Assert.Equal(ReplayCommand.BadInput, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Help_explains_replay_and_tape_with_examples()
    {
        var (code, output, _) = await Run("replay", "--help");
        Assert.Equal(0, code);
        foreach (var expected in new[] { "virtual time", "Examples:", "trader replay session.jsonl.gz --json", "--policy", "--model", "--out" })
            Assert.Contains(expected, output);
        (code, output, _) = await Run("tape", "cut", "--help");
        Assert.Equal(0, code);
        Assert.Contains("trader tape cut session.jsonl.gz morning.jsonl.gz --from 14:05:00 --to 14:20:00", output);
        Assert.Contains("replay", (await Run("--help")).Out);
    }

    [Fact]
    public async Task Tape_info_says_what_a_tape_holds()
    {
        var (code, output, _) = await Run("tape", "info", Tape("fills-and-partial-fills.jsonl"));
        Assert.Equal(0, code);
        Assert.Contains("markets   KXHIGHNY-26DEC01-B45.5\n", output);
        Assert.Contains("policy    heuristic\n", output);
        Assert.Contains("orders    2 sent\n", output);
        Assert.Matches(@"entries   \d+: \d+ REST exchanges, 2 connection attempts, \d+ frames received", output);
    }

    [Fact]
    public async Task Tape_cut_writes_a_tape_that_replays()
    {
        var cut = Path.Combine(_dir, "one-market.jsonl.gz");
        var (code, output, error) = await Run("tape", "cut", Tape("calibration-ready.jsonl"), cut, "--markets", "KXBTCD-26DEC01-T100000", "--to", "+1.5s");
        Assert.Equal(TapeCommands.Ok, code);
        Assert.Equal("", error);
        Assert.StartsWith($"wrote {cut}: ", output);
        Assert.Contains("markets KXBTCD-26DEC01-T100000", output);
        Assert.Contains("dropped 3 entries about other markets", output);

        (code, output, _) = await Run("replay", cut);
        Assert.Equal(0, code);
        Assert.Contains("  markets   KXBTCD-26DEC01-T100000\n", output);
        Assert.DoesNotContain("KXHIGHNY", output[..output.IndexOf("Summary", StringComparison.Ordinal)]);
    }

    [Theory]
    [InlineData(new[] { "--from", "yesterday" }, "--from 'yesterday': not a time")]
    [InlineData(new[] { "--markets", "KXNOPE" }, "the tape has no market KXNOPE")]
    [InlineData(new[] { "--from", "+2s", "--to", "+1s" }, "is not before --to")]
    public async Task Tape_cut_refuses_what_it_cannot_do(string[] options, string expected)
    {
        var (code, _, error) = await Run(["tape", "cut", Tape("calibration-ready.jsonl"), Path.Combine(_dir, "x.jsonl"), .. options]);
        Assert.Equal(TapeCommands.BadInput, code);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.jsonl")));
    }

    [Theory]
    [InlineData("2026-12-05T14:05:00Z", "2026-12-05T14:05:00.0000000+00:00")]
    [InlineData("2026-12-05T15:05:00+01:00", "2026-12-05T14:05:00.0000000+00:00")]
    [InlineData("14:05:30", "2026-12-05T14:05:30.0000000+00:00")]
    [InlineData("14:05:30.25", "2026-12-05T14:05:30.2500000+00:00")]
    [InlineData("+90s", "2026-12-05T14:01:30.0000000+00:00")]
    [InlineData("+2m", "2026-12-05T14:02:00.0000000+00:00")]
    [InlineData("+1.5h", "2026-12-05T15:30:00.0000000+00:00")]
    public void Times_for_cutting(string text, string expected)
    {
        Assert.True(TapeCommands.TryParseTime(text, new DateTimeOffset(2026, 12, 5, 14, 0, 0, TimeSpan.Zero), out var time, out _));
        Assert.Equal(expected, time.ToString("O"));
    }
}
