using System.Globalization;
using System.Text;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Status;

namespace Trader.Console.Watching;

/// <summary>How to draw a snapshot: the terminal's size, the status log's time zone, a last line.</summary>
/// <param name="Width">Columns: no line is longer (longer ones end in <c>…</c>).</param>
/// <param name="Height">Rows, when the text must fit a screen: the status log's tail gets what the rest leaves.</param>
/// <param name="Zone">Time zone of the times shown (the status log's, <c>trader.status.time-zone</c>); UTC by default.</param>
/// <param name="Footer">A last line, e.g. how to stop.</param>
public sealed record RenderOptions(int Width, int? Height = null, TimeZoneInfo? Zone = null, string? Footer = null);

/// <summary>
/// Draws a <see cref="TraderSnapshot"/> as text for the live terminal view: state and time in state, balances and
/// P&amp;L, market-data health, decision counters, positions, open orders, markets (book top, freshness, last action)
/// and the tail of the status log. Pure: the same snapshot and options give the same text. Money is shown rounded to the
/// cent for reading (the JSON keeps it exact).
/// </summary>
public static class StatusRenderer
{
    private const int MinWidth = 20;

    public static string Render(TraderSnapshot s, RenderOptions options)
    {
        int width = Math.Max(MinWidth, options.Width);
        var zone = options.Zone ?? TimeZoneInfo.Utc;
        var head = new List<string>();
        Header(s, zone, head);
        head.Add("");
        Positions(s, head);
        head.Add("");
        OpenOrders(s, head);
        head.Add("");
        Markets(s, head);
        head.Add("");

        var tail = new List<string>();
        var history = s.StatusLog.History;
        // Lines left for the status log (its title included).
        int room = options.Height is { } h ? h - head.Count - (options.Footer is null ? 0 : 1) : history.Count + 1;
        if (room > 0)
        {
            int shown = Math.Min(room - 1, history.Count);
            tail.Add(history.Count == 0 ? "STATUS LOG  (empty)" : $"STATUS LOG  newest first, {shown} of {history.Count}");
            foreach (var e in history.Reverse().Take(shown))
                tail.Add(StatusText.FormatLine(new StatusEntry(e.Timestamp, e.Status, e.Result, e.Duration, e.TimeInStatus), zone));
        }

        var lines = head.Concat(tail).ToList();
        if (options.Height is { } max)
        {
            int keep = Math.Max(1, max - (options.Footer is null ? 0 : 1));
            if (lines.Count > keep) lines = lines.Take(keep).ToList();
        }
        if (options.Footer is not null) lines.Add(options.Footer);
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            sb.Append(Fit(lines[i], width));
        }
        return sb.ToString();
    }

    // ---- sections --------------------------------------------------------------------------------------------

    private static void Header(TraderSnapshot s, TimeZoneInfo zone, List<string> lines)
    {
        var local = TimeZoneInfo.ConvertTime(s.At, zone);
        var state = s.State.ToUpperInvariant() + (s.TimeInState is { } t ? $" for {Duration(t)}" : "");
        var calibrations = s.LastCalibration is { } last
            ? $"calibrations {s.Calibrations}, last {Duration(s.At - last)} ago"
            : $"calibrations {s.Calibrations}";
        lines.Add($"TRADER  {state} · {calibrations} · {local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}");
        if (s.LastError is { } error) lines.Add($"last error: {error}");
        if (s.Paused is { } paused) lines.Add($"paused: {paused}");
        if (s.BlockedMarkets.Count > 0) lines.Add("blocked: " + string.Join("; ", s.BlockedMarkets.Select(b => $"{b.Key} ({b.Value})")));
        if (s.Unavailable.Count > 0) lines.Add("not answering: " + string.Join("; ", s.Unavailable));

        if (s.Balances is { } b)
        {
            var pnl = s.Pnl;
            lines.Add($"cash {b.Cash.ToDisplayString()} · available {b.Available.ToDisplayString()} · portfolio {b.PortfolioValue.ToDisplayString()}");
            lines.Add($"P&L realized {Signed(pnl.Realized)} · unrealized {Signed(pnl.Unrealized)}{(pnl.Unmarked > 0 ? $" ({pnl.Unmarked} unmarked)" : "")}" +
                      $" · fees {pnl.Fees.ToDisplayString()} · net {Signed(pnl.Net)}");
        }
        else
        {
            lines.Add("balance: not known yet");
        }

        var md = s.MarketData;
        var streams = md.Streams.Select(x => x.Connected ? $"{x.Name} ✓" : $"{x.Name} ✗ ({x.Detail})");
        var markets = md.Markets.Count == 0 ? "" : $" · {md.StaleMarkets} of {md.Markets.Count} markets stale";
        lines.Add($"market data: {md.Status}{(md.Streams.Count > 0 ? " · " + string.Join(" · ", streams) : "")}{markets}");

        if (s.Decisions is { } d)
        {
            var actions = d.Actions.Count == 0 ? "" : " (" + string.Join(", ", d.Actions.Select(a => $"{a.Key} {Count(a.Value)}")) + ")";
            var skipped = d.Skipped.Count == 0 ? "" : " · skipped: " + string.Join(", ", d.Skipped.Select(a => $"{a.Key} {Count(a.Value)}"));
            var disabled = d.DisabledUntil.Count == 0 ? "" : " · disabled: " + string.Join(", ", d.DisabledUntil.Keys);
            lines.Add($"decisions {Count(d.Decisions)}{actions}{skipped}{disabled} · policy {d.Policy}");
        }
        else
        {
            lines.Add("decisions: no decision loop");
        }
    }

    private static void Positions(TraderSnapshot s, List<string> lines)
    {
        if (s.Positions.Count == 0)
        {
            lines.Add("POSITIONS  none");
            return;
        }
        lines.Add("POSITIONS");
        Table(lines, ["market", "held", "cost", "mark", "unrealized", "realized", "fees"],
            s.Positions.Select(p => new[]
            {
                p.Ticker,
                p.Side == "flat" ? "flat" : $"{p.Contracts.Abs()} {p.Side.ToUpperInvariant()}",
                p.CostBasis.ToDisplayString(),
                p.Mark is { } m ? m.ToWireString() + (p.MarkStale ? " (stale)" : "") : "–",
                p.UnrealizedPnl is { } u ? Signed(u) : "–",
                Signed(p.RealizedPnl),
                p.FeesPaid.ToDisplayString(),
            }));
    }

    private static void OpenOrders(TraderSnapshot s, List<string> lines)
    {
        if (s.OpenOrders.Count == 0)
        {
            lines.Add("OPEN ORDERS  none");
            return;
        }
        lines.Add("OPEN ORDERS");
        Table(lines, ["market", "order", "price", "count", "filled", "status", "age"],
            s.OpenOrders.Select(o => new[]
            {
                o.Ticker, o.Intent.ToUpperInvariant(), o.Price.ToWireString(), o.Count.ToWireString(), o.Filled.ToWireString(), o.Status,
                Duration(s.At - o.CreatedAt),
            }));
    }

    private static void Markets(TraderSnapshot s, List<string> lines)
    {
        var markets = s.MarketData.Markets;
        if (markets.Count == 0)
        {
            lines.Add("MARKETS  none");
            return;
        }
        lines.Add("MARKETS");
        var rows = new List<string[]>();
        var reasons = new Dictionary<int, string>();
        foreach (var m in markets)
        {
            if (m.StaleReason is { } reason) reasons[rows.Count] = $"  ↳ {reason}";
            rows.Add([
                m.Ticker,
                m.Book switch
                {
                    "live" => "live",
                    "awaiting_snapshot" => "no snapshot",
                    _ => m.StaleSince is { } since ? $"stale {Duration(s.At - since)}" : "stale",
                },
                Level(m.BestBid),
                Level(m.BestAsk),
                m.Spread?.ToWireString() ?? "–",
                m.Age is { } age ? Duration(age) + " ago" : "never",
                LastAction(m, s.At),
            ]);
        }
        var table = new List<string>();
        Table(table, ["market", "book", "bid", "ask", "spread", "updated", "last action"], rows);
        lines.Add(table[0]);
        for (int i = 0; i < rows.Count; i++)
        {
            lines.Add(table[i + 1]);
            if (reasons.TryGetValue(i, out var why)) lines.Add(why);
        }
    }

    private static string LastAction(MarketBookView m, DateTimeOffset now)
    {
        if (m.LastActions.FirstOrDefault() is { } a)
        {
            var outcome = a.Outcome is null ? "pending" : a.Code is null ? a.Outcome : $"{a.Outcome} {a.Code}";
            return $"{a.Action} {outcome} {Duration(now - a.At)} ago";
        }
        return m.LastDecision is { } d ? $"{d.Action} {Duration(now - d.At)} ago" : "–";
    }

    // ---- formatting ------------------------------------------------------------------------------------------

    /// <summary>Left-aligned columns, two spaces apart, a header row first.</summary>
    private static void Table(List<string> lines, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var r in all)
        {
            var sb = new StringBuilder("  ");
            for (int c = 0; c < r.Length; c++)
            {
                sb.Append(r[c]);
                if (c < r.Length - 1) sb.Append(' ', widths[c] - r[c].Length + 2);
            }
            lines.Add(sb.ToString().TrimEnd());
        }
    }

    private static string Level(BookLevel? level) => level is { } l ? $"{l.Price.ToWireString()}×{l.Size.ToWholeContracts()}" : "–";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>+$1.20</c>, <c>-$0.35</c>, <c>$0.00</c>.</summary>
    internal static string Signed(Money m) => m.IsPositive ? "+" + m.ToDisplayString() : m.ToDisplayString();

    /// <summary><c>0.3s</c>, <c>45s</c>, <c>2m13s</c>, <c>1h02m</c>, <c>3d04h</c>.</summary>
    internal static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalSeconds < 10) return t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
        if (t.TotalMinutes < 1) return $"{(int)t.TotalSeconds}s";
        if (t.TotalHours < 1) return $"{(int)t.TotalMinutes}m{t.Seconds:00}s";
        if (t.TotalDays < 1) return $"{(int)t.TotalHours}h{t.Minutes:00}m";
        return $"{(int)t.TotalDays}d{t.Hours:00}h";
    }

    /// <summary>The line cut to the width, ending in <c>…</c> when cut.</summary>
    private static string Fit(string line, int width) => line.Length <= width ? line : line[..(width - 1)] + "…";
}
