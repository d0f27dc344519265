using System.Net;
using System.Text;
using System.Text.Json;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>A request of the replayed trader, when it was sent, and the recorded exchange that answered it (null: none did).</summary>
public sealed record ReplayedRequest(DateTimeOffset At, string Method, string Path, string? Query, TapeEntry? AnsweredBy);

/// <summary>A request of the replayed trader that the tape has no answer for.</summary>
public sealed record UnansweredRequest(DateTimeOffset At, string Method, string Path, string? Query, string? Body)
{
    /// <summary>True for an order create (<c>POST …/portfolio/events/orders</c>).</summary>
    public bool IsOrderCreate => TapeHttpHandler.IsCreate(Method, Path);
}

/// <summary>
/// Answers the Kalshi client's REST requests from a tape, never from anywhere else.
/// <list type="bullet">
/// <item>A request is matched to a recorded one of the same method, path and query — the query without its times
/// (<c>min_ts</c>, <c>max_ts</c>: they follow the clock, which a replay cannot hit to the microsecond). An order create
/// is matched by what it asks (ticker, side, price, count, time in force, flags) without its client order id, so a
/// replay whose policy decides differently gets the recorded answer only for the orders the recording really sent.</item>
/// <item>Among the recorded requests that match, the one sent closest in time to the replay's request is used, and
/// only within <see cref="MatchWindow"/> of it: a replay that drifts by a few milliseconds still pairs each poll with
/// its own answer, and a request the recording never made at that time is not answered with one from another
/// moment.</item>
/// <item>The answer arrives after the recorded latency (its arrival time minus its send time), on the replay's clock,
/// so orders are in flight as long as they were. A recorded timeout answers nothing: the client's own timeout fires,
/// on virtual time, as it did. A recorded connection failure fails the same way (<c>connect</c>: never sent, which
/// the client may retry; <c>connection</c>: lost after sending, an unknown outcome for a write).</item>
/// <item>A request with no recorded answer is reported (<see cref="Unanswered"/>) and fails like a connection lost
/// after sending: the trader treats it as an exchange that never answered (an unknown outcome for an order), and the
/// replay says so plainly instead of inventing an answer.</item>
/// <item>Recorded client order ids are rewritten to the replay's (<see cref="ClientOrderIdMap"/>).</item>
/// </list>
/// </summary>
public sealed class TapeHttpHandler : HttpMessageHandler
{
    private const string CreatePath = "/portfolio/events/orders";

    /// <summary>How far apart in time a replayed request and the recorded one that answers it may be.</summary>
    public static readonly TimeSpan DefaultMatchWindow = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, List<TapeEntry>> _byKey = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ClientOrderIdMap _ids;
    private readonly List<UnansweredRequest> _unanswered = [];
    private readonly List<ReplayedRequest> _requests = [];
    private readonly ReplayThread _guard;

    public TapeHttpHandler(IEnumerable<TapeEntry> entries, TimeProvider time, ClientOrderIdMap? ids = null, TimeSpan? matchWindow = null,
        ReplayThread? guard = null)
    {
        _time = time;
        _guard = guard ?? new ReplayThread();
        _ids = ids ?? new ClientOrderIdMap();
        MatchWindow = matchWindow ?? DefaultMatchWindow;
        foreach (var e in entries.Where(e => e.Kind == TapeEntryKind.Http))
        {
            var key = Key(e.Method!, e.Path!, e.Query, e.Request);
            if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = [];
            list.Add(e);
        }
    }

    public TimeSpan MatchWindow { get; }

    public IReadOnlyList<UnansweredRequest> Unanswered => _unanswered;

    /// <summary>Every request of the replayed trader, in order.</summary>
    public IReadOnlyList<ReplayedRequest> Requests => _requests;

    /// <summary>Recorded answers the replay did not ask for.</summary>
    public int Unused => _byKey.Values.Sum(l => l.Count);

