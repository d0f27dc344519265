using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Positions;

namespace Trader.Exchange.Markets;

/// <summary>
/// What a market is, as listed (from the market file or the built-in defaults): names, price grid, fees and
/// schedule. Times are absolute. <see cref="DeterminationTime"/> defaults to <see cref="CloseTime"/>; the market
/// settles (pays out) <see cref="SettlementTimer"/> after it is determined. <see cref="Result"/> fixes the outcome
/// of a scheduled determination; without it the exchange draws one (YES with the probability of the last traded
/// price, else the fair value) from its seeded random source.
/// </summary>
public sealed record MarketDefinition
{
    public required string Ticker { get; init; }
    public required string EventTicker { get; init; }
    public required string SeriesTicker { get; init; }
    public required string Title { get; init; }
    public TickGrid Grid { get; init; } = TickGrid.LinearCent;
    public FeeSchedule Fees { get; init; } = FeeSchedule.Standard;
    public required DateTimeOffset OpenTime { get; init; }
    public required DateTimeOffset CloseTime { get; init; }
    public DateTimeOffset? DeterminationTime { get; init; }
    public TimeSpan SettlementTimer { get; init; } = TimeSpan.FromSeconds(60);
    public MarketResult? Result { get; init; }

    /// <summary>Where the liquidity agents start quoting (YES probability); 0.50 when absent.</summary>
    public Price? FairValue { get; init; }

    /// <summary>Checks the definition is coherent; the message names the market and the problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Ticker)) throw new ArgumentException("a market needs a ticker");
        if (string.IsNullOrWhiteSpace(EventTicker)) throw new ArgumentException($"market {Ticker}: event_ticker is missing");
        if (CloseTime <= OpenTime) throw new ArgumentException($"market {Ticker}: close time {CloseTime:O} is not after open time {OpenTime:O}");
        if (DeterminationTime is { } d && d < CloseTime)
            throw new ArgumentException($"market {Ticker}: determination time {d:O} is before close time {CloseTime:O}");
        if (SettlementTimer < TimeSpan.Zero) throw new ArgumentException($"market {Ticker}: the settlement timer is negative");
        if (FairValue is { } f && !f.IsTradable) throw new ArgumentException($"market {Ticker}: fair value {f} is not strictly between 0 and 1");
    }
}
