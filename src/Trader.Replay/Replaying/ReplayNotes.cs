using System.Globalization;
using System.Text.Json;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>
/// Says plainly where a replay and its tape parted ways: orders the replayed policy sent that the tape never answered,
/// other requests without an answer, the recording's orders the replay did not send, recorded answers nobody asked
/// for, and frames for connections the replay never opened.
/// </summary>
public static class ReplayNotes
{
    public static IReadOnlyList<string> Describe(IReadOnlyList<UnansweredRequest> unanswered, IReadOnlyList<TapeEntry> notAsked, IEnumerable<string> streamNotes,
        IReadOnlyList<string>? strays = null)
    {
        var notes = new List<string>();
        if (strays is { Count: > 0 })
            notes.Add("this replay may not repeat exactly: part of it ran outside the replay's thread (" + string.Join("; ", strays) +
                      "), so its timing followed the machine, not the tape");
        var orders = unanswered.Where(u => u.IsOrderCreate).ToList();
        if (orders.Count > 0)
        {
            notes.Add($"the replayed policy sent {Count(orders.Count, "order")} the tape never answered: " +
                      string.Join("; ", orders.Select(o => $"{Time(o.At)} {DescribeOrder(o.Body)}")) +
                      (orders.Count == 1
                          ? ". The recorded exchange never saw it, so the replay cannot know what would have happened: it is an order"
                          : ". The recorded exchange never saw them, so the replay cannot know what would have happened: each is an order") +
                      " with an unknown outcome (as after a lost connection), and what the trader does next in that market is not evidence.");
        }
        var others = unanswered.Where(u => !u.IsOrderCreate).ToList();
        if (others.Count > 0)
            notes.Add($"{Count(others.Count, "other request")} had no recorded answer and failed as if the connection was lost: {Routes(others.Select(o => (o.Method, o.Path)))}.");

        var recordedOrders = notAsked.Where(e => TapeHttpHandler.IsCreate(e.Method!, e.Path!)).ToList();
        if (recordedOrders.Count > 0)
        {
            notes.Add($"the recording sent {Count(recordedOrders.Count, "order")} this replay did not: " +
                      string.Join("; ", recordedOrders.Select(e => $"{Time(e.Sent ?? e.At)} {DescribeOrder(e.Request)}")) + ".");
        }
        var otherRecorded = notAsked.Where(e => !TapeHttpHandler.IsCreate(e.Method!, e.Path!)).ToList();
        if (otherRecorded.Count > 0)
            notes.Add($"{Count(otherRecorded.Count, "recorded REST answer")} {(otherRecorded.Count == 1 ? "was" : "were")} not asked for by the replay: " +
                      (otherRecorded.Count <= 5
                          ? string.Join(", ", otherRecorded.Select(e => $"{e.Method} {ShortPath(e.Path!)} sent {Time(e.Sent ?? e.At)}"))
                          : Routes(otherRecorded.Select(e => (e.Method!, e.Path!)))) + ".");

        notes.AddRange(streamNotes);
        return notes;
    }

    /// <summary><c>bid 5.00 @ 0.5200 on MKT</c> from an order create's JSON body (YES-leg side and price).</summary>
    public static string DescribeOrder(string? body)
    {
        if (string.IsNullOrEmpty(body)) return "an order (no body)";
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
            var side = Field("side") switch
            {
                "bid" => "bid (buy YES / sell NO)",
                "ask" => "ask (sell YES / buy NO)",
                var other => other,
            };
            return $"{side} {Field("count")} @ {Field("price")} YES on {Field("ticker")}";
        }
        catch (JsonException)
        {
            return "an order (unreadable body)";
        }
    }

    private static string Routes(IEnumerable<(string Method, string Path)> requests) =>
        string.Join(", ", requests.GroupBy(r => $"{r.Method} {ShortPath(r.Path)}").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}"));

    /// <summary>The path after the API root (<c>/portfolio/fills</c>).</summary>
    private static string ShortPath(string path)
    {
        const string root = "/trade-api/v2";
        int i = path.IndexOf(root, StringComparison.Ordinal);
        return i >= 0 ? path[(i + root.Length)..] : path;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
