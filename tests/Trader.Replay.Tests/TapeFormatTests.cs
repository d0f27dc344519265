using System.IO.Compression;
using System.Text;
using Akka.Configuration;
using Trader.Replay.Recording;
using Trader.Replay.Tapes;

namespace Trader.Replay.Tests;

public sealed class TapeFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tapes").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);

    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private string Write(string name)
    {
        var path = Path.Combine(_dir, name);
        var clock = new Clock(T0);
        using var tape = new TapeWriter(path, new TapeHeader { Exchange = "http://127.0.0.1:1/trade-api/v2", Markets = ["MKT"] }, clock);
        tape.Write(new TapeEntry { At = T0, Kind = TapeEntryKind.Http, Method = "GET", Path = "/trade-api/v2/exchange/status", Status = 200, Response = """{"exchange_active":true,"trading_active":true}""" });
        tape.Write(new TapeEntry { At = T0.AddSeconds(1), Kind = TapeEntryKind.WsConnect, Stream = "orderbook", Connection = 1, Url = "ws://127.0.0.1:1/trade-api/ws/v2" });
        tape.Write(new TapeEntry { At = T0.AddSeconds(2), Kind = TapeEntryKind.WsReceive, Stream = "orderbook", Connection = 1, Frame = """{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"MKT"}}""" });
        return path;
    }

    [Theory]
    [InlineData("session.jsonl")]
    [InlineData("session.jsonl.gz")]
    public void Round_trips_plain_and_compressed(string name)
    {
        var path = Write(name);
        if (name.EndsWith(".gz")) Assert.Equal(0x1f, File.ReadAllBytes(path)[0]);
        var tape = TapeReader.Read(path);
        Assert.Equal(TapeHeader.Magic, tape.Header.Tape);
        Assert.Equal(["MKT"], tape.Header.Markets);
        Assert.Equal(3, tape.Entries.Count);
        Assert.Equal(TapeEntryKind.WsReceive, tape.Entries[2].Kind);
        Assert.Equal("MKT", tape.Entries[2].Market);
        Assert.Equal(T0, tape.Start);
        Assert.Equal(T0.AddSeconds(2), tape.End);
    }

    [Fact]
    public void The_wire_form_is_json_lines_in_snake_case()
    {
        var lines = File.ReadAllLines(Write("t.jsonl"));
        Assert.StartsWith("""{"tape":"trader-actors-tape","version":1,""", lines[0]);
        Assert.Contains("\"kind\":\"ws_receive\"", lines[3]);
        Assert.DoesNotContain("KALSHI-ACCESS", string.Join("\n", lines));
    }

    [Fact]
    public void A_truncated_tape_is_refused_with_the_line()
    {
        var path = Write("t.jsonl");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..^20]);
        var ex = Assert.Throws<TapeFormatException>(() => TapeReader.Read(path));
        Assert.Equal(4, ex.Line);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void A_corrupt_line_is_refused_with_its_number_and_reason()
    {
        var path = Write("t.jsonl");
        var lines = File.ReadAllLines(path);
        lines[2] = "{\"at\":\"2026-11-25T14:00:01Z\",\"kind\":\"ws_connect\"}";
        File.WriteAllLines(path, lines);
        var ex = Assert.Throws<TapeFormatException>(() => TapeReader.Read(path));
        Assert.Equal(3, ex.Line);
        Assert.Equal($"{path}: line 3: corrupt entry: a WsConnect entry needs conn", ex.Message);

        lines[2] = "not json at all";
        File.WriteAllLines(path, lines);
        ex = Assert.Throws<TapeFormatException>(() => TapeReader.Read(path));
        Assert.Equal(3, ex.Line);
        Assert.Contains("corrupt entry", ex.Message);
    }

    [Fact]
    public void Foreign_files_are_refused()
    {
        var json = Path.Combine(_dir, "other.json");
        File.WriteAllText(json, "{\"name\":\"package\",\"version\":\"1.0.0\"}\n");
        Assert.Contains("not a Trader.Actors tape", Assert.Throws<TapeFormatException>(() => TapeReader.Read(json)).Message);

        var binary = Path.Combine(_dir, "image.png");
        File.WriteAllBytes(binary, [0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0xfd, 0x00]);
        Assert.Contains("line 1", Assert.Throws<TapeFormatException>(() => TapeReader.Read(binary)).Message);

        var empty = Path.Combine(_dir, "empty.jsonl");
        File.WriteAllText(empty, "");
        Assert.Contains("the file is empty", Assert.Throws<TapeFormatException>(() => TapeReader.Read(empty)).Message);

        var future = Path.Combine(_dir, "future.jsonl");
        File.WriteAllText(future, "{\"tape\":\"trader-actors-tape\",\"version\":9}\n");
        Assert.Contains("tape version 9 is not supported", Assert.Throws<TapeFormatException>(() => TapeReader.Read(future)).Message);

        var damaged = Path.Combine(_dir, "damaged.jsonl.gz");
        File.WriteAllBytes(damaged, [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]);
        Assert.Contains("line 1", Assert.Throws<TapeFormatException>(() => TapeReader.Read(damaged)).Message);
    }

    [Fact]
    public void Entries_out_of_order_are_refused()
    {
        var path = Write("t.jsonl");
        var lines = File.ReadAllLines(path).ToList();
        (lines[2], lines[3]) = (lines[3], lines[2]);
        File.WriteAllLines(path, lines);
        var ex = Assert.Throws<TapeFormatException>(() => TapeReader.Read(path));
        Assert.Equal(4, ex.Line);
        Assert.Contains("out of order", ex.Message);
    }

    [Fact]
    public void The_recorded_settings_keep_the_trader_section_and_nothing_that_names_a_key()
    {
        var config = ConfigurationFactory.ParseString("""
            trader { decisions.policy = "heuristic", kalshi { key-id = "abc-123", key-file = "/secret/key.pem" } }
            akka.loglevel = DEBUG
            """);
        var text = SessionRecorder.RenderTraderSection(config);
        Assert.Contains("heuristic", text);
        Assert.DoesNotContain("abc-123", text);
        Assert.DoesNotContain("/secret/key.pem", text);
        Assert.DoesNotContain("loglevel", text);
        var back = ConfigurationFactory.ParseString(text);
        Assert.Equal("heuristic", back.GetString("trader.decisions.policy"));
    }
}

public class RecordedSettingsTests
{
    [Fact]
    public void The_default_settings_survive_the_round_trip_through_a_tape_header()
    {
        var defaults = Trader.Actors.Hosting.TraderHocon.LoadDefaults();
        var text = SessionRecorder.RenderTraderSection(defaults);
        var back = ConfigurationFactory.ParseString(text);
        Assert.Equal(defaults.GetString("trader.decisions.policy"), back.GetString("trader.decisions.policy"));
        Assert.Equal(defaults.GetTimeSpan("trader.calibration.interval"), back.GetTimeSpan("trader.calibration.interval"));
        Assert.Equal(defaults.GetString("trader.risk.min-cash-reserve"), back.GetString("trader.risk.min-cash-reserve"));
        var a = Trader.Actors.TraderSettings.FromConfig(defaults);
        var b = Trader.Actors.TraderSettings.FromConfig(back.WithFallback(defaults));
        Assert.Equal(a.Risk, b.Risk);
        Assert.Equal(a.RecalibrationInterval, b.RecalibrationInterval);
        Assert.Equal(Trader.Actors.Decisions.DecisionSettings.FromConfig(defaults), Trader.Actors.Decisions.DecisionSettings.FromConfig(back.WithFallback(defaults)));
    }
}
