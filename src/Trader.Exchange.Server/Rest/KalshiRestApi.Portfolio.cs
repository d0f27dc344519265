using Microsoft.AspNetCore.Http;
using Trader.Core.Numbers;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

// The signed-in user's account: balance, positions, orders, fills, settlements, and the key's rate limits
// (kalshi-api.md §3.3–3.5, §3.8, §3.11, §3.13).
internal sealed partial class KalshiRestApi
{
    /// <summary>What <c>GET /account/limits</c> reports when rate limits are switched off: more than any client will use.</summary>
    public static readonly AccountLimits Unlimited = new("simulator_unlimited", 1_000_000, 1_000_000, 1_000_000, 1_000_000);

    private Task GetAccountLimits(HttpContext ctx) =>
        Ok(ctx, KalshiWireMapper.ToWire(options.RateLimits ?? Unlimited));

    private static Task GetEndpointCosts(HttpContext ctx) =>
        Ok(ctx, new GetAccountEndpointCostsResponseDto(ServerRateLimiter.DefaultCost,
            ServerRateLimiter.CostTable.Select(c => new EndpointTokenCostDto(c.Method, c.Path, c.Cost)).ToList()));

    private Task GetBalance(HttpContext ctx)
    {
        new QueryParameters(ctx, "GetBalance").RequirePrimarySubaccount();
        string user = User(ctx);
        var (balance, now) = host.Run(x => (Value(x.GetBalance(user)), x.AdvanceTime()));
        return Ok(ctx, KalshiWireMapper.ToWire(balance, now));
    }

    /// <summary>
    /// Unsettled positions (markets traded or with orders). <c>count_filter</c> (<c>position</c>, <c>total_traded</c>,
    /// comma-separated) keeps the rows where those are non-zero. <c>event_positions</c> sums the page's rows per event;
    /// <c>total_cost_shares_fp</c> is the contracts traded, from the fills.
    /// </summary>
    private Task GetPositions(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetPositions");
        q.RequirePrimarySubaccount();
        int limit = q.Limit();
        string? ticker = q.String("ticker");
        string? eventTicker = q.String("event_ticker");
        var filters = q.List("count_filter");
        foreach (var f in filters)
        {
            if (f is not ("position" or "total_traded")) throw q.Invalid("count_filter", $"\"{f}\" is neither position nor total_traded");
        }
        string user = User(ctx);
        var (marketRows, eventRows, cursor) = host.Run(x =>
        {
            var rows = Value(x.GetPositions(user, ticker))
                .Where(p => eventTicker is null || x.GetMarketDefinition(p.Ticker)?.EventTicker == eventTicker)
                .Where(p => !filters.Contains("position") || !p.Position.IsZero)
                .Where(p => !filters.Contains("total_traded") || p.TotalTraded != Money.Zero)
                .ToList();
            var page = Pagination.Take(rows, p => p.Ticker, q.Cursor(), limit);
            var resting = Value(x.GetOrders(user, new OrderQuery(Status: ExchangeOrderStatus.Resting)))
                .GroupBy(o => o.Ticker).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var markets = page.Items
                .Select(p => KalshiWireMapper.ToWire(p) with { RestingOrdersCount = resting.GetValueOrDefault(p.Ticker) })
                .ToList();
            var events = page.Items
                .GroupBy(p => x.GetMarketDefinition(p.Ticker)?.EventTicker ?? p.Ticker)
                .Select(g =>
                {
                    var traded = Quantity.Zero;
                    foreach (var p in g)
                    {
                        foreach (var f in Value(x.GetFills(user, new FillQuery(Ticker: p.Ticker)))) traded += f.Count;
                    }
                    return new EventPositionDto(g.Key,
                        Sum(g.Select(p => p.TotalTraded)), traded, Sum(g.Select(p => p.MarketExposure)),
                        Sum(g.Select(p => p.RealizedPnl)), Sum(g.Select(p => p.FeesPaid)));
                })
                .ToList();
            return (markets, events, page.Cursor);
        });
        return Ok(ctx, new GetPositionsResponseDto(marketRows, eventRows, cursor));
    }

