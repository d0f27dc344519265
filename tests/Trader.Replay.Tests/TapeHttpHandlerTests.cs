using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Trader.Replay.Replaying;
using Trader.Replay.Tapes;

namespace Trader.Replay.Tests;

/// <summary>Exchange answers out of a tape: matched by route, query and time, after their recorded latency, never invented.</summary>
public class TapeHttpHandlerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);
    private const string Root = "http://127.0.0.1:1/trade-api/v2";

    private static TapeEntry Get(string path, double sentSeconds, double latencyMs, string response, string? query = null) => new()
    {
        Kind = TapeEntryKind.Http,
        Sent = T0.AddSeconds(sentSeconds),
        At = T0.AddSeconds(sentSeconds).AddMilliseconds(latencyMs),
        Method = "GET",
        Path = "/trade-api/v2" + path,
        Query = query,
        Status = 200,
        Response = response,
    };

    private static (HttpMessageInvoker Invoker, TapeHttpHandler Handler, FakeTimeProvider Time) Replay(params TapeEntry[] entries)
    {
        var time = new FakeTimeProvider(T0);
        var handler = new TapeHttpHandler(entries, time);
        return (new HttpMessageInvoker(handler), handler, time);
    }

    private static Task<HttpResponseMessage> Send(HttpMessageInvoker invoker, string method, string pathAndQuery, string? body = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Root + pathAndQuery);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return invoker.SendAsync(request, ct);
    }

    private static HttpStatusCode Status(Task<HttpResponseMessage> answer) => answer.IsCompletedSuccessfully ? answer.Result.StatusCode : 0;

    private static string Body(Task<HttpResponseMessage> answer)
    {
        Assert.True(answer.IsCompletedSuccessfully, $"the answer is {answer.Status}");
        return answer.Result.Content.ReadAsStringAsync().Result;
    }

    [Fact]
    public void An_answer_arrives_after_its_recorded_latency()
    {
        var (invoker, _, time) = Replay(Get("/portfolio/balance", 0, 300, """{"balance":100}"""));
        var answer = Send(invoker, "GET", "/portfolio/balance");
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(answer.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("""{"balance":100}""", Body(answer));
    }

    [Fact]
    public void Requests_are_matched_without_their_times_to_the_recorded_one_sent_closest()
    {
        var (invoker, handler, time) = Replay(
            Get("/portfolio/fills", 1, 0, "first", "?min_ts=1796436600&limit=1000"),
            Get("/portfolio/fills", 2, 0, "second", "?min_ts=1796436601&limit=1000"),
            Get("/portfolio/fills", 2, 0, "other ticker", "?ticker=B&min_ts=1796436601&limit=1000"));
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal("second", Body(Send(invoker, "GET", "/portfolio/fills?min_ts=1796436699&limit=1000")));
        Assert.Equal("first", Body(Send(invoker, "GET", "/portfolio/fills?limit=1000&min_ts=1")));
        Assert.Equal("other ticker", Body(Send(invoker, "GET", "/portfolio/fills?ticker=B&limit=1000")));
        Assert.Equal(0, handler.Unused);
    }

    [Fact]
    public void A_request_without_a_recorded_answer_near_its_time_is_reported_and_fails_like_a_lost_connection()
    {
        var (invoker, handler, time) = Replay(Get("/portfolio/balance", 0, 5, "{}"));
        time.Advance(TimeSpan.FromSeconds(11));
        var answer = Send(invoker, "GET", "/portfolio/balance");
        var error = Assert.IsType<HttpRequestException>(answer.Exception!.InnerException);
        Assert.Equal(HttpRequestError.Unknown, error.HttpRequestError);
        Assert.Contains("the tape has no answer for GET /trade-api/v2/portfolio/balance", error.Message);
        var unanswered = Assert.Single(handler.Unanswered);
        Assert.Equal(("GET", "/trade-api/v2/portfolio/balance", T0.AddSeconds(11)), (unanswered.Method, unanswered.Path, unanswered.At));
        Assert.Equal(1, handler.Unused);
    }

    [Fact]
    public void An_order_is_answered_only_if_the_recording_sent_the_same_order_and_its_ids_become_the_replays()
    {
        const string recordedCid = "0d3c2f4e-9a8b-4c1d-8e7f-6a5b4c3d2e1f";
        var create = new TapeEntry
        {
            Kind = TapeEntryKind.Http, Sent = T0, At = T0, Method = "POST", Path = "/trade-api/v2/portfolio/events/orders",
            Request = $$"""{"client_order_id":"{{recordedCid}}","count":"5.00","price":"0.5200","side":"bid","ticker":"MKT"}""",
            Status = 201, Response = $$"""{"order_id":"o-1","client_order_id":"{{recordedCid}}","fill_count":"2.00","remaining_count":"3.00"}""",
        };
        var lookup = Get("/portfolio/orders", 1, 0, $$"""{"orders":[{"order_id":"o-1","client_order_id":"{{recordedCid}}"}]}""", "?ticker=MKT");
        var (invoker, handler, time) = Replay(create, lookup);

        var other = Send(invoker, "POST", "/portfolio/events/orders", """{"client_order_id":"replay-000001","count":"5.00","price":"0.5300","side":"bid","ticker":"MKT"}""");
        Assert.IsType<HttpRequestException>(other.Exception!.InnerException);
        Assert.True(Assert.Single(handler.Unanswered).IsOrderCreate);

        var same = Send(invoker, "POST", "/portfolio/events/orders", """{"ticker":"MKT","side":"bid","price":"0.5200","count":"5.00","client_order_id":"replay-000002"}""");
        Assert.Contains("\"client_order_id\":\"replay-000002\"", Body(same));
        Assert.Equal(HttpStatusCode.Created, Status(same));
        time.Advance(TimeSpan.FromSeconds(1));
        var found = Body(Send(invoker, "GET", "/portfolio/orders?ticker=MKT"));
        Assert.Contains("replay-000002", found);
        Assert.DoesNotContain(recordedCid, found);
    }

    [Fact]
    public void Recorded_failures_fail_as_they_did()
    {
        TapeEntry Failed(string path, string kind) => new()
        {
            Kind = TapeEntryKind.Http, Sent = T0, At = T0, Method = "POST", Path = "/trade-api/v2" + path, ErrorKind = kind, Error = "recorded " + kind,
        };
        var (invoker, _, time) = Replay(Failed("/a", TapeErrorKinds.Connect), Failed("/b", TapeErrorKinds.Connection), Failed("/c", TapeErrorKinds.Timeout));

        var connect = Assert.IsType<HttpRequestException>(Send(invoker, "POST", "/a", "{}").Exception!.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, connect.HttpRequestError); // never sent: the client may retry a write
        var lost = Assert.IsType<HttpRequestException>(Send(invoker, "POST", "/b", "{}").Exception!.InnerException);
        Assert.Equal(HttpRequestError.Unknown, lost.HttpRequestError); // sent, then lost: an unknown outcome

        // A timeout answers nothing: the client's own timeout ends the request, on the replay's clock.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
        var waiting = Send(invoker, "POST", "/c", "{}", timeout.Token);
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(waiting.IsCanceled);
    }
}
