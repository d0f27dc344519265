using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Core.Positions;
using Trader.Core.Status;

namespace Trader.Replay.Replaying;

/// <summary>
/// What <c>trader replay</c> prints: per decision the time, the market, the 52 observation values (compactly labelled,
/// grouped as market / temporal / portfolio / orders), the policy's logits, the action, the order it proposed and what
/// became of it; then the notes (where the replay and the tape parted ways), a summary (orders, final state, cash,
/// positions and P&amp;L), and the status log in copy-paste form — or the same as JSON lines. Pure formatting of a
/// <see cref="ReplayResult"/>: numbers in the invariant culture, times in UTC, so equal results print equal text.
/// </summary>
public static class ReplayReport
{
    /// <summary>Short labels of the 52 observation values, in <see cref="ObservationLayout"/> order (docs/replay.md lists them with the training names).</summary>
    public static IReadOnlyList<string> Labels { get; } =
    [
        "bid_y", "ask_y", "bid_n", "ask_n", "mid_y", "mid_n", "spr_y", "spr_n", "sprp_y", "sprp_n", "reg_y", "reg_n", "be_y", "be_n",
        "vol", "vimb", "imb_y", "imb_n", "dratio", "cons", "micro_y", "micro_n", "depth_y", "depth_n", "conc_y", "conc_n",
        "upd", "tod", "act", "dact", "freq", "burst", "trend", "mom", "volat", "stab",
        "cash", "posr", "npos", "avgsz", "long", "short", "bias", "pconc", "big", "upnl", "lev",
        "obuy", "osell", "osince", "r1", "r2",
    ];

    private static readonly (string Name, int Start, int Count)[] Groups =
    [
        ("market", ObservationLayout.MarketStart, ObservationLayout.MarketCount),
        ("temporal", ObservationLayout.TemporalStart, ObservationLayout.TemporalCount),
        ("portfolio", ObservationLayout.PortfolioStart, ObservationLayout.PortfolioCount),
        ("orders", ObservationLayout.OrderStart, ObservationLayout.OrderCount),
    ];

    private const int Width = 118;

    // ---- text ----------------------------------------------------------------------------------------------------

