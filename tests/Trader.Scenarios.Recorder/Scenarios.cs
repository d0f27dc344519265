using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Server.Faults;

namespace Trader.Scenarios.Recorder;

/// <summary>
/// A scenario of the suite: a name (the tape's file name), what it shows, the trader's settings (recorded in the tape's
/// header, so the replay runs with them), the exchange's faults at start, and the script that drives it.
/// </summary>
internal sealed record Scenario(string Name, string Description, IReadOnlyList<string> Markets, string Hocon, Func<ScenarioSession, Task> Drive)
{
    public int Seed { get; init; } = 42;

    public FaultSettings? InitialFaults { get; init; }

    /// <summary>Write the tape gzip-compressed (<c>.jsonl.gz</c>); the suite keeps one such tape to replay the compressed form.</summary>
    public bool Compressed { get; init; }

    public string FileName => Name + (Compressed ? ".jsonl.gz" : ".jsonl");
}

/// <summary>
/// The scenarios. Each keeps the books tiny and explicit — the counterparty's orders only — so the heuristic policy's
/// decisions follow from the book alone (it buys YES at the ask when the spread is at most 3¢ and the YES side leans
/// to the bid, sells a held position into a book that leans to the ask), and each step waits for the trader to react
/// before the next one, so the replay meets the same books at the same moments.
/// </summary>
internal static class Scenarios
{
    public const string MarketA = "KXHIGHNY-26DEC01-B45.5";
    public const string MarketB = "KXBTCD-26DEC01-T100000";

