using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Trader.Replay.Tapes;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader tape …</c>: working with recorded sessions. <c>info</c> says what a tape holds (and refuses a bad one with
/// the line and the reason); <c>cut</c> keeps a time range and/or some markets of it, so that the result still
/// replays (<see cref="TapeCutter"/>). Exit codes: 0 done, 2 bad arguments or a refused tape.
/// </summary>
public static partial class TapeCommands
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public static Command Create()
    {
        var tape = new Command("tape", "Recorded sessions (tapes): what one holds, cutting one to a time range or some markets.");
        tape.Add(CreateInfo());
        tape.Add(CreateCut());
        return tape;
    }

    // ---- info --------------------------------------------------------------------------------------------------

    private static Command CreateInfo()
    {
        var file = new Argument<string>("FILE") { Description = "The tape (.jsonl or .jsonl.gz)" };
        var info = new Command("info",
            "Say what a tape holds: where and when it was recorded, its markets and settings, its entries by kind.\n\n" +
            "Example:\n" +
            "  trader tape info session.jsonl.gz")
        {
            file,
        };
        info.SetAction(async (result, ct) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            if (await ReadAsync(result.GetValue(file)!, result.InvocationConfiguration.Error) is not { } t) return BadInput;
            await stdout.WriteLineAsync($"tape      {t.Path}");
            await stdout.WriteLineAsync($"recorded  {t.Start.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z → {t.End.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z ({(t.End - t.Start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
            await stdout.WriteLineAsync($"exchange  {t.Header.Exchange ?? "unknown"}");
            await stdout.WriteLineAsync($"markets   {string.Join(", ", t.Header.Markets)}");
            if (t.Header.Note is { } note) await stdout.WriteLineAsync($"note      {note}");
            var policy = t.Header.Config?.Split('\n').FirstOrDefault(l => l.StartsWith("trader.decisions.policy", StringComparison.Ordinal));
            if (policy is not null) await stdout.WriteLineAsync($"policy    {policy.Split('=', 2)[1].Trim().Trim('"')}");
            await stdout.WriteLineAsync($"entries   {t.Entries.Count}: " + string.Join(", ", t.Entries.GroupBy(e => e.Kind).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} {KindName(g.Key)}")));
            var orders = t.Entries.Count(e => e.Kind == TapeEntryKind.Http && e.Method == "POST" && e.Path!.EndsWith("/portfolio/events/orders", StringComparison.Ordinal));
            await stdout.WriteLineAsync($"orders    {orders} sent");
            return Ok;
        });
        return info;
    }

    private static string KindName(TapeEntryKind kind) => kind switch
    {
        TapeEntryKind.Http => "REST exchanges",
        TapeEntryKind.WsConnect => "connection attempts",
        TapeEntryKind.WsReceive => "frames received",
        TapeEntryKind.WsSend => "commands sent",
        TapeEntryKind.WsClose => "connection ends",
        _ => kind.ToString(),
    };

    // ---- cut ---------------------------------------------------------------------------------------------------

    private static Command CreateCut()
    {
        var input = new Argument<string>("IN") { Description = "The tape to cut" };
        var output = new Argument<string>("OUT") { Description = "Where to write the cut tape (compressed when the name ends in .gz)" };
        var from = new Option<string>("--from")
        {
            Description = "Keep from this time: an ISO 8601 time (2026-12-05T14:05:00Z), a UTC time of day on the tape's first day (14:05:00), or an offset from the tape's start (+90s, +5m, +1h)",
        };
        var to = new Option<string>("--to") { Description = "Keep up to this time (same forms as --from)" };
        var markets = new Option<string>("--markets") { Description = "Keep only these markets of the tape, comma-separated" };

        var cut = new Command("cut",
            "Cut a tape to a time range and/or some of its markets, keeping what a replay needs. The header keeps only the\n" +
            "chosen markets; their frames and requests are kept, other markets' are dropped (answers about the whole account,\n" +
            "such as the balance, are kept whole) and sequence numbers are renumbered so no gap appears. A cut with --from\n" +
            "begins at the last calibration before that time, so the replayed trader starts from a state the exchange\n" +
            "confirmed and reaches --from as the live trader did; the streams open then are carried over, with each book as\n" +
            "it stood. See docs/replay.md.\n\n" +
            "Examples:\n" +
            "  trader tape cut session.jsonl.gz morning.jsonl.gz --from 14:05:00 --to 14:20:00\n" +
            "  trader tape cut session.jsonl.gz one-market.jsonl --markets KXHIGHNY-26DEC01-B45.5\n" +
            "  trader tape cut session.jsonl.gz first-minutes.jsonl --to +10m")
        {
            input, output, from, to, markets,
        };
        cut.SetAction(async (result, ct) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            string inPath = result.GetValue(input)!, outPath = result.GetValue(output)!;
            if (Path.GetFullPath(inPath) == Path.GetFullPath(outPath))
            {
                await stderr.WriteLineAsync("error: OUT is the same file as IN; write the cut tape somewhere else");
                return BadInput;
            }
            if (await ReadAsync(inPath, stderr) is not { } tape) return BadInput;

            var options = new TapeCutOptions();
            foreach (var (option, name) in new[] { (from, "--from"), (to, "--to") })
            {
                if (result.GetValue(option) is not { } text) continue;
                if (!TryParseTime(text, tape.Start, out var time, out var problem))
                {
                    await stderr.WriteLineAsync($"error: {name} '{text}': {problem}");
                    return BadInput;
                }
                options = name == "--from" ? options with { From = time } : options with { To = time };
            }
            if (result.GetValue(markets) is { } list)
            {
                var tickers = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (tickers.Length == 0)
                {
                    await stderr.WriteLineAsync("error: --markets names no market");
                    return BadInput;
                }
                options = options with { Markets = tickers };
            }

            TapeCutResult cutTape;
            try
            {
                cutTape = TapeCutter.Cut(tape, options);
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return BadInput;
            }
            try
            {
                TapeWriter.Save(cutTape.Tape, outPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: cannot write {outPath}: {e.Message}");
                return BadInput;
            }
            var t = cutTape.Tape;
            await stdout.WriteLineAsync($"wrote {outPath}: {t.Entries.Count} of {tape.Entries.Count} entries, " +
                                        $"{t.Start.UtcDateTime:HH:mm:ss.fff}Z → {t.End.UtcDateTime:HH:mm:ss.fff}Z, markets {string.Join(", ", t.Header.Markets)}");
            foreach (var line in cutTape.Summary) await stdout.WriteLineAsync($"  {line}");
            return Ok;
        });
        return cut;
    }

    private static async Task<Tape?> ReadAsync(string path, TextWriter stderr)
    {
        try
        {
            return TapeReader.Read(path);
        }
        catch (FileNotFoundException)
        {
            await stderr.WriteLineAsync($"error: tape not found: {path}");
        }
        catch (TapeFormatException e)
        {
            await stderr.WriteLineAsync($"error: not a usable tape: {e.Message}");
        }
        return null;
    }

    /// <summary>
    /// An ISO 8601 time (UTC when it has no offset), a UTC time of day on the day the tape starts, or an offset from
    /// the tape's start (<c>+90s</c>, <c>+5m</c>, <c>+1h</c>, <c>+1.5s</c>).
    /// </summary>
    internal static bool TryParseTime(string text, DateTimeOffset tapeStart, out DateTimeOffset time, out string problem)
    {
        time = default;
        problem = "";
        text = text.Trim();
        if (Offset().Match(text) is { Success: true } m)
        {
            var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
            time = tapeStart + span;
            return true;
        }
        if (TimeSpan.TryParseExact(text, [@"hh\:mm", @"hh\:mm\:ss", @"hh\:mm\:ss\.FFFFFFF"], CultureInfo.InvariantCulture, out var ofDay))
        {
            time = new DateTimeOffset(tapeStart.UtcDateTime.Date, TimeSpan.Zero) + ofDay;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
            return true;
        problem = "not a time: use an ISO 8601 time (2026-12-05T14:05:00Z), a UTC time of day (14:05:00) or an offset from the tape's start (+90s, +5m)";
        return false;
    }

    [GeneratedRegex(@"^\+(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex Offset();
}