    public static string Text(ReplayResult r)
    {
        var sb = new StringBuilder();
        var tape = r.Tape;
        sb.AppendLine($"Replay of {Path.GetFileName(tape.Path)}");
        sb.AppendLine($"  recorded  {tape.Start.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z → {tape.End.UtcDateTime:HH:mm:ss.fff}Z ({Seconds(tape.End - tape.Start)}), " +
                      $"{tape.Entries.Count} entries, exchange {tape.Header.Exchange ?? "unknown"}");
        sb.AppendLine($"  markets   {string.Join(", ", tape.Header.Markets)}");
        sb.AppendLine($"  policy    {r.Policy}");
        sb.AppendLine();

        int n = 0;
        foreach (var d in r.Decisions)
        {
            sb.AppendLine($"Decision {++n}  {d.At.UtcDateTime:HH:mm:ss.fff}Z  {d.Ticker}");
            foreach (var (name, start, count) in Groups)
                Wrap(sb, $"  {name,-10}", Enumerable.Range(start, count).Select(i => $"{Labels[i]}={Number(d.Observation[i])}"));
            sb.AppendLine(Row("logits", d.Logits.Length == 0
                ? "(none: the policy answers with an action only)"
                : $"[{string.Join(", ", d.Logits.Select(l => Number(l, "0.###")))}]"));
            sb.AppendLine(Row("action", $"{d.Action} {d.ActionName} → {d.Proposal}"));
            if (d.Result is { } result) sb.AppendLine(Row("outcome", result.ToString()));
            sb.AppendLine();
        }
        if (r.Decisions.Count == 0) sb.AppendLine("No decisions: the policy was never asked (no book it could trust while the trader was READY).").AppendLine();

        if (r.Notes.Count > 0)
        {
            sb.AppendLine("Notes");
            foreach (var note in r.Notes) Wrap(sb, "  - ", note.Split(' '), "    ");
            sb.AppendLine();
        }

        sb.AppendLine("Summary");
        var kinds = r.Decisions.GroupBy(d => ActionKind(d.ActionName)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}").ToList();
        sb.AppendLine(Row("decisions", $"{r.Decisions.Count}{(kinds.Count > 0 ? $" ({string.Join(", ", kinds)})" : "")}"));
        sb.AppendLine(Row("orders", $"{r.OrdersSent.Count} sent" +
            (r.OrdersSent.Count == 0 ? "" : ": " + string.Join("; ", r.OrdersSent.Select(o => $"{o.Side.ToString().ToLowerInvariant()} {o.Count.ToWireString()} @ {o.YesPrice.ToWireString()} YES on {o.Ticker}"))) +
            (r.UnansweredOrders.Any() ? $" ({r.UnansweredOrders.Count()} never answered by the tape)" : "")));
        if (r.CancelsSent.Count > 0) sb.AppendLine(Row("cancels", r.CancelsSent.Count.ToString(CultureInfo.InvariantCulture)));
        sb.AppendLine(Row("final", $"{r.Final.State.ToString().ToUpperInvariant()}, cash {r.Final.Trading.Cash.ToDisplayString()}"));
        foreach (var (ticker, p) in r.Positions.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.AppendLine(Row("position", $"{ticker}: {Describe(p)}"));
        sb.AppendLine();

        sb.AppendLine("Status log (copy-paste, UTC)");
        sb.AppendLine(r.StatusText.Length == 0 ? "(empty)" : r.StatusText);
        return sb.ToString();
    }

    private static string Row(string label, string text) => $"  {label,-10}{text}";

    private static string ActionKind(string name) => name.Split('×')[0];

    private static string Describe(Position p) =>
        $"{(p.Contracts.IsPositive ? "+" : "")}{p.Contracts.ToWireString()} contracts, cost {p.CostBasis.ToDisplayString()}, " +
        $"realized {Signed(p.RealizedPnl)}, fees {p.FeesPaid.ToDisplayString()}, net realized {Signed(p.NetRealizedPnl)}";

    private static string Signed(Money m) => StatusPhrases.Signed(m);

    private static void Wrap(StringBuilder sb, string prefix, IEnumerable<string> items, string? continuation = null)
    {
        continuation ??= new string(' ', prefix.Length);
        var line = new StringBuilder(prefix);
        bool first = true;
        foreach (var item in items)
        {
            if (!first && line.Length + 1 + item.Length > Width)
            {
                sb.AppendLine(line.ToString());
                line.Clear().Append(continuation);
                first = true;
            }
            if (!first) line.Append(' ');
            line.Append(item);
            first = false;
        }
        sb.AppendLine(line.ToString());
    }

    private static string Number(float v, string format = "0.####")
    {
        if (float.IsNaN(v)) return "NaN";
        if (float.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var s = v.ToString(format, CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    // ---- JSON lines ----------------------------------------------------------------------------------------------

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>
    /// One JSON object per line: <c>replay</c> (the tape, the policy, the observation's names), one <c>decision</c> per
    /// decision, one <c>note</c> per note, <c>summary</c>, then one <c>status</c> per status-log entry, oldest first.
    /// </summary>
    public static string JsonLines(ReplayResult r)
    {
        var sb = new StringBuilder();
        void Line(Action<Utf8JsonWriter> write)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer, JsonOptions))
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            }
            sb.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
        }

        Line(w =>
        {
            w.WriteString("type", "replay");
            w.WriteString("tape", Path.GetFileName(r.Tape.Path));
            w.WriteString("exchange", r.Tape.Header.Exchange);
            w.WriteStartArray("markets");
            foreach (var m in r.Tape.Header.Markets) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteString("start", Time(r.Tape.Start));
            w.WriteString("end", Time(r.Tape.End));
            w.WriteString("policy", r.Policy);
            w.WriteStartArray("observation_names");
            for (int i = 0; i < ObservationLayout.Length; i++) w.WriteStringValue(ObservationLayout.NameOf(i));
            w.WriteEndArray();
        });

        int n = 0;
        foreach (var d in r.Decisions)
        {
            Line(w =>
            {
                w.WriteString("type", "decision");
                w.WriteNumber("n", ++n);
                w.WriteString("id", d.DecisionId);
                w.WriteString("at", Time(d.At));
                w.WriteString("market", d.Ticker);
                WriteFloats(w, "observation", d.Observation);
                WriteFloats(w, "logits", d.Logits);
                w.WriteNumber("action", d.Action);
                w.WriteString("action_name", d.ActionName);
                w.WriteString("proposal", d.Proposal);
                if (d.Result is { } result)
                {
                    w.WriteString("outcome", result.Outcome.ToString().ToLowerInvariant());
                    if (result.ClientOrderId is { } cid) w.WriteString("client_order_id", cid);
                    if (result.Code is { } code) w.WriteString("code", code);
                    if (result.Message is { } message) w.WriteString("message", message);
                }
            });
        }

        foreach (var note in r.Notes)
        {
            Line(w =>
            {
                w.WriteString("type", "note");
                w.WriteString("text", note);
            });
        }

        Line(w =>
        {
            w.WriteString("type", "summary");
            w.WriteNumber("decisions", r.Decisions.Count);
            w.WriteStartArray("orders_sent");
            foreach (var o in r.OrdersSent)
            {
                w.WriteStartObject();
                w.WriteString("market", o.Ticker);
                w.WriteString("client_order_id", o.ClientOrderId);
                w.WriteString("side", o.Side.ToString().ToLowerInvariant());
                w.WriteString("yes_price", o.YesPrice.ToWireString());
                w.WriteString("count", o.Count.ToWireString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("unanswered_orders", r.UnansweredOrders.Count());
            w.WriteNumber("unanswered_requests", r.Unanswered.Count);
            w.WriteNumber("cancels_sent", r.CancelsSent.Count);
            w.WriteString("final_state", r.Final.State.ToString().ToLowerInvariant());
            w.WriteString("cash", r.Final.Trading.Cash.ToWireString());
            w.WriteStartArray("positions");
            foreach (var (ticker, p) in r.Positions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("market", ticker);
                w.WriteString("contracts", p.Contracts.ToWireString());
                w.WriteString("cost", p.CostBasis.ToWireString());
                w.WriteString("realized_pnl", p.RealizedPnl.ToWireString());
                w.WriteString("fees", p.FeesPaid.ToWireString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        foreach (var e in r.StatusLog.Entries)
        {
            Line(w =>
            {
                w.WriteString("type", "status");
                w.WriteString("at", Time(e.Timestamp));
                w.WriteString("status", e.Status);
                if (e.Result is { } result) w.WriteString("result", result);
                if (e.Duration is { } duration) w.WriteNumber("duration_s", Math.Round((decimal)duration.TotalSeconds, 3));
                w.WriteString("line", StatusText.FormatLine(e, TimeZoneInfo.Utc));
            });
        }
        return sb.ToString();
    }

    private static void WriteFloats(Utf8JsonWriter w, string name, float[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (float.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteStringValue(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
        w.WriteEndArray();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
