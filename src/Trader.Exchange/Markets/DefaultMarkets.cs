using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;

namespace Trader.Exchange.Markets;

/// <summary>
/// The markets the simulated exchange lists when no market file is given: five 1¢ (<c>linear_cent</c>) markets of
/// the kinds Kalshi lists (weather, rates, crypto, sports, an index series with the 0.5 fee multiplier, a series
/// with maker fees) and one sub-penny <c>tapered_deci_cent</c> market quoted near its edge. They open at the
/// session start and close a week later.
/// </summary>
public static class DefaultMarkets
{
    public static IReadOnlyList<MarketDefinition> Create(DateTimeOffset sessionStart)
    {
        var close = sessionStart.AddDays(7);
        MarketDefinition Market(string ticker, string eventTicker, string title, string fair, TickGrid? grid = null, FeeSchedule? fees = null) => new()
        {
            Ticker = ticker,
            EventTicker = eventTicker,
            SeriesTicker = eventTicker.Split('-')[0],
            Title = title,
            Grid = grid ?? TickGrid.LinearCent,
            Fees = fees ?? FeeSchedule.Standard,
            OpenTime = sessionStart,
            CloseTime = close,
            FairValue = Price.Parse(fair),
        };

        return
        [
            Market("KXHIGHNY-26DEC01-B45.5", "KXHIGHNY-26DEC01", "Will the high temperature in NYC be 45-46° on Dec 1, 2026?", "0.3500"),
            Market("KXFEDDECISION-26DEC-H0", "KXFEDDECISION-26DEC", "Will the Fed hold rates at its December 2026 meeting?", "0.7200",
                fees: new FeeSchedule(FeeType.QuadraticWithMakerFees)),
            Market("KXBTCD-26DEC01-T100000", "KXBTCD-26DEC01", "Will Bitcoin be above $100,000 on Dec 1, 2026 at 5pm EST?", "0.5500"),
            Market("KXNFLGAME-26NOV29KCBUF-KC", "KXNFLGAME-26NOV29KCBUF", "Will Kansas City beat Buffalo on Nov 29, 2026?", "0.4800"),
            Market("KXINXD-26DEC01-B6000", "KXINXD-26DEC01", "Will the S&P 500 close between 6000 and 6025 on Dec 1, 2026?", "0.2000",
                fees: FeeSchedule.FromMultiplier(FeeType.Quadratic, 0.5m)),
            Market("KXGREENLAND-29", "KXGREENLAND", "Will the United States acquire Greenland before 2029?", "0.0450",
                grid: TickGrid.TaperedDeciCent),
        ];
    }
}
