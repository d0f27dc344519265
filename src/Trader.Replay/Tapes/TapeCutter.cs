using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trader.Replay.Tapes;

/// <summary>What to keep of a tape: a time range and/or some of its markets.</summary>
public sealed record TapeCutOptions
{
    /// <summary>Keep what happened from this time on (with the state the trader had then, see <see cref="TapeCutter"/>).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Keep what happened up to this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Keep only these markets (of the tape's own).</summary>
    public IReadOnlyList<string>? Markets { get; init; }
}

/// <summary>A cut tape and what the cut did, in sentences.</summary>
public sealed record TapeCutResult(Tape Tape, IReadOnlyList<string> Summary);

/// <summary>
/// Cuts a tape to a time range and/or a set of markets so that the result still replays: the replayed trader must
/// still be able to calibrate and must start with the books it had. The choices, each for a reason:
/// <list type="bullet">
/// <item><b>Markets.</b> The header's markets are narrowed (the replay streams only those). Frames of other markets
/// (book snapshots and deltas, fills, order updates) and REST requests about them (their books, their orders) are
/// dropped. Answers about the whole account — balance, positions, resting orders, fills, settlements — are kept whole:
/// the account is one account, and editing them would make its cash and positions disagree. Sequence numbers of the
/// frames kept are renumbered per subscription so that dropping another market's frames does not look like a gap
/// (a gap the recording really had stays a gap).</item>
/// <item><b>From.</b> A replay starts by calibrating, and its books need a snapshot; the middle of a session has
/// neither, and the trader's state at <c>From</c> — its positions, its resting orders, its cash — is the sum of
/// everything before. So the cut begins at the last calibration that completed before <c>From</c>, where the exchange
/// itself stated that state (balance, positions, resting orders, fills, settlements), and keeps everything from there
/// on: the replayed trader re-lives the stretch between that calibration and <c>From</c> (at most one recalibration
/// interval, 60 s by default) and reaches <c>From</c> in the state the live trader had. The streams connected at the
/// calibration's start are carried over just before it: their connection, their subscriptions and — for the order
/// book — one snapshot per market with the book exactly as the recorded frames had built it by then (the same levels
/// the live trader held; a book a sequence gap left waiting gets none and waits for its recorded re-snapshot). When
/// <c>From</c> is before the first calibration completed, nothing is cut at the start.</item>
/// <item><b>To.</b> Entries after it are dropped.</item>
/// </list>
/// Pure: no file is read or written.
/// </summary>
public static class TapeCutter
{
    private static readonly string[] CalibrationReads = ["/portfolio/fills", "/portfolio/balance", "/portfolio/positions", "/portfolio/orders", "/portfolio/settlements"];

