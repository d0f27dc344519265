using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

/// <summary>
/// Kalshi's Trade API v2 over the engine: the REST routes under <c>/trade-api/v2</c> a trading bot uses
/// (kalshi-api.md §3), each a thin handler that parses the request with the shared wire DTOs, calls the engine
/// through <see cref="ExchangeHost"/> and answers with the shared wire DTOs. Refusals are thrown as
/// <see cref="ApiRefusal"/> and written by <see cref="RestPipeline"/>. The routes are split by concern into
/// <c>KalshiRestApi.Markets.cs</c>, <c>.Portfolio.cs</c> and <c>.Orders.cs</c>.
/// </summary>
internal sealed partial class KalshiRestApi(ExchangeHost host, RestPipeline pipeline, SimulatorOptions options)
{
    /// <summary>The largest request body read (a batch of orders is a few kB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    private static readonly KalshiRoute Public = new(Public: true);
    private static readonly KalshiRoute Private = new(Public: false);
    private static readonly KalshiRoute PrivatePerItem = new(Public: false, BilledPerItem: true);

    public void Map(IEndpointRouteBuilder app)
    {
        const string v2 = RestPipeline.ApiPrefix;

        // exchange and market data (public)
        app.MapGet(v2 + "/exchange/status", GetExchangeStatus).WithMetadata(Public);
        app.MapGet(v2 + "/markets", GetMarkets).WithMetadata(Public);
        app.MapGet(v2 + "/markets/trades", GetTrades).WithMetadata(Public);
        app.MapGet(v2 + "/markets/{ticker}", GetMarket).WithMetadata(Public);
        app.MapGet(v2 + "/markets/{ticker}/orderbook", GetOrderbook).WithMetadata(Public);
        app.MapGet(v2 + "/series/{series_ticker}", GetSeries).WithMetadata(Public);

        // account
        app.MapGet(v2 + "/account/limits", GetAccountLimits).WithMetadata(Private);
        app.MapGet(v2 + "/account/endpoint_costs", GetEndpointCosts).WithMetadata(Private);

        // portfolio reads
        app.MapGet(v2 + "/portfolio/balance", GetBalance).WithMetadata(Private);
        app.MapGet(v2 + "/portfolio/positions", GetPositions).WithMetadata(Private);
        app.MapGet(v2 + "/portfolio/orders", GetOrders).WithMetadata(Private);
        app.MapGet(v2 + "/portfolio/orders/{order_id}", GetOrder).WithMetadata(Private);
        app.MapGet(v2 + "/portfolio/fills", GetFills).WithMetadata(Private);
        app.MapGet(v2 + "/portfolio/settlements", GetSettlements).WithMetadata(Private);

        // V2 order entry
        app.MapPost(v2 + "/portfolio/events/orders", CreateOrder).WithMetadata(Private);
        app.MapPost(v2 + "/portfolio/events/orders/batched", BatchCreateOrders).WithMetadata(PrivatePerItem);
        app.MapDelete(v2 + "/portfolio/events/orders/batched", BatchCancelOrders).WithMetadata(PrivatePerItem);
        app.MapDelete(v2 + "/portfolio/events/orders", CancelAllOrders).WithMetadata(Private);
        app.MapDelete(v2 + "/portfolio/events/orders/{order_id}", CancelOrder).WithMetadata(Private);
        app.MapPost(v2 + "/portfolio/events/orders/{order_id}/amend", AmendOrder).WithMetadata(Private);
        app.MapPost(v2 + "/portfolio/events/orders/{order_id}/decrease", DecreaseOrder).WithMetadata(Private);

        // The retired V1 mutations answer 410 before looking at authentication, as Kalshi's do (kalshi-api.md §7.1).
        app.MapPost(v2 + "/portfolio/orders", Retired).WithMetadata(Public);
        app.MapPost(v2 + "/portfolio/orders/batched", Retired).WithMetadata(Public);
        app.MapDelete(v2 + "/portfolio/orders/batched", Retired).WithMetadata(Public);
        app.MapDelete(v2 + "/portfolio/orders/{order_id}", Retired).WithMetadata(Public);
        app.MapPost(v2 + "/portfolio/orders/{order_id}/amend", Retired).WithMetadata(Public);
        app.MapPost(v2 + "/portfolio/orders/{order_id}/decrease", Retired).WithMetadata(Public);
    }

    /// <summary>410 <c>deprecated_v1_order_endpoint</c>: V1 order entry is gone; use <c>/portfolio/events/orders</c>.</summary>
    public static readonly KalshiError RetiredV1 = new(410, "deprecated_v1_order_endpoint", "deprecated v1 order endpoint",
        "the V1 order endpoints are retired: use the V2 order entry under /portfolio/events/orders");

    private static Task Retired(HttpContext ctx) => throw new ApiRefusal(RetiredV1);

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static string User(HttpContext ctx) =>
        ctx.Items[RestPipeline.UserItem] as string ?? throw new InvalidOperationException("a private route ran without an authenticated user");

    private static string Route(HttpContext ctx, string name) =>
        ctx.Request.RouteValues[name] as string ?? throw new InvalidOperationException($"route value {name} is missing");

    private static Task Ok<T>(HttpContext ctx, T body, int status = 200) =>
        RestPipeline.WriteJsonAsync(ctx, status, KalshiJson.SerializeToUtf8Bytes(body));

    /// <summary>The engine's answer, or its refusal thrown as Kalshi's error.</summary>
    private static T Value<T>(ExchangeResult<T> result) => result.IsSuccess ? result.Value : throw new ApiRefusal(result.Error);

    /// <summary>
    /// Reads a JSON body strictly into <typeparamref name="T"/>; a body that is not valid for it (JSON numbers for
    /// <c>count</c>/<c>price</c>, a missing field, not JSON) is Kalshi's 400 in the flat shape.
    /// </summary>
    private static async Task<T> ReadBodyAsync<T>(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        var body = ctx.Request.Body;
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw new ApiRefusal(new KalshiError(400, "bad_request", "bad request", $"the request body is larger than {MaxBodyBytes} bytes"), ErrorBodyShape.Flat);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            throw new ApiRefusal(new KalshiError(400, "bad_request", "bad request", $"the request body is empty; expected a {KalshiJson.WireName(typeof(T))}"), ErrorBodyShape.Flat);
        if (KalshiJson.TryDeserializeRequest<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var value, out var error)) return value!;
        throw new ApiRefusal(error!, ErrorBodyShape.Flat);
    }
}