    /// <summary>The recorded requests the replay did not make, for the replay's notes.</summary>
    public IEnumerable<TapeEntry> UnusedEntries => _byKey.Values.SelectMany(l => l).OrderBy(e => e.At);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var method = request.Method.Method;
        var uri = request.RequestUri!;
        _guard.Check($"{method} {uri.AbsolutePath}");
        var path = uri.AbsolutePath;
        var query = string.IsNullOrEmpty(uri.Query) ? null : uri.Query;
        string? body = request.Content?.ReadAsStringAsync(ct).GetAwaiter().GetResult();
        var now = _time.GetUtcNow();
        var entry = Take(Key(method, path, query, body), now);
        _requests.Add(new ReplayedRequest(now, method, path, query, entry));
        if (entry is null)
        {
            _unanswered.Add(new UnansweredRequest(now, method, path, query, body));
            return Task.FromException<HttpResponseMessage>(new HttpRequestException($"replay: the tape has no answer for {method} {path}"));
        }
        if (IsCreate(method, path) && ClientOrderId(entry.Request) is { } recorded && ClientOrderId(body) is { } replay) _ids.Map(recorded, replay);

        var answer = new TaskCompletionSource<HttpResponseMessage>();
        if (ct.CanBeCanceled) ct.Register(() => answer.TrySetCanceled(ct));
        if (entry.ErrorKind == TapeErrorKinds.Timeout) return answer.Task; // the client's own timeout ends it, as it did

        void Answer()
        {
            if (answer.Task.IsCompleted) return;
            if (entry.ErrorKind is not null)
            {
                var error = entry.ErrorKind == TapeErrorKinds.Connect ? HttpRequestError.ConnectionError : HttpRequestError.Unknown;
                answer.TrySetException(new HttpRequestException(error, entry.Error ?? $"recorded {entry.ErrorKind} failure"));
                return;
            }
            var response = new HttpResponseMessage((HttpStatusCode)entry.Status!.Value)
            {
                Content = new StringContent(_ids.Rewrite(entry.Response ?? ""), Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            if (entry.Date is { } date) response.Headers.Date = date;
            answer.TrySetResult(response);
        }

        var latency = entry.Sent is { } sent && entry.At > sent ? entry.At - sent : TimeSpan.Zero;
        if (latency == TimeSpan.Zero)
        {
            Answer();
        }
        else
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                timer?.Dispose();
                Answer();
            }, null, latency, Timeout.InfiniteTimeSpan);
        }
        return answer.Task;
    }

    /// <summary>The unused recorded request with this key sent closest to <paramref name="now"/>, within the window.</summary>
    private TapeEntry? Take(string key, DateTimeOffset now)
    {
        if (!_byKey.TryGetValue(key, out var list) || list.Count == 0) return null;
        int best = -1;
        TimeSpan bestDistance = TimeSpan.MaxValue;
        for (int i = 0; i < list.Count; i++)
        {
            var distance = (SentAt(list[i]) - now).Duration();
            if (distance > MatchWindow || distance >= bestDistance) continue;
            best = i;
            bestDistance = distance;
        }
        if (best < 0) return null;
        var entry = list[best];
        list.RemoveAt(best);
        return entry;
    }

    private static DateTimeOffset SentAt(TapeEntry e) => e.Sent ?? e.At;

    internal static bool IsCreate(string method, string path) => method == "POST" && path.EndsWith(CreatePath, StringComparison.Ordinal);

    /// <summary>Method, path, the query without its times, and for an order create what it asks.</summary>
    internal static string Key(string method, string path, string? query, string? body)
    {
        var key = method + " " + path + "?" + StableQuery(query);
        return IsCreate(method, path) ? key + " " + OrderFields(body) : key;
    }

    private static readonly string[] TimeParameters = ["min_ts", "max_ts"];

    private static string StableQuery(string? query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        return string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !TimeParameters.Contains(p.Split('=')[0], StringComparer.Ordinal))
            .Order(StringComparer.Ordinal));
    }

    /// <summary>The order's fields without its client order id, in a canonical order.</summary>
    private static string OrderFields(string? body)
    {
        if (string.IsNullOrEmpty(body)) return "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return body;
            return string.Join("|", doc.RootElement.EnumerateObject()
                .Where(p => p.Name != "client_order_id")
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => p.Name + "=" + p.Value.GetRawText()));
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static string? ClientOrderId(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("client_order_id", out var id) &&
                   id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