    private static Money Sum(IEnumerable<Money> values)
    {
        var total = Money.Zero;
        foreach (var v in values) total += v;
        return total;
    }

    /// <summary>The user's orders, newest first: filters <c>ticker</c>, <c>event_ticker</c> (≤ 10), <c>status</c>, <c>min_ts</c>/<c>max_ts</c> (creation, Unix seconds).</summary>
    private Task GetOrders(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetOrders");
        q.RequirePrimarySubaccount();
        int limit = q.Limit();
        string? ticker = q.String("ticker");
        var events = q.List("event_ticker", max: 10);
        ExchangeOrderStatus? status = q.OneOf("status", "resting", "canceled", "executed") is { } s ? KalshiWireMapper.StatusOf(s, "status") : null;
        var min = q.UnixSeconds("min_ts");
        var max = q.UnixSeconds("max_ts");
        string user = User(ctx);
        var orders = host.Run(x => Value(x.GetOrders(user, new OrderQuery(ticker, status, min, max)))
            .Where(o => events.Count == 0 || events.Contains(x.GetMarketDefinition(o.Ticker)?.EventTicker ?? ""))
            .Select(o => KalshiWireMapper.ToWire(o, user, x.GetOrderSelfTradePrevention(user, o.OrderId) ?? SelfTradePrevention.TakerAtCross))
            .ToList());
        var page = Pagination.Take(orders, o => o.OrderId, q.Cursor(), limit);
        return Ok(ctx, new GetOrdersResponseDto(page.Items, page.Cursor));
    }

    private Task GetOrder(HttpContext ctx)
    {
        string orderId = Route(ctx, "order_id");
        string user = User(ctx);
        var order = host.Run(x => KalshiWireMapper.ToWire(Value(x.GetOrder(user, orderId)), user,
            x.GetOrderSelfTradePrevention(user, orderId) ?? SelfTradePrevention.TakerAtCross));
        return Ok(ctx, new GetOrderResponseDto(order));
    }

    /// <summary>The user's fills, newest first: filters <c>ticker</c>, <c>order_id</c>, <c>min_ts</c>/<c>max_ts</c>.</summary>
    private Task GetFills(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetFills");
        q.RequirePrimarySubaccount();
        int limit = q.Limit();
        var query = new FillQuery(q.String("ticker"), q.String("order_id"), q.UnixSeconds("min_ts"), q.UnixSeconds("max_ts"));
        string user = User(ctx);
        var fills = host.Run(x => Value(x.GetFills(user, query)).Select(KalshiWireMapper.ToWire).ToList());
        var page = Pagination.Take(fills, f => f.FillId!, q.Cursor(), limit);
        return Ok(ctx, new GetFillsResponseDto(page.Items, page.Cursor));
    }

    /// <summary>The user's settlements, newest first: filters <c>ticker</c>, <c>event_ticker</c>, <c>min_ts</c>/<c>max_ts</c>.
    /// <c>value</c> is what one YES contract paid, in cents.</summary>
    private Task GetSettlements(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "GetSettlements");
        q.RequirePrimarySubaccount();
        int limit = q.Limit();
        string? ticker = q.String("ticker");
        string? eventTicker = q.String("event_ticker");
        var min = q.UnixSeconds("min_ts");
        var max = q.UnixSeconds("max_ts");
        string user = User(ctx);
        var rows = host.Run(x => Value(x.GetSettlements(user, min)))
            .Where(s => (ticker is null || s.Ticker == ticker) && (eventTicker is null || s.EventTicker == eventTicker) && (max is null || s.SettledTime <= max))
            .Select(s => KalshiWireMapper.ToWire(s, s.MarketResult == "yes" ? 100 : 0))
            .ToList();
        var page = Pagination.Take(rows, s => s.Ticker, q.Cursor(), limit);
        return Ok(ctx, new GetSettlementsResponseDto(page.Items, page.Cursor));
    }
}
