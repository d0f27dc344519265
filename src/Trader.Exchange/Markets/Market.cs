using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Markets;

/// <summary>
/// A listed market at run time: its definition, where it is in its lifecycle, its book and its statistics (last
/// price, volume, open interest). Lifecycle moves are made by <see cref="MarketLifecycle"/>; this class only holds
/// the state and answers what is due next.
/// </summary>
internal sealed class Market
{
    public Market(MarketDefinition definition, string marketId)
    {
        definition.Validate();
        Definition = definition;
        MarketId = marketId;
        CloseTime = definition.CloseTime;
        DeterminationTime = definition.DeterminationTime ?? definition.CloseTime;
        Book = new MarketBook(definition.Ticker, definition.Grid);
    }

    public MarketDefinition Definition { get; }
    public string Ticker => Definition.Ticker;

    /// <summary>The market's uuid (<c>market_id</c> on WebSocket messages).</summary>
    public string MarketId { get; }
    public MarketBook Book { get; }
    public MarketStatus Status { get; set; } = MarketStatus.Initialized;
    public DateTimeOffset CloseTime { get; set; }
    public DateTimeOffset DeterminationTime { get; set; }
    public DateTimeOffset? DeterminedAt { get; set; }
    public DateTimeOffset? SettledAt { get; set; }
    public MarketResult? Result { get; set; }
    public Price? LastPrice { get; set; }
    public Quantity LastTradeSize { get; set; }
    public Quantity Volume { get; set; }

    /// <summary>Contracts outstanding: Σ of the long YES positions (= Σ of the long NO positions). The exchange holds $1 of collateral for each.</summary>
    public Quantity OpenInterest { get; set; }

    /// <summary>The last ticker published for this market.</summary>
    public TickerUpdated? LastTicker { get; set; }

    /// <summary>True while orders may be placed, amended and decreased.</summary>
    public bool IsTrading => Status == MarketStatus.Active;

    /// <summary>True while orders may be canceled (also during a pause).</summary>
    public bool AcceptsCancels => Status is MarketStatus.Active or MarketStatus.Inactive;

    /// <summary>The time of the next scheduled lifecycle step, null when none is pending.</summary>
    public DateTimeOffset? NextTransition => Status switch
    {
        MarketStatus.Initialized => Definition.OpenTime,
        MarketStatus.Active or MarketStatus.Inactive => CloseTime,
        MarketStatus.Closed => DeterminationTime,
        MarketStatus.Determined => DeterminedAt!.Value + Definition.SettlementTimer,
        _ => null,
    };

    public MarketInfo ToInfo() => new(
        Ticker, Definition.EventTicker, Status.ToWire(), Definition.Grid, Definition.OpenTime, CloseTime,
        Result switch { MarketResult.Yes => "yes", MarketResult.No => "no", _ => "" },
        Book.BestBidPrice, Book.BestAskPrice, LastPrice, Volume, OpenInterest, Definition.Title);
}
