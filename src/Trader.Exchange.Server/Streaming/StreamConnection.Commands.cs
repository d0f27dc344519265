using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Streaming;

// The client's commands (kalshi-api.md §4.2, §4.3): subscribe, unsubscribe, update_subscription, list_subscriptions,
// with Kalshi's acknowledgements and error codes. A command is checked completely before anything changes, so a
// refused command changes nothing. Answers on a subscription (ok, unsubscribed, errors) carry its sid and take the
// next seq of that subscription, as Kalshi's do (§4.5).
internal sealed partial class StreamConnection
{
    private static readonly HashSet<string> KnownChannels = new(StringComparer.Ordinal)
    {
        StreamChannels.OrderbookDelta, StreamChannels.Ticker, StreamChannels.Trade, StreamChannels.Fill,
        StreamChannels.MarketPositions, StreamChannels.UserOrders, StreamChannels.MarketLifecycleV2,
    };

    /// <summary>A command refused: the error frame to send.</summary>
    private sealed class CommandRefused(StreamError error, string? marketTicker = null) : Exception(error.Message)
    {
        public StreamError Error { get; } = error;
        public string? MarketTicker { get; } = marketTicker;
    }

    private void HandleCommand(ReadOnlySpan<byte> utf8)
    {
        int? id = null;
        string? cmd;
        JsonElement? parameters;
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException("a command is a JSON object");
            if (root.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt32(out int value)) throw new JsonException("id is not an integer");
                id = value;
            }
            cmd = root.TryGetProperty("cmd", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            parameters = root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null ? p.Clone() : null;
        }
        catch (JsonException)
        {
            Reply(StreamFrames.Error(id, StreamError.UnableToProcess));
            return;
        }
        if (string.IsNullOrEmpty(cmd))
        {
            Reply(StreamFrames.Error(id, StreamError.UnableToProcess));
            return;
        }

