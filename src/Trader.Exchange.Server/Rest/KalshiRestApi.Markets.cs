using Microsoft.AspNetCore.Http;
using Trader.Core.Books;
using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Markets;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

// Exchange status, markets, books, trades and series: public market data (kalshi-api.md §3.2, §3.9–3.11).
internal sealed partial class KalshiRestApi
{
    private Task GetExchangeStatus(HttpContext ctx) =>
        Ok(ctx, KalshiWireMapper.ToWire(host.Run(x => x.GetExchangeStatus())));

    private Task GetMarkets(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetMarkets");
        int limit = q.Limit();
        string? status = q.OneOf("status", "unopened", "open", "paused", "closed", "settled");
        string? eventTicker = q.String("event_ticker");
        string? seriesTicker = q.String("series_ticker");
        var tickers = q.List("tickers");
        var minClose = q.UnixSeconds("min_close_ts");
        var maxClose = q.UnixSeconds("max_close_ts");
        var markets = host.Run(x =>
        {
            var now = x.AdvanceTime();
            return x.GetMarkets(new MarketQuery(status, eventTicker, seriesTicker, tickers.Count > 0 ? tickers : null))
                .Where(m => (minClose is null || m.CloseTime >= minClose) && (maxClose is null || m.CloseTime <= maxClose))
                .Select(m => ToWire(x, m, now))
                .ToList();
        });
        var page = Pagination.Take(markets, m => m.Ticker, q.Cursor(), limit);
        return Ok(ctx, new GetMarketsResponseDto(page.Items, page.Cursor));
    }

    private Task GetMarket(HttpContext ctx)
    {
        string ticker = Route(ctx, "ticker");
        var market = host.Run(x =>
        {
            var now = x.AdvanceTime();
            return ToWire(x, Value(x.GetMarket(ticker)), now);
        });
        return Ok(ctx, new GetMarketResponseDto(market));
    }

    /// <summary><c>depth</c> 0 (or negative, or absent) = every level; 1–100 the best levels of each side; more is a 400.</summary>
    private Task GetOrderbook(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetMarketOrderbook");
        long depth = q.Int64("depth") ?? 0;
        if (depth > 100)
            throw ApiRefusal.Bare("Parameter validation failed for GetMarketOrderbook: Key: 'GetMarketOrderbookParams.Depth' Error:Field validation for 'Depth' failed on the 'max' tag");
        string ticker = Route(ctx, "ticker");
        var book = host.Run(x => Value(x.GetOrderBook(ticker, (int)Math.Max(0, depth))));
        return Ok(ctx, KalshiWireMapper.ToWire(book));
    }

    private Task GetTrades(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetTrades");
        int limit = q.Limit();
        string? ticker = q.String("ticker");
        var min = q.UnixSeconds("min_ts");
        var max = q.UnixSeconds("max_ts");
        var trades = host.Run(x => x.GetTrades(ticker, min))
            .Where(t => max is null || t.Time <= max)
            .Select(t => new TradeDto(t.TradeId, t.Ticker, t.Count, t.YesPrice, t.Time, t.NoPrice, t.TakerSide.ToWire(),
                KalshiWireMapper.OutcomeSideOf(t.TakerSide), KalshiWireMapper.OutcomeSideOf(t.TakerSide), IsBlockTrade: false))
            .ToList();
        var page = Pagination.Take(trades, t => t.TradeId, q.Cursor(), limit);
        return Ok(ctx, new GetTradesResponseDto(page.Items, page.Cursor));
    }

    /// <summary>A series' fee settings, from the markets listed in it (the first one's fee schedule).</summary>
    private Task GetSeries(HttpContext ctx)
    {
        string series = Route(ctx, "series_ticker");
        var definition = host.Run(x => x.GetMarkets().Select(m => x.GetMarketDefinition(m.Ticker)).FirstOrDefault(d => d?.SeriesTicker == series))
            ?? throw new ApiRefusal(Exchange.ExchangeErrors.NotFound($"series {series}"));
        var dto = KalshiWireMapper.ToWire(new SeriesFees(series, definition.Fees)) with
        {
            Title = series,
            Frequency = "custom",
            Category = "Simulated",
        };
        return Ok(ctx, new GetSeriesResponseDto(dto));
    }

    /// <summary>
    /// A market in Kalshi's full shape: the mapper's fields (status, grid, top of book, volume, open interest) and the
    /// rest of the required <c>Market</c> fields filled from the definition (times, settlement timer, titles, rules).
    /// </summary>
    private static MarketDto ToWire(SimulatedExchange x, MarketInfo info, DateTimeOffset now)
    {
        var definition = x.GetMarketDefinition(info.Ticker)!;
        var top = x.GetOrderBook(info.Ticker, 1).Value;
        BookLevel? bestYes = top.YesBids.Count > 0 ? top.YesBids[^1] : null;
        BookLevel? bestNo = top.NoBids.Count > 0 ? top.NoBids[^1] : null;
        var expiration = definition.DeterminationTime ?? info.CloseTime ?? definition.CloseTime;
        Price? settlementValue = info.Result switch { "yes" => Price.One, "no" => Price.Zero, _ => null };
        return KalshiWireMapper.ToWire(info, bestYes, bestNo) with
        {
            Title = definition.Title,
            YesSubTitle = definition.Title,
            NoSubTitle = definition.Title,
            CreatedTime = definition.OpenTime,
            UpdatedTime = now,
            ExpectedExpirationTime = expiration,
            ExpirationTime = expiration,
            LatestExpirationTime = expiration,
            SettlementTimerSeconds = (int)definition.SettlementTimer.TotalSeconds,
            PreviousYesBidDollars = Price.Zero,
            PreviousYesAskDollars = Price.Zero,
            PreviousPriceDollars = Price.Zero,
            Volume24hFp = info.Volume,
            LiquidityDollars = Money.Zero,
            CanCloseEarly = true,
            ExpirationValue = "",
            SettlementValueDollars = settlementValue,
            RulesPrimary = $"If the answer to \"{definition.Title}\" is yes, the market resolves to Yes. (Simulated market.)",
            RulesSecondary = "",
        };
    }
}
