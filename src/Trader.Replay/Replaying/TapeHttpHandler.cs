using System.Net;
using System.Text;
using System.Text.Json;
using Trader.Replay.Tapes;

namespace Trader.Replay.Replaying;

/// <summary>A request of the replayed trader that the tape has no answer for.</summary>
public sealed record UnansweredRequest(DateTimeOffset At, string Method, string Path, string? Body);

/// <summary>
/// Answers the Kalshi client's REST requests from a tape, never from anywhere else. Requests are matched to recorded
/// ones of the same method and path, in recorded order; an order create is matched by what it asks (ticker, side,
/// price, count, time in force — the client order id differs between runs), so a replay whose policy decides
/// differently gets the recorded answer only for the orders the recording really sent. A request with no recorded
/// answer is reported (<see cref="Unanswered"/>) and fails like a lost connection: the trader then treats it as it
/// would treat an exchange that never answered (an unknown outcome for an order), and the replay says so plainly.
/// </summary>
public sealed class TapeHttpHandler : HttpMessageHandler
{
    private const string CreatePath = "/portfolio/events/orders";
    private readonly Dictionary<string, List<TapeEntry>> _byRoute = new(StringComparer.Ordinal);
    private readonly Func<DateTimeOffset> _now;
    private readonly List<UnansweredRequest> _unanswered = [];

    public TapeHttpHandler(IEnumerable<TapeEntry> entries, Func<DateTimeOffset> now)
    {
        _now = now;
        foreach (var e in entries.Where(e => e.Kind == TapeEntryKind.Http))
        {
            var key = Key(e.Method!, e.Path!);
            if (!_byRoute.TryGetValue(key, out var list)) _byRoute[key] = list = [];
            list.Add(e);
        }
    }

    public IReadOnlyList<UnansweredRequest> Unanswered => _unanswered;

    /// <summary>Recorded answers the replay did not ask for.</summary>
    public int Unused => _byRoute.Values.Sum(l => l.Count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var method = request.Method.Method;
        var path = request.RequestUri!.AbsolutePath;
        string? body = request.Content?.ReadAsStringAsync(ct).GetAwaiter().GetResult();
        var entry = Take(method, path, body);
        if (entry is null)
        {
            _unanswered.Add(new UnansweredRequest(_now(), method, path, body));
            return Task.FromException<HttpResponseMessage>(new HttpRequestException($"replay: the tape has no answer for {method} {path}"));
        }
        if (entry.ErrorKind == "timeout")
            return Task.FromException<HttpResponseMessage>(new TaskCanceledException($"replay: recorded timeout: {entry.Error}"));
        if (entry.Status is null)
            return Task.FromException<HttpResponseMessage>(new HttpRequestException($"replay: recorded connection failure: {entry.Error}"));

        var text = entry.Response ?? "";
        if (IsCreate(method, path) && body is not null) text = WithClientOrderId(text, entry.Request, body);
        var response = new HttpResponseMessage((HttpStatusCode)entry.Status.Value)
        {
            Content = new StringContent(text, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
        if (entry.Date is { } date) response.Headers.Date = date;
        return Task.FromResult(response);
    }

    private TapeEntry? Take(string method, string path, string? body)
    {
        if (!_byRoute.TryGetValue(Key(method, path), out var list) || list.Count == 0) return null;
        int index = 0;
        if (IsCreate(method, path))
        {
            var wanted = OrderFields(body);
            index = list.FindIndex(e => OrderFields(e.Request) == wanted);
            if (index < 0) return null;
        }
        var entry = list[index];
        list.RemoveAt(index);
        return entry;
    }

    private static bool IsCreate(string method, string path) => method == "POST" && path.EndsWith(CreatePath, StringComparison.Ordinal);

    private static string Key(string method, string path) => method + " " + path;

    /// <summary>The order's fields without its client order id, in a canonical order.</summary>
    private static string OrderFields(string? body)
    {
        if (body is null) return "";
        using var doc = JsonDocument.Parse(body);
        return string.Join("|", doc.RootElement.EnumerateObject()
            .Where(p => p.Name != "client_order_id")
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value.GetRawText()));
    }

    /// <summary>The recorded answer names the recorded client order id; give back the replay's own.</summary>
    private static string WithClientOrderId(string response, string? recordedRequest, string replayRequest)
    {
        static string? Id(string? json)
        {
            if (json is null) return null;
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("client_order_id", out var id) ? id.GetString() : null;
        }
        var recorded = Id(recordedRequest);
        var replay = Id(replayRequest);
        return recorded is null || replay is null ? response : response.Replace(recorded, replay, StringComparison.Ordinal);
    }
}