    /// <summary>Settings of every scenario: the heuristic policy, fast fill polls, short recalibration backoff.</summary>
    private const string Common = """
        trader {
          decisions.policy = "heuristic"
          decisions.contracts = 5
          # 700 ms, not 1 s: a poll timer that is a whole fraction of the recalibration interval would fire at the same
          # instant as it, and which of two timers due together runs first is not something a recording can pin down.
          sync.fill-poll-interval = 700ms
          calibration { backoff-min = 2s, backoff-max = 8s }
          orders.unknown-lookup-delay = 1s
          status.time-zone = "UTC"
        }
        """;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("calibration-ready",
            "Start-up: exchange check, sync, READY; both streams up; the hold policy watches a tight book it never trades. " +
            "(Replayed with --policy heuristic, the same tape shows orders the tape never answered.)",
            [MarketA, MarketB], Common + "\ntrader.decisions.policy = \"hold\"", async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                await s.WaitUntilAsync("both books snapshotted", () => s.Seen.Snapshots >= 2);
                s.Place(MarketA, BookSide.Bid, "0.50", 100);
                s.Place(MarketA, BookSide.Ask, "0.52", 10);
                s.Place(MarketB, BookSide.Bid, "0.30", 10);
                s.Place(MarketB, BookSide.Ask, "0.40", 10);
                await s.WaitUntilAsync("a decision in each market", () => s.Seen.Decisions.Select(d => d.Ticker).Distinct().Count() == 2);
                await s.RunOnAsync(Settle);
            }),

        new("orderbook-503",
            "Every WebSocket upgrade is refused with 503 (as Kalshi's demo refused the order-book socket): the trader calibrates " +
            "and is READY without streams (degraded: markets stale, fills by REST polling). The fault is cleared, the streams " +
            "connect on their backoff, and the trader trades.",
            [MarketA], Common, async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                await s.WaitUntilAsync("orderbook reported down", () => s.StatusLog.Any(e => e.Status.EndsWith("-> orderbook down", StringComparison.Ordinal)));
                await s.RunOnAsync(TimeSpan.FromSeconds(2));
                s.Faults.Clear();
                s.Note("faults cleared");
                await s.WaitUntilAsync("orderbook up", () => s.HasStatus("ready -> orderbook up"), TimeSpan.FromSeconds(40));
                await s.WaitUntilAsync("book snapshot", () => s.Seen.Snapshots >= 1);
                s.Place(MarketA, BookSide.Bid, "0.50", 100);
                s.Place(MarketA, BookSide.Ask, "0.52", 5);
                await s.WaitUntilAsync("trader holds 5", async () => s.ExchangePosition(MarketA) == Quantity.FromContracts(5) &&
                                                                    await s.TraderPositionAsync(MarketA) == Quantity.FromContracts(5));
                await s.RunOnAsync(Settle);
            }) { InitialFaults = new FaultSettings { WebsocketUpgrade503 = -1 } },

        new("fills-and-partial-fills",
            "The trader buys 5 YES at the 52¢ ask where only 2 are offered (a partial fill; 3 rest), the rest fill when the " +
            "counterparty sells 3 more; then it sells its 5 at 58¢ into a book leaning to the ask: position back to 0, " +
            "realized P&L 30¢ less fees.",
            [MarketA], Common, async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                await s.WaitUntilAsync("book snapshot", () => s.Seen.Snapshots >= 1);
                var bid = s.Place(MarketA, BookSide.Bid, "0.50", 100);
                s.Place(MarketA, BookSide.Ask, "0.52", 2);
                await s.WaitUntilAsync("partial fill: trader holds 2", async () => await s.TraderPositionAsync(MarketA) == Quantity.FromContracts(2));
                await s.RunOnAsync(TimeSpan.FromSeconds(0.5));
                s.Place(MarketA, BookSide.Ask, "0.52", 3);
                await s.WaitUntilAsync("rest filled: trader holds 5", async () => await s.TraderPositionAsync(MarketA) == Quantity.FromContracts(5));
                await s.RunOnAsync(TimeSpan.FromSeconds(0.5));
                s.Cancel(bid);
                s.Place(MarketA, BookSide.Ask, "0.60", 100);
                s.Place(MarketA, BookSide.Bid, "0.58", 5);
                await s.WaitUntilAsync("sold: trader flat", async () => s.ExchangePosition(MarketA).IsZero && (await s.TraderPositionAsync(MarketA)).IsZero);
                await s.RunOnAsync(Settle);
            }),

        new("sequence-gap",
            "A book frame skips a sequence number: the trader marks the market stale, asks for a snapshot (get_snapshot), " +
            "gets it and decides on the fresh book again.",
            [MarketA], Common, async s =>
            {
                await TwoSidedBookDecidedAsync(s);
                s.Faults.Apply(new FaultSettings { SkipSequence = 1 });
                s.Note("fault: skip one sequence number");
                s.Place(MarketA, BookSide.Bid, "0.41", 5);
                await s.WaitUntilAsync("gap detected and book re-snapshotted", () => s.Seen.Gaps >= 1 && s.Seen.Snapshots >= 2);
                int before = s.Seen.Decisions.Count;
                s.Place(MarketA, BookSide.Ask, "0.59", 5);
                await s.WaitUntilAsync("a decision on the fresh book", () => s.Seen.Decisions.Count > before);
                await s.RunOnAsync(Settle);
            }),

        new("reconnect",
            "Mid-session the exchange drops every WebSocket connection: both streams go down (the trader stays READY), " +
            "reconnect on their backoff, resubscribe, and the book comes back with a fresh snapshot. Tape compressed.",
            [MarketA], Common, async s =>
            {
                await TwoSidedBookDecidedAsync(s);
                s.Note($"dropped {s.DropWebSockets()} WebSocket connections");
                await s.WaitUntilAsync("orderbook back up", () => s.HasStatus("ready -> orderbook up"), TimeSpan.FromSeconds(20));
                await s.WaitUntilAsync("book snapshot after reconnect", () => s.Seen.Snapshots >= 2);
                int before = s.Seen.Decisions.Count;
                s.Place(MarketA, BookSide.Bid, "0.41", 5);
                await s.WaitUntilAsync("a decision after the reconnect", () => s.Seen.Decisions.Count > before);
                await s.RunOnAsync(Settle);
            }) { Compressed = true },

        new("exchange-down",
            "The exchange's status endpoint fails (503) during a periodic recalibration: after the client's retries the " +
            "calibration fails, the trader goes to ERROR and retries with backoff; once the exchange answers again it " +
            "recalibrates to READY by itself.",
            [MarketA], Common + "\ntrader.calibration.interval = 3s\ntrader.decisions.policy = \"hold\"", async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                s.Faults.Apply(new FaultSettings { Rest = [new RestFaultRule("/exchange/status", 503, Method: "GET", Times: -1)] });
                s.Note("fault: GET /exchange/status answers 503");
                await s.WaitUntilAsync("ERROR twice", () => s.HasStatus("error", 2), TimeSpan.FromSeconds(40));
                s.Faults.Clear();
                s.Note("faults cleared");
                await s.WaitUntilAsync("READY again", async () => (await s.StatusAsync()).State == TraderState.Ready && s.HasStatus("ready", 2), TimeSpan.FromSeconds(40));
                await s.RunOnAsync(Settle);
            }),

        new("ambiguous-create",
            "The exchange executes the trader's order but the connection drops before the answer: the outcome is unknown, " +
            "the market is blocked, the order is looked up by its client order id, found, and adopted — never sent twice.",
            [MarketA], Common, async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                await s.WaitUntilAsync("book snapshot", () => s.Seen.Snapshots >= 1);
                s.Faults.Apply(new FaultSettings
                {
                    Rest = [new RestFaultRule("/portfolio/events/orders", 0, Method: "POST", Times: 1, AfterExecute: true)],
                });
                s.Note("fault: the next order create is executed, then its connection aborted");
                s.Place(MarketA, BookSide.Bid, "0.50", 100);
                s.Place(MarketA, BookSide.Ask, "0.52", 2);
                await s.WaitUntilAsync("outcome unknown", () => s.HasStatus("ready -> order outcome unknown"));
                await s.WaitUntilAsync("the order found again: market unblocked, 1 open order", async () =>
                {
                    var status = await s.StatusAsync();
                    return status.Trading.Blocked.IsEmpty && status.Trading.OpenOrders.GetValueOrDefault(MarketA) == 1 &&
                           status.Trading.Positions.GetValueOrDefault(MarketA) == Quantity.FromContracts(2);
                });
                await s.RunOnAsync(Settle);
            }),

        new("settlement",
            "The trader buys 5 YES at 52¢ and a calibration confirms it; the market closes, is determined YES and settled; the next calibration reads " +
            "the settlement: the position is closed at $1.00, realized P&L $2.40 less fees, cash up by $5.00.",
            [MarketA], Common + "\ntrader.calibration.interval = 3s", async s =>
            {
                await s.WaitForStateAsync(TraderState.Ready);
                await s.WaitUntilAsync("book snapshot", () => s.Seen.Snapshots >= 1);
                s.Place(MarketA, BookSide.Bid, "0.50", 100);
                s.Place(MarketA, BookSide.Ask, "0.52", 5);
                await s.WaitUntilAsync("trader holds 5", async () => await s.TraderPositionAsync(MarketA) == Quantity.FromContracts(5));
                // A periodic calibration confirms the position first (the suite cuts the tape there: see CutReplayTests).
                await s.WaitUntilAsync("a calibration with the position held", () => s.HasStatus("ready", 2), TimeSpan.FromSeconds(10));
                await s.RunOnAsync(TimeSpan.FromSeconds(0.3));
                // Determining closes the market first (a separate close would let the exchange's clock determine it).
                s.Exchange(x => x.DetermineMarket(MarketA, MarketResult.Yes).Value);
                s.Exchange(x => x.SettleMarket(MarketA).Value);
                s.Note("market closed, determined YES and settled");
                await s.WaitUntilAsync("position settled", async () => (await s.TraderPositionAsync(MarketA)).IsZero, TimeSpan.FromSeconds(20));
                await s.RunOnAsync(Settle);
            }),
    ];

    /// <summary>READY, the first snapshot, then a two-sided book (0.40 / 0.60) on market A and a decision on it.</summary>
    private static async Task TwoSidedBookDecidedAsync(ScenarioSession s)
    {
        await s.WaitForStateAsync(TraderState.Ready);
        await s.WaitUntilAsync("book snapshot", () => s.Seen.Snapshots >= 1);
        s.Place(MarketA, BookSide.Bid, "0.40", 10);
        s.Place(MarketA, BookSide.Ask, "0.60", 10);
        await s.WaitUntilAsync("a decision on the two-sided book", () => s.Seen.Decisions.Count >= 1);
    }
}
