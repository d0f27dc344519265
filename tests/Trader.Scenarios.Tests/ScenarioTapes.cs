using System.Collections.Concurrent;
using Trader.Core.Status;
using Trader.Replay.Replaying;
using Trader.Replay.Tapes;

namespace Trader.Scenarios.Tests;

/// <summary>
/// The committed tapes (Tapes/, recorded from the simulated exchange by scripts/record-scenarios) and their replays.
/// A replay of a tape with its recorded settings is computed once and shared by the tests that look at it: replays are
/// deterministic, which <see cref="DeterminismTests"/> checks.
/// </summary>
internal static class ScenarioTapes
{
    public const string CalibrationReady = "calibration-ready.jsonl";
    public const string Orderbook503 = "orderbook-503.jsonl";
    public const string Fills = "fills-and-partial-fills.jsonl";
    public const string SequenceGap = "sequence-gap.jsonl";
    public const string Reconnect = "reconnect.jsonl.gz";
    public const string ExchangeDown = "exchange-down.jsonl";
    public const string AmbiguousCreate = "ambiguous-create.jsonl";
    public const string Settlement = "settlement.jsonl";

    public const string MarketA = "KXHIGHNY-26DEC01-B45.5";
    public const string MarketB = "KXBTCD-26DEC01-T100000";

    public static IEnumerable<object[]> All =>
        new[] { CalibrationReady, Orderbook503, Fills, SequenceGap, Reconnect, ExchangeDown, AmbiguousCreate, Settlement }.Select(n => new object[] { n });

    private static readonly ConcurrentDictionary<string, Lazy<ReplayResult>> Replays = new();

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Tapes", name);

    public static Tape Read(string name) => TapeReader.Read(PathOf(name));

    /// <summary>The tape replayed as recorded (computed once).</summary>
    public static ReplayResult Replayed(string name) =>
        Replays.GetOrAdd(name, n => new Lazy<ReplayResult>(() => Replayer.Run(Read(n)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    public static ReplayResult Replayed(string name, ReplayOptions options) => Replayer.Run(Read(name), options);

    /// <summary>The status log oldest first, as <c>status</c> or <c>status result</c>.</summary>
    public static List<string> StatusLines(this ReplayResult r) =>
        r.StatusLog.Entries.Select(e => e.Status + (string.IsNullOrEmpty(e.Result) ? "" : " " + e.Result)).ToList();

    /// <summary>
    /// The replay did what the recorded trader did: every request it made had its recorded answer, it re-made every
    /// write the recording made (orders, cancels), and every connection and frame found its place. (A read the
    /// recording made and the replay did not — a fill poll whose timer the live trader's own processing time shifted —
    /// is not a difference in behaviour.)
    /// </summary>
    public static void AssertFaithful(this ReplayResult r)
    {
        Assert.Empty(r.Unanswered);
        Assert.DoesNotContain(r.NotAsked, e => e.Method != "GET");
        Assert.DoesNotContain(r.Notes, n => !n.Contains("recorded REST answer"));
    }

    public static List<StatusEntry> Entries(this ReplayResult r, string status) => r.StatusLog.Entries.Where(e => e.Status == status).ToList();
}
