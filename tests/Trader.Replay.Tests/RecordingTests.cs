using System.Net;
using System.Net.Http.Headers;
using Trader.Replay.Recording;
using Trader.Replay.Tapes;

namespace Trader.Replay.Tests;

/// <summary>Recording: entries in arrival order even from many threads, requests with their send time, failures told apart, no secret.</summary>
public sealed class RecordingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recording").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);

    /// <summary>A clock that every read moves on by 1 ms, and now and then steps back (as a wall clock may).</summary>
    private sealed class JitteryClock : TimeProvider
    {
        private long _reads;
        public override DateTimeOffset GetUtcNow()
        {
            long n = Interlocked.Increment(ref _reads);
            return T0.AddMilliseconds(n % 7 == 0 ? n - 5 : n);
        }
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => Task.FromResult(answer(request));
    }

    private sealed class Failing(Exception error) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => Task.FromException<HttpResponseMessage>(error);
    }

    [Fact]
    public async Task Entries_recorded_from_many_threads_are_in_order_even_when_the_clock_steps_back()
    {
        var path = Path.Combine(_dir, "busy.jsonl.gz");
        using (var tape = new TapeWriter(path, new TapeHeader { Markets = ["MKT"] }, new JitteryClock()))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
            {
                tape.Record(new TapeEntry { Kind = TapeEntryKind.WsReceive, Stream = "orderbook", Connection = 1, Frame = $"{{\"n\":{i}}}" });
                return ValueTask.CompletedTask;
            });
        }
        var read = TapeReader.Read(path); // refuses entries out of order
        Assert.Equal(400, read.Entries.Count);
    }

    [Fact]
    public void Writing_an_entry_earlier_than_the_last_is_refused_and_a_saved_tape_keeps_its_header()
    {
        var path = Path.Combine(_dir, "copy.jsonl");
        var header = new TapeHeader { RecordedAt = T0.AddDays(-1), Markets = ["MKT"], Note = "a note" };
        using (var tape = new TapeWriter(Path.Combine(_dir, "w.jsonl"), header))
        {
            tape.Write(new TapeEntry { At = T0.AddSeconds(2), Kind = TapeEntryKind.WsConnect, Connection = 1 });
            Assert.Throws<ArgumentException>(() => tape.Write(new TapeEntry { At = T0.AddSeconds(1), Kind = TapeEntryKind.WsConnect, Connection = 2 }));
        }
        TapeWriter.Save(new Tape(header, [new TapeEntry { At = T0, Kind = TapeEntryKind.WsConnect, Connection = 1 }], "x"), path);
        var saved = TapeReader.Read(path);
        Assert.Equal(T0.AddDays(-1), saved.Header.RecordedAt);
        Assert.Equal("a note", saved.Header.Note);
    }

    [Fact]
    public async Task A_rest_exchange_is_recorded_with_its_send_and_arrival_times_and_without_headers()
    {
        var path = Path.Combine(_dir, "rest.jsonl");
        var clock = new JitteryClock();
        using (var tape = new TapeWriter(path, new TapeHeader(), clock))
        {
            var inner = new Answering(_ =>
            {
                var r = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"balance":1000}""") };
                r.Headers.Date = T0;
                return r;
            });
            using var client = new HttpMessageInvoker(new RecordingHttpHandler(tape, inner));
            var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/trade-api/v2/portfolio/balance?x=1");
            request.Headers.TryAddWithoutValidation("KALSHI-ACCESS-KEY", "secret-key-id");
            request.Headers.TryAddWithoutValidation("KALSHI-ACCESS-SIGNATURE", "secret-signature");
            var response = await client.SendAsync(request, CancellationToken.None);
            Assert.Equal("""{"balance":1000}""", await response.Content.ReadAsStringAsync());
        }
        var text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain("secret", text);
        var entry = Assert.Single(TapeReader.Read(path).Entries);
        Assert.Equal(("GET", "/trade-api/v2/portfolio/balance", "?x=1", 200), (entry.Method, entry.Path, entry.Query, entry.Status));
        Assert.True(entry.At > entry.Sent);
        Assert.Equal(T0, entry.Date);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, TapeErrorKinds.Connect)]
    [InlineData(HttpRequestError.NameResolutionError, TapeErrorKinds.Connect)]
    [InlineData(HttpRequestError.ResponseEnded, TapeErrorKinds.Connection)]
    [InlineData(HttpRequestError.Unknown, TapeErrorKinds.Connection)]
    public async Task A_failed_request_is_recorded_with_what_kind_of_failure_it_was(HttpRequestError error, string kind)
    {
        var path = Path.Combine(_dir, $"failed-{error}.jsonl");
        using (var tape = new TapeWriter(path, new TapeHeader()))
        {
            using var client = new HttpMessageInvoker(new RecordingHttpHandler(tape, new Failing(new HttpRequestException(error, "boom"))));
            var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:1/trade-api/v2/portfolio/events/orders")
            {
                Content = new StringContent("""{"ticker":"MKT"}""", new MediaTypeHeaderValue("application/json")),
            };
            await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request, CancellationToken.None));
        }
        var entry = Assert.Single(TapeReader.Read(path).Entries);
        Assert.Equal((kind, "boom", """{"ticker":"MKT"}"""), (entry.ErrorKind, entry.Error, entry.Request));
        Assert.Equal("MKT", entry.Market);
    }

    [Fact]
    public void A_timeout_is_recorded_as_such() =>
        Assert.Equal(TapeErrorKinds.Timeout, RecordingHttpHandler.KindOf(new TaskCanceledException("timed out")));
}