        try
        {
            _host.Run(exchange =>
            {
                switch (cmd)
                {
                    case StreamCommands.Subscribe:
                        Subscribe(id, Params(parameters), exchange);
                        break;
                    case StreamCommands.Unsubscribe:
                        Unsubscribe(id, Params(parameters));
                        break;
                    case StreamCommands.UpdateSubscription:
                        Update(id, Params(parameters), exchange);
                        break;
                    case StreamCommands.ListSubscriptions:
                        Reply(StreamFrames.Frame(StreamMessageTypes.Ok,
                            _subsInOrder.Select(s => new SubscriptionInfoDto(s.Channel, s.Sid)).ToList(), id));
                        break;
                    default:
                        throw new CommandRefused(StreamError.UnknownCommand);
                }
            });
        }
        catch (CommandRefused refused)
        {
            Reply(StreamFrames.Error(id, refused.Error, marketTicker: refused.MarketTicker));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException)
        {
            // A parameter of an unexpected shape that slipped past the checks: refuse the command, keep the connection.
            _log.LogWarning(e, "WebSocket connection {Id}: command {Command} failed", Id, cmd);
            Reply(StreamFrames.Error(id, StreamError.UnableToProcess));
        }
    }

    private static JsonElement Params(JsonElement? parameters) =>
        parameters is { ValueKind: JsonValueKind.Object } p ? p : throw new CommandRefused(StreamError.ParamsRequired);

    // ---- subscribe -----------------------------------------------------------------------------------------------

    private void Subscribe(int? id, JsonElement p, SimulatedExchange exchange)
    {
        if (!p.TryGetProperty("channels", out var channelsElement) || channelsElement.ValueKind != JsonValueKind.Array || channelsElement.GetArrayLength() == 0)
            throw new CommandRefused(StreamError.ChannelsRequired);
        var channels = new List<string>();
        foreach (var c in channelsElement.EnumerateArray())
        {
            string? name = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (name is null || !KnownChannels.Contains(name)) throw new CommandRefused(StreamError.UnknownChannel);
            if (!channels.Contains(name)) channels.Add(name);
        }
        var markets = Markets(p, exchange, allowIds: channels.All(c => c == StreamChannels.Ticker));
        bool useYesPrice = Bool(p, "use_yes_price");
        bool initialTicker = Bool(p, "send_initial_snapshot");
        bool skipTickerAck = Bool(p, "skip_ticker_ack");
        if (channels.Contains(StreamChannels.OrderbookDelta) && markets.Count == 0) throw new CommandRefused(StreamError.MarketTickerRequired);

        foreach (var channel in channels)
        {
            // Subscribing again to a channel adds the markets to the existing subscription (Kalshi, since 2025-10-01).
            var sub = _subsInOrder.FirstOrDefault(s => s.Channel == channel);
            List<string> added;
            if (sub is null)
            {
                sub = new ServerSubscription(++_lastSid, channel, useYesPrice, skipTickerAck, allMarkets: markets.Count == 0);
                AddSubscription(sub);
                added = sub.AddMarkets(markets);
            }
            else
            {
                added = markets.Count == 0 ? [] : sub.AddMarkets(markets);
            }
            Reply(StreamFrames.Frame(StreamMessageTypes.Subscribed, new SubscribedMsgDto(channel, sub.Sid), id));
            if (channel == StreamChannels.OrderbookDelta) SendSnapshots(sub, added, exchange);
            else if (channel == StreamChannels.Ticker && initialTicker) SendTickers(sub, added, exchange);
        }
    }

    private void SendSnapshots(ServerSubscription sub, IEnumerable<string> tickers, SimulatedExchange exchange)
    {
        foreach (var ticker in tickers)
        {
            var book = exchange.GetOrderBook(ticker);
            if (book.IsSuccess)
                Send(sub, StreamMessageTypes.OrderbookSnapshot, StreamFrames.Snapshot(book.Value, exchange.GetMarketId(ticker), sub.UseYesPrice));
        }
    }

    private void SendTickers(ServerSubscription sub, IEnumerable<string> tickers, SimulatedExchange exchange)
    {
        var now = exchange.AdvanceTime();
        foreach (var ticker in tickers)
        {
            var market = exchange.GetMarket(ticker);
            var top = exchange.GetOrderBook(ticker, 1);
            if (market.IsSuccess && top.IsSuccess)
                Send(sub, StreamMessageTypes.Ticker, StreamFrames.Ticker(market.Value, exchange.GetMarketId(ticker), top.Value, now));
        }
    }

    /// <summary>
    /// The markets of a command: <c>market_ticker</c> or <c>market_tickers</c> (not both: error 11), or for the ticker
    /// channel <c>market_id(s)</c>. An unknown market is error 16 naming it.
    /// </summary>
    private static List<string> Markets(JsonElement p, SimulatedExchange exchange, bool allowIds)
    {
        bool single = p.TryGetProperty("market_ticker", out var one) && one.ValueKind != JsonValueKind.Null;
        bool many = p.TryGetProperty("market_tickers", out var list) && list.ValueKind != JsonValueKind.Null;
        bool byId = p.TryGetProperty("market_id", out var oneId) && oneId.ValueKind != JsonValueKind.Null;
        bool byIds = p.TryGetProperty("market_ids", out var ids) && ids.ValueKind != JsonValueKind.Null;
        if ((single ? 1 : 0) + (many ? 1 : 0) + (byId ? 1 : 0) + (byIds ? 1 : 0) > 1) throw new CommandRefused(StreamError.InvalidParameter);
        if ((byId || byIds) && !allowIds) throw new CommandRefused(StreamError.InvalidParameter);

        var names = new List<string>();
        if (single) names.Add(Text(one));
        if (many) names.AddRange(Texts(list));
        if (byId || byIds)
        {
            var wanted = byId ? [Text(oneId)] : Texts(ids);
            foreach (var marketId in wanted)
            {
                string? ticker = exchange.GetMarkets().Select(m => m.Ticker).FirstOrDefault(t => exchange.GetMarketId(t) == marketId);
                names.Add(ticker ?? throw new CommandRefused(StreamError.MarketNotFound));
            }
        }
        var result = new List<string>();
        foreach (var ticker in names)
        {
            if (exchange.GetMarketDefinition(ticker) is null) throw new CommandRefused(StreamError.MarketNotFound, ticker);
            if (!result.Contains(ticker)) result.Add(ticker);
        }
        return result;
    }

    private static string Text(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : throw new CommandRefused(StreamError.InvalidParameter);

    private static List<string> Texts(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new CommandRefused(StreamError.InvalidParameter);
        return e.EnumerateArray().Select(Text).ToList();
    }

    private static bool Bool(JsonElement p, string name) =>
        p.TryGetProperty(name, out var v) && v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new CommandRefused(StreamError.InvalidParameter),
        };

    // ---- unsubscribe ---------------------------------------------------------------------------------------------

    private void Unsubscribe(int? id, JsonElement p)
    {
        if (!p.TryGetProperty("sids", out var sidsElement) || sidsElement.ValueKind != JsonValueKind.Array || sidsElement.GetArrayLength() == 0)
            throw new CommandRefused(StreamError.SidsRequired);
        var subs = new List<ServerSubscription>();
        foreach (var e in sidsElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long sid)) throw new CommandRefused(StreamError.InvalidParameter);
            if (!_subs.TryGetValue(sid, out var sub)) throw new CommandRefused(StreamError.UnknownSid);
            if (!subs.Contains(sub)) subs.Add(sub);
        }
        foreach (var sub in subs)
        {
            RemoveSubscription(sub);
            Reply(StreamFrames.Frame<object>(StreamMessageTypes.Unsubscribed, null, id, sub.Sid, sub.NextSeq()));
        }
    }

    // ---- update_subscription -------------------------------------------------------------------------------------

    private void Update(int? id, JsonElement p, SimulatedExchange exchange)
    {
        string action = p.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() ?? "" : "";
        if (action.Length == 0) throw new CommandRefused(StreamError.ActionRequired);
        bool hasSid = p.TryGetProperty("sid", out var sidElement) && sidElement.ValueKind != JsonValueKind.Null;
        bool hasSids = p.TryGetProperty("sids", out var sidsElement) && sidsElement.ValueKind != JsonValueKind.Null;
        JsonElement target;
        if (hasSid == hasSids) throw new CommandRefused(StreamError.ExactlyOneSid);
        if (hasSids)
        {
            if (sidsElement.ValueKind != JsonValueKind.Array || sidsElement.GetArrayLength() != 1) throw new CommandRefused(StreamError.ExactlyOneSid);
            target = sidsElement[0];
        }
        else
        {
            target = sidElement;
        }
        if (target.ValueKind != JsonValueKind.Number || !target.TryGetInt64(out long sid)) throw new CommandRefused(StreamError.InvalidParameter);
        if (!_subs.TryGetValue(sid, out var sub)) throw new CommandRefused(StreamError.UnknownSid);
        if (action is not (StreamCommands.AddMarkets or StreamCommands.DeleteMarkets or StreamCommands.GetSnapshot))
            throw new CommandRefused(StreamError.UnsupportedAction);
        if (!sub.TakesMarkets || (action == StreamCommands.GetSnapshot && sub.Channel != StreamChannels.OrderbookDelta))
            throw new CommandRefused(StreamError.UnsupportedAction);
        var markets = Markets(p, exchange, allowIds: false);
        if (markets.Count == 0) throw new CommandRefused(StreamError.MarketTickerRequired);

        switch (action)
        {
            case StreamCommands.AddMarkets:
            {
                var added = sub.AddMarkets(markets);
                ReplyOk(id, sub);
                if (sub.Channel == StreamChannels.OrderbookDelta) SendSnapshots(sub, added, exchange);
                break;
            }
            case StreamCommands.DeleteMarkets:
                sub.RemoveMarkets(markets);
                ReplyOk(id, sub);
                break;
            default:
                ReplyOk(id, sub);
                SendSnapshots(sub, markets, exchange);
                break;
        }
    }

    private void ReplyOk(int? id, ServerSubscription sub) =>
        Reply(StreamFrames.Frame(StreamMessageTypes.Ok, sub.SkipTickerAck ? null : new OkMarketsMsgDto(sub.Markets.ToList()), id, sub.Sid, sub.NextSeq()));
}