    public static TapeCutResult Cut(Tape tape, TapeCutOptions options)
    {
        var summary = new List<string>();
        if (options.From is { } f0 && options.To is { } t0 && f0 >= t0)
            throw new ArgumentException($"--from {f0:O} is not before --to {t0:O}");
        if (options.From is { } from0 && from0 > tape.End)
            throw new ArgumentException($"--from {from0:O} is after the end of the tape ({tape.End:O}): nothing would be left");
        if (options.To is { } to0 && to0 < tape.Start)
            throw new ArgumentException($"--to {to0:O} is before the start of the tape ({tape.Start:O}): nothing would be left");

        var header = tape.Header;
        var entries = tape.Entries.ToList();

        if (options.Markets is { Count: > 0 } wanted)
        {
            var unknown = wanted.Where(m => !header.Markets.Contains(m, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"the tape has no market {string.Join(", ", unknown)}; its markets: {string.Join(", ", header.Markets)}");
            var keep = wanted.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            int before = entries.Count;
            entries = KeepAndRenumber(entries, e => e.Market is not { } m || keep.Contains(m));
            header = header with { Markets = header.Markets.Where(keep.Contains).ToList(), Config = NarrowMarkets(header.Config, keep) };
            summary.Add($"kept markets {string.Join(", ", header.Markets)}: dropped {before - entries.Count} entries about other markets " +
                        "(account-wide answers kept whole)");
        }

        if (options.From is { } from && from > tape.Start)
        {
            var (cut, note) = StartAtCalibration(entries, from);
            if (cut is not null) entries = cut;
            summary.Add(note);
        }
        if (options.To is { } to)
        {
            int before = entries.Count;
            entries = entries.Where(e => e.At <= to).ToList();
            summary.Add($"dropped {before - entries.Count} entries after {to.UtcDateTime:HH:mm:ss.fff}Z");
        }

        var notes = string.Join("; ", summary);
        header = header with
        {
            Note = $"cut from {Path.GetFileName(tape.Path)}" + (notes.Length > 0 ? ": " + notes : "") +
                   (tape.Header.Note is { } earlier ? $" (that tape: {earlier})" : ""),
        };
        return new TapeCutResult(new Tape(header, entries, tape.Path), summary);
    }

    // ---- markets ---------------------------------------------------------------------------------------------

    /// <summary>
    /// The entries <paramref name="keep"/> accepts, with the <c>seq</c> of their frames lowered by the number of
    /// sequenced frames dropped before them on the same connection and subscription: the holes the dropped frames
    /// leave close, and a gap the recording really had stays a gap.
    /// </summary>
    private static List<TapeEntry> KeepAndRenumber(List<TapeEntry> entries, Func<TapeEntry, bool> keep)
    {
        var dropped = new Dictionary<(int, long), long>();
        var result = new List<TapeEntry>(entries.Count);
        foreach (var e in entries)
        {
            bool kept = keep(e);
            if (e.Kind == TapeEntryKind.WsReceive && e.Frame is { } frame && Frames.SidSeq(frame) is { Sid: var sid, Seq: var seq })
            {
                var key = (e.Connection!.Value, sid);
                long before = dropped.GetValueOrDefault(key);
                if (!kept) dropped[key] = before + 1;
                else result.Add(before == 0 ? e : e with { Frame = Frames.WithSeq(frame, seq - before) });
            }
            else if (kept)
            {
                result.Add(e);
            }
        }
        return result;
    }

    private static string? NarrowMarkets(string? config, HashSet<string> keep)
    {
        if (config is null) return null;
        var lines = config.Split('\n').Select(line =>
            line.StartsWith("trader.market-data.markets", StringComparison.Ordinal)
                ? $"trader.market-data.markets = [{string.Join(", ", keep.Order(StringComparer.Ordinal).Select(m => $"\"{m}\""))}]"
                : line);
        return string.Join('\n', lines);
    }

    // ---- from ------------------------------------------------------------------------------------------------

    /// <summary>
    /// The entries from the start of the last calibration completed before <paramref name="from"/> on, preceded by the
    /// streams' connections open at that moment (with their subscriptions and the books' snapshots); null when no
    /// calibration completed before <paramref name="from"/>.
    /// </summary>
    private static (List<TapeEntry>? Entries, string Note) StartAtCalibration(List<TapeEntry> entries, DateTimeOffset from)
    {
        var calibration = LastCalibration(entries, from);
        if (calibration is null)
            return (null, $"--from {from.UtcDateTime:HH:mm:ss.fff}Z is before the first calibration completed: the start of the tape is kept");
        var start = calibration[0].Sent ?? calibration[0].At;

        var streams = new List<TapeEntry>();
        var notes = new List<string>();
        foreach (var stream in entries.Where(e => e.Stream is not null).Select(e => e.Stream!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var open = OpenConnection(entries, stream, start);
            if (open is null) continue;
            var connection = entries.Where(e => e.Connection == open.Connection && e.Stream == stream && e.At < start).ToList();
            streams.Add(open);
            streams.AddRange(connection.Where(e => e.Kind == TapeEntryKind.WsSend && Frames.IsSubscribe(e.Frame!)));
            streams.AddRange(connection.Where(e => e.Kind == TapeEntryKind.WsReceive && Frames.TypeOf(e.Frame!) == "subscribed"));
            var snapshots = BookSnapshots(connection);
            streams.AddRange(snapshots);
            notes.Add(snapshots.Count > 0
                ? $"the {stream} connection with {snapshots.Count} snapshot{(snapshots.Count == 1 ? "" : "s")} of its books as they stood then"
                : $"the {stream} connection");
        }
        var carried = streams.Select((e, i) => e with { At = start.AddMilliseconds(i - streams.Count) });
        var kept = entries.Where(e => (e.Sent ?? e.At) >= start && e.At >= start);
        return (carried.Concat(kept).ToList(),
            $"starts at the last calibration before {from.UtcDateTime:HH:mm:ss.fff}Z, at {start.UtcDateTime:HH:mm:ss.fff}Z, so the replayed trader " +
            $"reaches {from.UtcDateTime:HH:mm:ss.fff}Z in the state the exchange confirmed" + (notes.Count > 0 ? "; carried over: " + string.Join(", ", notes) : ""));
    }

    /// <summary>The HTTP entries of the last calibration that completed before <paramref name="from"/>: exchange status, then the sync's reads up to settlements.</summary>
    private static List<TapeEntry>? LastCalibration(List<TapeEntry> entries, DateTimeOffset from)
    {
        var http = entries.Where(e => e.Kind == TapeEntryKind.Http && e.At < from).ToList();
        for (int i = http.Count - 1; i >= 0; i--)
        {
            if (!IsRead(http[i], "/exchange/status") || http[i].Status != 200) continue;
            var reads = new List<TapeEntry> { http[i] };
            bool done = false;
            for (int j = i + 1; j < http.Count && !done; j++)
            {
                if (IsRead(http[j], "/exchange/status")) break;
                if (!CalibrationReads.Any(r => IsRead(http[j], r))) continue;
                if (IsRead(http[j], "/portfolio/orders") && http[j].Query?.Contains("status=resting", StringComparison.Ordinal) != true) continue;
                reads.Add(http[j]);
                done = IsRead(http[j], "/portfolio/settlements") && http[j].Status == 200 && !Frames.HasCursor(http[j].Response);
            }
            if (done && CalibrationReads.All(r => reads.Any(e => IsRead(e, r)))) return reads;
        }
        return null;
    }

    private static bool IsRead(TapeEntry e, string path) => e.Method == "GET" && e.Path!.EndsWith(path, StringComparison.Ordinal);

    /// <summary>The connect entry of the stream's connection that was open at <paramref name="from"/>, if any.</summary>
    private static TapeEntry? OpenConnection(List<TapeEntry> entries, string stream, DateTimeOffset from)
    {
        var connect = entries.LastOrDefault(e => e.Kind == TapeEntryKind.WsConnect && e.Stream == stream && e.At < from);
        if (connect is null || connect.Error is not null) return null;
        bool closed = entries.Any(e => e.Kind == TapeEntryKind.WsClose && e.Connection == connect.Connection && e.At < from);
        return closed ? null : connect;
    }

    /// <summary>
    /// Snapshot frames with the books as the connection's frames had built them: each market's last snapshot plus the
    /// deltas after it (a market whose book a gap left waiting for a snapshot gets none). They take the sequence
    /// numbers just before the next frame's, so the stream continues without a gap.
    /// </summary>
    private static List<TapeEntry> BookSnapshots(List<TapeEntry> connection)
    {
        var books = new Dictionary<string, Book>(StringComparer.Ordinal);
        var lastSeq = new Dictionary<long, long>();
        var sidOf = new Dictionary<string, long>(StringComparer.Ordinal);
        TapeEntry? template = null;
        foreach (var e in connection.Where(e => e.Kind == TapeEntryKind.WsReceive))
        {
            var frame = e.Frame!;
            var type = Frames.TypeOf(frame);
            if (Frames.SidSeq(frame) is { } ss)
            {
                if (lastSeq.TryGetValue(ss.Sid, out var prev) && ss.Seq > prev + 1)
                {
                    foreach (var (ticker, sid) in sidOf)
                        if (sid == ss.Sid) books.Remove(ticker); // a gap: these books wait for their snapshot
                }
                lastSeq[ss.Sid] = ss.Seq;
            }
            if (type is not ("orderbook_snapshot" or "orderbook_delta")) continue;
            template ??= e;
            using var doc = JsonDocument.Parse(frame);
            var root = doc.RootElement;
            var msg = root.GetProperty("msg");
            var market = msg.GetProperty("market_ticker").GetString()!;
            sidOf[market] = root.GetProperty("sid").GetInt64();
            if (type == "orderbook_snapshot")
            {
                var book = new Book();
                book.Load(msg, "yes_dollars_fp", book.Yes);
                book.Load(msg, "no_dollars_fp", book.No);
                books[market] = book;
            }
            else if (books.TryGetValue(market, out var book))
            {
                var side = msg.GetProperty("side").GetString() == "no" ? book.No : book.Yes;
                var price = msg.GetProperty("price_dollars").GetString()!;
                var size = side.GetValueOrDefault(price) + decimal.Parse(msg.GetProperty("delta_fp").GetString()!, CultureInfo.InvariantCulture);
                if (size > 0) side[price] = size;
                else side.Remove(price);
            }
        }
        if (template is null) return [];

        var result = new List<TapeEntry>();
        foreach (var group in books.GroupBy(b => sidOf[b.Key]))
        {
            long sid = group.Key;
            var markets = group.OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
            long first = lastSeq.GetValueOrDefault(sid) - markets.Count + 1;
            if (first < 1) first = 1;
            foreach (var (market, book) in markets)
            {
                var msg = new JsonObject { ["market_ticker"] = market };
                if (book.Yes.Count > 0) msg["yes_dollars_fp"] = book.Levels(book.Yes);
                if (book.No.Count > 0) msg["no_dollars_fp"] = book.Levels(book.No);
                var frame = new JsonObject { ["type"] = "orderbook_snapshot", ["sid"] = sid, ["seq"] = first++, ["msg"] = msg };
                result.Add(template with { Frame = frame.ToJsonString(Frames.Json) });
            }
        }
        return result;
    }

    private sealed class Book
    {
        public Dictionary<string, decimal> Yes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, decimal> No { get; } = new(StringComparer.Ordinal);

        public void Load(JsonElement msg, string property, Dictionary<string, decimal> side)
        {
            if (!msg.TryGetProperty(property, out var levels) || levels.ValueKind != JsonValueKind.Array) return;
            foreach (var level in levels.EnumerateArray())
                side[level[0].GetString()!] = decimal.Parse(level[1].GetString()!, CultureInfo.InvariantCulture);
        }

        public JsonArray Levels(Dictionary<string, decimal> side) =>
            new(side.OrderBy(l => decimal.Parse(l.Key, CultureInfo.InvariantCulture))
                .Select(l => (JsonNode)new JsonArray(l.Key, l.Value.ToString("0.00", CultureInfo.InvariantCulture))).ToArray());
    }
}

/// <summary>Reading and editing recorded WebSocket frames.</summary>
internal static class Frames
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? TypeOf(string frame)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsSubscribe(string frame)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("cmd", out var c) && c.GetString() == "subscribe";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static (long Sid, long Seq)? SidSeq(string frame)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("sid", out var sid) && sid.ValueKind == JsonValueKind.Number &&
                   root.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number
                ? (sid.GetInt64(), seq.GetInt64())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string WithSeq(string frame, long seq)
    {
        var node = JsonNode.Parse(frame)!.AsObject();
        node["seq"] = seq;
        return node.ToJsonString(Json);
    }

    public static bool HasCursor(string? response)
    {
        if (string.IsNullOrEmpty(response)) return false;
        try
        {
            using var doc = JsonDocument.Parse(response);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("cursor", out var c) &&
                   c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
