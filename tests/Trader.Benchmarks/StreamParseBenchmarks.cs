using System.Text;
using BenchmarkDotNet.Attributes;
using Trader.Kalshi.Streaming;

namespace Trader.Benchmarks;

/// <summary>
/// Parsing the two hot WebSocket frames (kalshi-api.md §9.7 and §9.8): the envelope plus the message, and the full
/// session dispatch (sequence check, handler call) for a delta. One frame per operation.
/// </summary>
[MemoryDiagnoser]
public class StreamParseBenchmarks
{
    private static readonly byte[] Delta = Encoding.UTF8.GetBytes(
        """{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.4700","delta_fp":"-3.00","side":"yes","ts":"2026-06-11T06:31:29.957081Z","ts_ms":1781159489957}}""");

    private static readonly byte[] FillFrame = Encoding.UTF8.GetBytes(
        """{"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"my-order-1","market_ticker":"HIGHNY-22DEC23-B53.5","exchange_index":2,"is_taker":true,"side":"yes","yes_price_dollars":"0.7500","count_fp":"278.00","fee_cost":"0.010000","action":"buy","ts":1671899397,"ts_ms":1671899397000,"post_position_fp":"500.00","purchased_side":"yes","outcome_side":"yes","book_side":"bid","subaccount":3}}""");

    private readonly TickerInterner _tickers = new();
    private KalshiStreamSession _session = null!;
    private byte[][] _sequencedDeltas = null!;
    private int _next;

    private sealed class Sink : KalshiStreamHandler
    {
        public long Units;
        public override void OnOrderBookDelta(in OrderBookDeltaMessage message) => Units += message.Delta.Units;
    }

    [GlobalSetup]
    public void Setup()
    {
        _session = new KalshiStreamSession(new KalshiStreamOptions { Endpoint = new Uri("ws://127.0.0.1:1/trade-api/ws/v2") }, new Sink());
        // Pre-built frames with increasing seq so the session's sequence check sees an in-order stream.
        _sequencedDeltas = Enumerable.Range(1, 1 << 16)
            .Select(i => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Delta).Replace("\"seq\":2", $"\"seq\":{i}")))
            .ToArray();
        _tickers.Intern("KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"u8);
        _tickers.Intern("HIGHNY-22DEC23-B53.5"u8);
    }

    /// <summary>Envelope + orderbook_delta msg with Utf8JsonReader (what the session does per delta).</summary>
    [Benchmark]
    public long ParseOrderbookDelta()
    {
        var h = StreamFrameReader.ReadHeader(Delta);
        return StreamFrameReader.ReadDelta(h.Msg(Delta), _tickers).Delta.Units;
    }

    /// <summary>Envelope + fill msg into a Core Fill (the record and its id strings are the allocations).</summary>
    [Benchmark]
    public long ParseFill()
    {
        var h = StreamFrameReader.ReadHeader(FillFrame);
        return StreamFrameReader.ReadFill(h.Msg(FillFrame), _tickers).Count.Units;
    }

    /// <summary>The whole receive-loop step for a delta: parse, per-sid sequence check, handler call.</summary>
    [Benchmark]
    public long SessionProcessOrderbookDelta()
    {
        if (_next == _sequencedDeltas.Length)
        {
            // Start a new sid so that seq restarts at 1 without looking like duplicates.
            _session = new KalshiStreamSession(new KalshiStreamOptions { Endpoint = new Uri("ws://127.0.0.1:1/trade-api/ws/v2") }, new Sink());
            _next = 0;
        }
        _session.Process(_sequencedDeltas[_next++]);
        return _next;
    }
}
