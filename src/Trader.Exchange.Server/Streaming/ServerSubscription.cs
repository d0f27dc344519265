using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Streaming;

/// <summary>
/// One subscription of one connection: its sid, channel, markets (none = every market, for the channels that allow it),
/// options, its <c>seq</c> counter and how many of its frames wait to be sent. Changed only under the exchange lock
/// (commands and event fan-out); <see cref="Pending"/> is also counted down by the connection's writer.
/// </summary>
internal sealed class ServerSubscription(long sid, string channel, bool useYesPrice, bool skipTickerAck, bool allMarkets)
{
    private bool _allMarkets = allMarkets;
    private readonly List<string> _markets = [];
    private readonly HashSet<string> _marketSet = new(StringComparer.Ordinal);
    private int _pending;

    public long Sid { get; } = sid;
    public string Channel { get; } = channel;
    public bool UseYesPrice { get; } = useYesPrice;
    public bool SkipTickerAck { get; } = skipTickerAck;

    /// <summary>The last <c>seq</c> sent (0 before the first).</summary>
    public long Seq { get; set; }

    /// <summary>True once unsubscribed or ended by the server (error 25): its queued data frames are not sent.</summary>
    public volatile bool Ended;

    /// <summary>Frames of this subscription queued and not yet sent.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public int AddPending() => Interlocked.Increment(ref _pending);

    public void RemovePending() => Interlocked.Decrement(ref _pending);

    public IReadOnlyList<string> Markets => _markets;

    /// <summary>True for the channels whose frames carry <c>seq</c> (kalshi-api.md §4.4).</summary>
    public bool IsSequenced => Channel is StreamChannels.OrderbookDelta or StreamChannels.Trade or StreamChannels.MarketLifecycleV2;

    /// <summary>False for channels that ignore market filters (<c>market_lifecycle_v2</c>).</summary>
    public bool TakesMarkets => Channel != StreamChannels.MarketLifecycleV2;

    /// <summary>
    /// True when the subscription was made without markets on a channel where that means every market (<c>ticker</c>,
    /// <c>trade</c>, the private channels). Adding markets to it narrows it to those markets.
    /// </summary>
    public bool AllMarkets => _allMarkets;

    /// <summary>True when an event of <paramref name="ticker"/> belongs to this subscription.</summary>
    public bool Covers(string ticker) => !TakesMarkets || _allMarkets || _marketSet.Contains(ticker);

    /// <summary>Adds markets; returns those that were new, in order.</summary>
    public List<string> AddMarkets(IEnumerable<string> tickers)
    {
        var added = new List<string>();
        if (!TakesMarkets) return added;
        foreach (var t in tickers)
        {
            if (_marketSet.Add(t))
            {
                _allMarkets = false;
                _markets.Add(t);
                added.Add(t);
            }
        }
        return added;
    }

    public void RemoveMarkets(IEnumerable<string> tickers)
    {
        foreach (var t in tickers)
        {
            if (_marketSet.Remove(t)) _markets.Remove(t);
        }
    }

    public long NextSeq() => ++Seq;
}
