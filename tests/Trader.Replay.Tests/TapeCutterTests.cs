using System.Text.Json;
using Trader.Replay.Tapes;

namespace Trader.Replay.Tests;

/// <summary>Cutting a tape: markets narrowed with sequence numbers closed up, the start moved to a calibration with the books carried over.</summary>
public class TapeCutterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);
    private const string A = "KXA-26", B = "KXB-26";

    private sealed class Builder
    {
        public List<TapeEntry> Entries { get; } = [];
        private double _t;

        public Builder At(double seconds)
        {
            _t = seconds;
            return this;
        }

        private DateTimeOffset Next() => T0.AddSeconds(_t += 0.001);

        public Builder Connect(string stream, int conn)
        {
            Entries.Add(new TapeEntry { At = Next(), Kind = TapeEntryKind.WsConnect, Stream = stream, Connection = conn, Url = "ws://x/trade-api/ws/v2" });
            return this;
        }

        public Builder Frame(string stream, int conn, string frame)
        {
            Entries.Add(new TapeEntry { At = Next(), Kind = TapeEntryKind.WsReceive, Stream = stream, Connection = conn, Frame = frame });
            return this;
        }

        public Builder Send(string stream, int conn, string frame)
        {
            Entries.Add(new TapeEntry { At = Next(), Kind = TapeEntryKind.WsSend, Stream = stream, Connection = conn, Frame = frame });
            return this;
        }

        public Builder Snapshot(int seq, string market, string yes = "", string no = "") =>
            Frame("orderbook", 1, "{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":" + seq + ",\"msg\":{\"market_ticker\":\"" + market + "\"" +
                (yes == "" ? "" : ",\"yes_dollars_fp\":[" + yes + "]") + (no == "" ? "" : ",\"no_dollars_fp\":[" + no + "]") + "}}");

        public Builder Delta(int seq, string market, string side, string price, string delta) =>
            Frame("orderbook", 1, $$$"""{"type":"orderbook_delta","sid":1,"seq":{{{seq}}},"msg":{"market_ticker":"{{{market}}}","price_dollars":"{{{price}}}","delta_fp":"{{{delta}}}","side":"{{{side}}}"}}""");

        public Builder Get(string path, string response = "{}", string? query = null)
        {
            var sent = Next();
            Entries.Add(new TapeEntry { Sent = sent, At = sent.AddMilliseconds(0.5), Kind = TapeEntryKind.Http, Method = "GET", Path = "/trade-api/v2" + path, Query = query, Status = 200, Response = response });
            _t += 0.001;
            return this;
        }

        public Builder Calibration() => Get("/exchange/status", """{"exchange_active":true,"trading_active":true}""")
            .Get("/portfolio/fills", """{"fills":[],"cursor":""}""", "?min_ts=1&limit=1000")
            .Get("/portfolio/balance", """{"balance":100000}""")
            .Get("/portfolio/positions", """{"market_positions":[],"cursor":""}""", "?count_filter=position&limit=1000")
            .Get("/portfolio/orders", """{"orders":[],"cursor":""}""", "?status=resting&limit=1000")
            .Get("/portfolio/settlements", """{"settlements":[],"cursor":""}""", "?limit=1000");

        public Tape Build() => new(new TapeHeader
        {
            Markets = [A, B],
            Config = $"trader.decisions.policy = \"hold\"\ntrader.market-data.markets = [\"{A}\", \"{B}\"]",
        }, Entries, "session.jsonl");
    }

    /// <summary>A session: books streamed from 0 s, a calibration at 0.1 s and another at 10 s, book frames throughout.</summary>
    private static Tape Session() => new Builder()
        .Connect("orderbook", 1)
        .Send("orderbook", 1, """{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"]}}""")
        .Frame("orderbook", 1, """{"type":"subscribed","id":1,"msg":{"channel":"orderbook_delta","sid":1}}""")
        .Snapshot(1, A, yes: """["0.4000","10.00"]""", no: """["0.5500","4.00"]""")
        .Snapshot(2, B)
        .At(0.1).Calibration()
        .At(5).Delta(3, A, "yes", "0.4100", "5.00")
        .Delta(4, B, "yes", "0.2000", "1.00")
        .Delta(5, A, "no", "0.5500", "-4.00")
        .Delta(6, A, "yes", "0.4000", "-2.50")
        .At(10).Calibration()
        .At(11).Delta(7, A, "yes", "0.4200", "1.00")
        .Delta(9, B, "yes", "0.2100", "1.00") // a real gap: 8 never came
        .Delta(10, A, "yes", "0.4300", "1.00")
        .At(20).Get("/portfolio/fills", """{"fills":[],"cursor":""}""", "?min_ts=2&limit=1000")
        .Build();

    private static long Seq(TapeEntry e) => JsonDocument.Parse(e.Frame!).RootElement.GetProperty("seq").GetInt64();

    [Fact]
    public void Cutting_to_a_market_drops_the_others_and_closes_up_the_sequence_numbers_but_keeps_a_real_gap()
    {
        var cut = TapeCutter.Cut(Session(), new TapeCutOptions { Markets = [A] });
        Assert.Equal([A], cut.Tape.Header.Markets);
        Assert.Contains($"trader.market-data.markets = [\"{A}\"]", cut.Tape.Header.Config);
        var frames = cut.Tape.Entries.Where(e => e.Kind == TapeEntryKind.WsReceive && e.Frame!.Contains("\"seq\"")).ToList();
        Assert.All(frames, f => Assert.Equal(A, f.Market));
        // A's frames were 1, 3, 5, 6, 7, 10 among B's 2, 4, 9 (and 8 lost): now 1, 2, 3, 4, 5 and, after the real gap, 7.
        Assert.Equal([1L, 2, 3, 4, 5, 7], frames.Select(Seq));
        Assert.Equal(Session().Entries.Count(e => e.Kind == TapeEntryKind.Http), cut.Tape.Entries.Count(e => e.Kind == TapeEntryKind.Http));
        Assert.Contains("kept markets KXA-26: dropped 3 entries about other markets", cut.Summary[0]);
    }

    [Fact]
    public void Cutting_from_a_time_starts_at_the_last_calibration_before_it_with_the_books_as_they_stood()
    {
        var cut = TapeCutter.Cut(Session(), new TapeCutOptions { From = T0.AddSeconds(15) }).Tape;
        var status = cut.Entries.First(e => e.Kind == TapeEntryKind.Http);
        Assert.EndsWith("/exchange/status", status.Path);
        Assert.Equal(T0.AddSeconds(10.001), status.Sent); // the second calibration, where it was
        Assert.Equal(6 + 1, cut.Entries.Count(e => e.Kind == TapeEntryKind.Http)); // it, and the poll at 20 s

        var carried = cut.Entries.TakeWhile(e => e.Kind != TapeEntryKind.Http).ToList();
        Assert.Equal([TapeEntryKind.WsConnect, TapeEntryKind.WsSend, TapeEntryKind.WsReceive, TapeEntryKind.WsReceive, TapeEntryKind.WsReceive],
            carried.Select(e => e.Kind));
        Assert.All(carried, e => Assert.True(e.At < status.Sent));
        var snapshots = carried.Where(e => e.Frame?.Contains("orderbook_snapshot") == true).Select(e => JsonDocument.Parse(e.Frame!).RootElement).ToList();
        // A: 0.40 × 10 + snapshot, +5 @ 0.41, NO 0.55 −4 (gone), −2.5 @ 0.40; B: +1 @ 0.20. Numbered 5 and 6, just before 7.
        Assert.Equal("""{"market_ticker":"KXA-26","yes_dollars_fp":[["0.4000","7.50"],["0.4100","5.00"]]}""", snapshots[0].GetProperty("msg").GetRawText());
        Assert.Equal("""{"market_ticker":"KXB-26","yes_dollars_fp":[["0.2000","1.00"]]}""", snapshots[1].GetProperty("msg").GetRawText());
        Assert.Equal([5L, 6], snapshots.Select(s => s.GetProperty("seq").GetInt64()));
        Assert.Equal(7, Seq(cut.Entries.First(e => e.At > status.At && e.Frame?.Contains("orderbook_delta") == true)));
    }

    [Fact]
    public void A_book_a_gap_left_waiting_is_not_carried_over()
    {
        var tape = new Builder()
            .Connect("orderbook", 1)
            .Snapshot(1, A, yes: """["0.4000","10.00"]""")
            .Delta(3, A, "yes", "0.4100", "5.00") // 2 lost: A waits for a snapshot
            .At(1).Calibration()
            .At(2).Delta(4, A, "yes", "0.4200", "1.00")
            .Build();
        var cut = TapeCutter.Cut(tape, new TapeCutOptions { From = T0.AddSeconds(1.5) }).Tape;
        Assert.DoesNotContain(cut.Entries, e => e.Frame?.Contains("orderbook_snapshot") == true);
        Assert.Contains(cut.Entries, e => e.Kind == TapeEntryKind.WsConnect);
    }

    [Fact]
    public void Before_the_first_calibration_the_start_is_kept_and_to_drops_the_tail()
    {
        var session = Session();
        var early = TapeCutter.Cut(session, new TapeCutOptions { From = T0.AddSeconds(0.05), To = T0.AddSeconds(12) });
        Assert.Equal(session.Entries[0], early.Tape.Entries[0]);
        Assert.All(early.Tape.Entries, e => Assert.True(e.At <= T0.AddSeconds(12)));
        Assert.Contains(early.Summary, s => s.Contains("before the first calibration completed: the start of the tape is kept"));
        Assert.StartsWith("cut from session.jsonl: ", early.Tape.Header.Note);
    }

    [Fact]
    public void Impossible_cuts_are_refused_with_the_reason()
    {
        var session = Session();
        Assert.Contains("the tape has no market KXC-26; its markets: KXA-26, KXB-26",
            Assert.Throws<ArgumentException>(() => TapeCutter.Cut(session, new TapeCutOptions { Markets = ["KXC-26"] })).Message);
        Assert.Contains("is not before --to", Assert.Throws<ArgumentException>(() =>
            TapeCutter.Cut(session, new TapeCutOptions { From = T0.AddSeconds(5), To = T0.AddSeconds(5) })).Message);
        Assert.Contains("after the end of the tape", Assert.Throws<ArgumentException>(() =>
            TapeCutter.Cut(session, new TapeCutOptions { From = T0.AddHours(1) })).Message);
    }

    [Theory]
    [InlineData(TapeEntryKind.WsReceive, """{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"MKT"}}""", null, null, null, "MKT")]
    [InlineData(TapeEntryKind.WsReceive, """{"type":"user_order","sid":2,"msg":{"order_id":"o","ticker":"MKT"}}""", null, null, null, "MKT")]
    [InlineData(TapeEntryKind.WsReceive, """{"type":"subscribed","id":1,"msg":{"channel":"fill","sid":1}}""", null, null, null, null)]
    [InlineData(TapeEntryKind.WsSend, """{"id":1,"cmd":"subscribe","params":{"market_ticker":"MKT"}}""", null, null, null, null)]
    [InlineData(TapeEntryKind.Http, null, "/trade-api/v2/markets/MKT/orderbook", null, null, "MKT")]
    [InlineData(TapeEntryKind.Http, null, "/trade-api/v2/markets/trades", "?ticker=MKT&limit=5", null, "MKT")]
    [InlineData(TapeEntryKind.Http, null, "/trade-api/v2/portfolio/events/orders/o-1", "?market_ticker=MKT", null, "MKT")]
    [InlineData(TapeEntryKind.Http, null, "/trade-api/v2/portfolio/events/orders", null, """{"ticker":"MKT","side":"bid"}""", "MKT")]
    [InlineData(TapeEntryKind.Http, null, "/trade-api/v2/portfolio/balance", null, null, null)]
    public void The_market_of_an_entry(TapeEntryKind kind, string? frame, string? path, string? query, string? body, string? market)
    {
        var e = new TapeEntry { Kind = kind, Connection = 1, Frame = frame, Method = "GET", Path = path, Query = query, Request = body, Status = 200 };
        Assert.Equal(market, e.Market);
    }
}
