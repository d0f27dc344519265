using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Wire;
using CoreFill = Trader.Core.Orders.Fill;

namespace Trader.Kalshi.Streaming;

/// <summary>The <c>type</c> of a server frame.</summary>
public enum FrameType : byte
{
    Unknown,
    Subscribed,
    Unsubscribed,
    Ok,
    Error,
    OrderbookSnapshot,
    OrderbookDelta,
    Ticker,
    Trade,
    Fill,
    MarketPosition,
    UserOrder,
    OrderGroupUpdates,
    MarketLifecycleV2,
    EventLifecycle,
    EventFeeUpdate,
}

/// <summary>
/// The envelope of a frame: its type, command id, sid and seq, and where its <c>msg</c> value lies in the frame
/// (<see cref="MsgStart"/>/<see cref="MsgLength"/>, −1 when absent). Members may come in any order on the wire.
/// </summary>
public readonly record struct FrameHeader(FrameType Type, int? Id, long? Sid, long? Seq, int MsgStart, int MsgLength)
{
    public bool HasMsg => MsgStart >= 0;

    public ReadOnlySpan<byte> Msg(ReadOnlySpan<byte> frame) => HasMsg ? frame.Slice(MsgStart, MsgLength) : default;
}

/// <summary>
/// Allocation-free parsing of WebSocket frames with <see cref="Utf8JsonReader"/>: the envelope, and the two hot
/// messages (<c>orderbook_delta</c>, <c>fill</c>). Everything else goes through the DTOs (<see cref="KalshiJson"/>).
/// Malformed input throws <see cref="KalshiWireException"/> naming the field; numbers are read from strings or JSON
/// numbers; unknown members are skipped. Legacy integer fields (<c>price</c>, <c>delta</c>, <c>yes_price</c>,
/// <c>count</c>, <c>post_position</c>) are never read: a frame that has only them is an error that says so, never a zero.
/// </summary>
public static class StreamFrameReader
{
    public static FrameHeader ReadHeader(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new KalshiWireException("frame: not a JSON object");
        FrameType type = FrameType.Unknown;
        bool sawType = false;
        int? id = null;
        long? sid = null, seq = null;
        int msgStart = -1, msgLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw new KalshiWireException("frame: 'type' is not a string");
                type = TypeOf(ref reader);
                sawType = true;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.Null ? null : (int)ReadLong(ref reader, "id");
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                sid = reader.TokenType == JsonTokenType.Null ? null : ReadLong(ref reader, "sid");
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Null ? null : ReadLong(ref reader, "seq");
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                msgStart = (int)reader.TokenStartIndex;
                reader.Skip();
                msgLength = (int)reader.BytesConsumed - msgStart;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!sawType) throw new KalshiWireException("frame: 'type' is missing");
        return new FrameHeader(type, id, sid, seq, msgStart, msgLength);
    }

    private static FrameType TypeOf(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("orderbook_delta"u8)) return FrameType.OrderbookDelta;
        if (r.ValueTextEquals("orderbook_snapshot"u8)) return FrameType.OrderbookSnapshot;
        if (r.ValueTextEquals("fill"u8)) return FrameType.Fill;
        if (r.ValueTextEquals("ticker"u8)) return FrameType.Ticker;
        if (r.ValueTextEquals("trade"u8)) return FrameType.Trade;
        if (r.ValueTextEquals("user_order"u8)) return FrameType.UserOrder;
        if (r.ValueTextEquals("market_position"u8)) return FrameType.MarketPosition;
        if (r.ValueTextEquals("market_lifecycle_v2"u8)) return FrameType.MarketLifecycleV2;
        if (r.ValueTextEquals("event_lifecycle"u8)) return FrameType.EventLifecycle;
        if (r.ValueTextEquals("event_fee_update"u8)) return FrameType.EventFeeUpdate;
        if (r.ValueTextEquals("order_group_updates"u8)) return FrameType.OrderGroupUpdates;
        if (r.ValueTextEquals("subscribed"u8)) return FrameType.Subscribed;
        if (r.ValueTextEquals("unsubscribed"u8)) return FrameType.Unsubscribed;
        if (r.ValueTextEquals("ok"u8)) return FrameType.Ok;
        if (r.ValueTextEquals("error"u8)) return FrameType.Error;
        return FrameType.Unknown;
    }

    /// <summary>The fields of an <c>orderbook_delta</c> msg, as sent (the NO side in whatever leg the subscription asked for).</summary>
    public readonly record struct DeltaFields(string Ticker, BookLeg Side, Price Price, Quantity Delta, long TimestampMs, string? ClientOrderId);

    /// <summary>Parses an <c>orderbook_delta</c> msg. Required: market_ticker, price_dollars, delta_fp, side.</summary>
    public static DeltaFields ReadDelta(ReadOnlySpan<byte> msg, TickerInterner tickers)
    {
        var r = new Utf8JsonReader(msg);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw new KalshiWireException("orderbook_delta: msg is not an object");
        string? ticker = null, clientOrderId = null;
        Price price = default;
        Quantity delta = default;
        BookLeg side = default;
        long tsMs = 0;
        int seen = 0;
        string? legacy = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("market_ticker"u8))
            {
                r.Read();
                ticker = ReadTicker(ref r, tickers, "orderbook_delta", "market_ticker");
                seen |= 1;
            }
            else if (r.ValueTextEquals("price_dollars"u8))
            {
                r.Read();
                price = ReadPrice(ref r, "orderbook_delta", "price_dollars");
                seen |= 2;
            }
            else if (r.ValueTextEquals("delta_fp"u8))
            {
                r.Read();
                delta = ReadQuantity(ref r, "orderbook_delta", "delta_fp");
                seen |= 4;
            }
            else if (r.ValueTextEquals("side"u8))
            {
                r.Read();
                side = r.ValueTextEquals("yes"u8) ? BookLeg.Yes
                    : r.ValueTextEquals("no"u8) ? BookLeg.No
                    : throw new KalshiWireException($"orderbook_delta: side '{Text(ref r)}' is neither 'yes' nor 'no'");
                seen |= 8;
            }
            else if (r.ValueTextEquals("ts_ms"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.Null) tsMs = ReadLong(ref r, "ts_ms");
            }
            else if (r.ValueTextEquals("client_order_id"u8))
            {
                r.Read();
                clientOrderId = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else
            {
                if (r.ValueTextEquals("price"u8)) legacy = "price";
                else if (r.ValueTextEquals("delta"u8)) legacy = "delta";
                r.Read();
                r.Skip();
            }
        }
        if (seen != 15)
            throw Missing("orderbook_delta", seen, ["market_ticker", "price_dollars", "delta_fp", "side"], legacy);
        return new DeltaFields(ticker!, side, price, delta, tsMs, clientOrderId);
    }

    /// <summary>
    /// Parses a private <c>fill</c> msg into a Core <see cref="CoreFill"/>. Required: trade_id, order_id, market_ticker,
    /// is_taker, yes_price_dollars, count_fp, fee_cost, post_position_fp, and a direction (book_side, else outcome_side,
    /// else action+side). Time from ts_ms, else ts.
    /// </summary>
    public static CoreFill ReadFill(ReadOnlySpan<byte> msg, TickerInterner tickers)
    {
        var r = new Utf8JsonReader(msg);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw new KalshiWireException("fill: msg is not an object");
        string? tradeId = null, orderId = null, clientOrderId = null, ticker = null;
        string? bookSide = null, outcomeSide = null, side = null, action = null, legacy = null;
        bool isTaker = false;
        Price yesPrice = default;
        Quantity count = default, post = default;
        Money fee = default;
        long? tsMs = null, ts = null;
        int seen = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("trade_id"u8)) { r.Read(); tradeId = RequiredString(ref r, "fill", "trade_id"); seen |= 1; }
            else if (r.ValueTextEquals("order_id"u8)) { r.Read(); orderId = RequiredString(ref r, "fill", "order_id"); seen |= 2; }
            else if (r.ValueTextEquals("market_ticker"u8)) { r.Read(); ticker = ReadTicker(ref r, tickers, "fill", "market_ticker"); seen |= 4; }
            else if (r.ValueTextEquals("is_taker"u8))
            {
                r.Read();
                isTaker = r.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new KalshiWireException("fill: is_taker is not a boolean"),
                };
                seen |= 8;
            }
            else if (r.ValueTextEquals("yes_price_dollars"u8)) { r.Read(); yesPrice = ReadPrice(ref r, "fill", "yes_price_dollars"); seen |= 16; }
            else if (r.ValueTextEquals("count_fp"u8)) { r.Read(); count = ReadQuantity(ref r, "fill", "count_fp"); seen |= 32; }
            else if (r.ValueTextEquals("fee_cost"u8)) { r.Read(); fee = ReadMoney(ref r, "fill", "fee_cost"); seen |= 64; }
            else if (r.ValueTextEquals("post_position_fp"u8)) { r.Read(); post = ReadQuantity(ref r, "fill", "post_position_fp"); seen |= 128; }
            else if (r.ValueTextEquals("book_side"u8)) { r.Read(); bookSide = Word(ref r); }
            else if (r.ValueTextEquals("outcome_side"u8)) { r.Read(); outcomeSide = Word(ref r); }
            else if (r.ValueTextEquals("side"u8)) { r.Read(); side = Word(ref r); }
            else if (r.ValueTextEquals("action"u8)) { r.Read(); action = Word(ref r); }
            else if (r.ValueTextEquals("client_order_id"u8)) { r.Read(); clientOrderId = r.TokenType == JsonTokenType.String ? r.GetString() : null; }
            else if (r.ValueTextEquals("ts_ms"u8)) { r.Read(); if (r.TokenType != JsonTokenType.Null) tsMs = ReadLong(ref r, "ts_ms"); }
            else if (r.ValueTextEquals("ts"u8)) { r.Read(); if (r.TokenType == JsonTokenType.Number) ts = ReadLong(ref r, "ts"); }
            else
            {
                if (r.ValueTextEquals("yes_price"u8)) legacy = "yes_price";
                else if (r.ValueTextEquals("count"u8)) legacy = "count";
                else if (r.ValueTextEquals("post_position"u8)) legacy = "post_position";
                r.Read();
                r.Skip();
            }
        }
        if (seen != 255)
            throw Missing("fill", seen, ["trade_id", "order_id", "market_ticker", "is_taker", "yes_price_dollars", "count_fp", "fee_cost", "post_position_fp"], legacy);
        var time = tsMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : ts is { } s ? DateTimeOffset.FromUnixTimeSeconds(s)
            : throw new KalshiWireException($"fill {tradeId}: both ts_ms and ts are missing");
        var direction = KalshiWireMapper.SideOf(bookSide, outcomeSide, side, action, $"fill {tradeId}");
        return new CoreFill(tradeId!, orderId!, ticker!, direction, yesPrice, count, fee, isTaker, time, post, clientOrderId);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static KalshiWireException Missing(string what, int seen, string[] names, string? legacy)
    {
        var missing = names.Where((_, i) => (seen & (1 << i)) == 0).ToArray();
        string list = string.Join(", ", missing.Select(m => $"'{m}'"));
        return legacy is null
            ? new KalshiWireException($"{what}: missing required field {list}")
            : new KalshiWireException($"{what}: missing required field {list}; the frame has the legacy integer field '{legacy}', which is not read (fixed-point fields only)");
    }

    private static string ReadTicker(ref Utf8JsonReader r, TickerInterner tickers, string what, string field)
    {
        if (r.TokenType != JsonTokenType.String) throw new KalshiWireException($"{what}: {field} is not a string");
        return !r.ValueIsEscaped && !r.HasValueSequence ? tickers.Intern(r.ValueSpan) : tickers.Intern(r.GetString()!);
    }

    private static string RequiredString(ref Utf8JsonReader r, string what, string field) =>
        r.TokenType == JsonTokenType.String ? r.GetString()! : throw new KalshiWireException($"{what}: {field} is not a string");

    private static string? Word(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.String) return null;
        if (r.ValueTextEquals("bid"u8)) return "bid";
        if (r.ValueTextEquals("ask"u8)) return "ask";
        if (r.ValueTextEquals("yes"u8)) return "yes";
        if (r.ValueTextEquals("no"u8)) return "no";
        if (r.ValueTextEquals("buy"u8)) return "buy";
        if (r.ValueTextEquals("sell"u8)) return "sell";
        return r.GetString();
    }

    private static string Text(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? r.GetString() ?? "" : Encoding.UTF8.GetString(r.ValueSpan);

    private static ReadOnlySpan<byte> Raw(ref Utf8JsonReader r, string what, string field)
    {
        if (r.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
            throw new KalshiWireException($"{what}: {field} is not a string or number");
        if (r.HasValueSequence || r.ValueIsEscaped)
            throw new KalshiWireException($"{what}: {field} '{Text(ref r)}' is not a plain decimal number");
        return r.ValueSpan;
    }

    private static Price ReadPrice(ref Utf8JsonReader r, string what, string field)
    {
        var raw = Raw(ref r, what, field);
        if (Price.TryParse(raw, out var p)) return p;
        throw Invalid(what, field, 'p', raw);
    }

    private static Quantity ReadQuantity(ref Utf8JsonReader r, string what, string field)
    {
        var raw = Raw(ref r, what, field);
        if (Quantity.TryParse(raw, out var q)) return q;
        throw Invalid(what, field, 'q', raw);
    }

    private static Money ReadMoney(ref Utf8JsonReader r, string what, string field)
    {
        var raw = Raw(ref r, what, field);
        if (Money.TryParse(raw, out var m)) return m;
        throw Invalid(what, field, 'm', raw);
    }

    /// <summary>The error for a value that did not parse, in Core's words. Cold path (kept out of the readers so that
    /// they allocate nothing).</summary>
    private static KalshiWireException Invalid(string what, string field, char kind, ReadOnlySpan<byte> raw)
    {
        string text = Encoding.UTF8.GetString(raw);
        try
        {
            _ = kind switch
            {
                'p' => (object)Price.Parse(text),
                'q' => Quantity.Parse(text),
                _ => Money.Parse(text),
            };
        }
        catch (WireFormatException e)
        {
            return new KalshiWireException($"{what}: {field}: {e.Message}", e);
        }
        return new KalshiWireException($"{what}: {field} '{text}' is invalid");
    }

    private static long ReadLong(ref Utf8JsonReader r, string field)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long v)) return v;
        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && Utf8Parser.TryParse(r.ValueSpan, out long s, out int used) && used == r.ValueSpan.Length)
            return s;
        throw new KalshiWireException($"frame: {field} is not an integer");
    }
}
