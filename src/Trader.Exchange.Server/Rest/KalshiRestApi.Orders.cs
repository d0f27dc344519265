using Microsoft.AspNetCore.Http;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

// V2 order entry (kalshi-api.md §3.6): create, cancel, amend, decrease, batch create, batch cancel, cancel all.
internal sealed partial class KalshiRestApi
{
    /// <summary>The most orders one batch may carry (each is billed like a single create).</summary>
    public const int MaxBatchSize = 100;

    private async Task CreateOrder(HttpContext ctx)
    {
        var dto = await ReadBodyAsync<CreateOrderV2RequestDto>(ctx).ConfigureAwait(false);
        var request = ToRequest(dto);
        string user = User(ctx);
        var ack = host.Run(x => Value(x.CreateOrder(user, request)));
        await Ok(ctx, KalshiWireMapper.ToWire(ack), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task CancelOrder(HttpContext ctx)
    {
        var q = new QueryParameters(ctx, "CancelOrderV2");
        q.RequirePrimarySubaccount();
        string? ticker = q.String("market_ticker");
        string orderId = Route(ctx, "order_id");
        string user = User(ctx);
        var ack = host.Run(x => Value(x.CancelOrder(user, orderId, ticker)));
        await Ok(ctx, KalshiWireMapper.ToWire(ack)).ConfigureAwait(false);
    }

    private async Task AmendOrder(HttpContext ctx)
    {
        new QueryParameters(ctx, "AmendOrderV2").RequirePrimarySubaccount();
        var dto = await ReadBodyAsync<AmendOrderV2RequestDto>(ctx).ConfigureAwait(false);
        var request = KalshiWireMapper.ToApi(Route(ctx, "order_id"), dto);
        string user = User(ctx);
        var ack = host.Run(x => Value(x.AmendOrder(user, request)));
        await Ok(ctx, KalshiWireMapper.ToWireAmend(ack)).ConfigureAwait(false);
    }

    private async Task DecreaseOrder(HttpContext ctx)
    {
        new QueryParameters(ctx, "DecreaseOrderV2").RequirePrimarySubaccount();
        var dto = await ReadBodyAsync<DecreaseOrderV2RequestDto>(ctx).ConfigureAwait(false);
        var request = KalshiWireMapper.ToApi(Route(ctx, "order_id"), dto);
        string user = User(ctx);
        var ack = host.Run(x => Value(x.DecreaseOrder(user, request)));
        await Ok(ctx, KalshiWireMapper.ToWire(ack)).ConfigureAwait(false);
    }

    /// <summary>Each order on its own (one refused does not stop the others); billed 10 tokens per order.</summary>
    private async Task BatchCreateOrders(HttpContext ctx)
    {
        var dto = await ReadBodyAsync<BatchCreateOrdersV2RequestDto>(ctx).ConfigureAwait(false);
        CheckBatchSize(dto.Orders.Count);
        if (!pipeline.TryTakeTokens(ctx, dto.Orders.Count)) throw new ApiRefusal(RestPipeline.TooManyRequests, ErrorBodyShape.StringError);
        var requests = dto.Orders.Select(ToRequest).ToList();
        string user = User(ctx);
        var items = host.Run(x => x.BatchCreateOrders(user, requests));
        await Ok(ctx, new BatchCreateOrdersV2ResponseDto(items.Select(KalshiWireMapper.ToWire).ToList()), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>Each cancel on its own; billed 2 tokens per order.</summary>
    private async Task BatchCancelOrders(HttpContext ctx)
    {
        var dto = await ReadBodyAsync<BatchCancelOrdersV2RequestDto>(ctx).ConfigureAwait(false);
        CheckBatchSize(dto.Orders.Count);
        foreach (var item in dto.Orders)
        {
            if (item.Subaccount is { } sub and not 0) throw QueryParameters.SubaccountRefusal(sub);
        }
        if (!pipeline.TryTakeTokens(ctx, dto.Orders.Count)) throw new ApiRefusal(RestPipeline.TooManyRequests, ErrorBodyShape.StringError);
        var orders = dto.Orders.Select(o => (o.OrderId, o.MarketTicker)).ToList();
        string user = User(ctx);
        var items = host.Run(x => x.BatchCancelOrders(user, orders));
        await Ok(ctx, new BatchCancelOrdersV2ResponseDto(items.Select(KalshiWireMapper.ToWire).ToList())).ConfigureAwait(false);
    }

    /// <summary>Cancels every resting order of the user: 204 without a body.</summary>
    private Task CancelAllOrders(HttpContext ctx)
    {
        new QueryParameters(ctx, "CancelAllOrdersV2").RequirePrimarySubaccount();
        string user = User(ctx);
        host.Run(x => x.CancelAllOrders(user));
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static void CheckBatchSize(int count)
    {
        if (count is < 1 or > MaxBatchSize)
            throw new ApiRefusal(new KalshiError(400, "invalid_parameters", "invalid parameters",
                $"a batch holds 1 to {MaxBatchSize} orders, this one has {count}"));
    }

    /// <summary>
    /// The engine's request for a V2 create body. Kalshi's SDKs may leave out <c>client_order_id</c>; the exchange then
    /// assigns one (a UUID), as Kalshi does. Only the primary subaccount exists here.
    /// </summary>
    private static CreateOrderRequest ToRequest(CreateOrderV2RequestDto dto)
    {
        if (dto.Subaccount is { } sub and not 0) throw QueryParameters.SubaccountRefusal(sub);
        return KalshiWireMapper.ToApi(dto, dto.ClientOrderId is null ? Guid.NewGuid().ToString() : null);
    }
}
