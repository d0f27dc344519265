using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Trader.Exchange.Server.Auth;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Api;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

/// <summary>What the pipeline needs to know about a REST route.</summary>
/// <param name="Public">Market data and exchange status: callable without a key (kalshi-api.md §2.6).</param>
/// <param name="BilledPerItem">Batch routes: the handler takes the rate-limit tokens once it has counted the items.</param>
public sealed record KalshiRoute(bool Public, bool BilledPerItem = false);

/// <summary>
/// Everything a REST request goes through before and after its handler, in this order:
/// <list type="number">
/// <item>added latency (fault);</item>
/// <item>a 429 burst (fault): <c>{"error":"too many requests"}</c>;</item>
/// <item>a REST fault rule for the path that acts before the request runs: an error status or an aborted connection;</item>
/// <item>authentication (<see cref="RequestAuthenticator"/>): required on private routes; on public routes a valid
/// signature identifies the key and anything else is treated as anonymous;</item>
/// <item>rate limits per key (per address when anonymous): 429 when the bucket is short;</item>
/// <item>a REST fault rule that acts after the request runs: the handler executes for real and its answer is replaced
/// by an error status or an aborted connection;</item>
/// <item>the handler; an <see cref="ApiRefusal"/> it throws becomes Kalshi's status and body, anything else a 500.</item>
/// </list>
/// </summary>
internal sealed class RestPipeline(
    ApiKeyRegistry keys,
    FaultInjector faults,
    ServerRateLimiter? limiter,
    TimeProvider time,
    TimeSpan timestampWindow,
    ILogger log)
{
    public const string UserItem = "kalshi.user";
    public const string IdentityItem = "kalshi.identity";
    public const string ApiPrefix = "/trade-api/v2";

    public static readonly KalshiError TooManyRequests = new(429, "too_many_requests", "too many requests");

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var route = ctx.GetEndpoint()?.Metadata.GetMetadata<KalshiRoute>();
        if (route is null)
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }

        var latency = faults.Latency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency, time, ctx.RequestAborted).ConfigureAwait(false);

        if (faults.TryRateLimitBurst())
        {
            await WriteErrorAsync(ctx, TooManyRequests, ErrorBodyShape.StringError).ConfigureAwait(false);
            return;
        }

        string path = ctx.Request.Path.Value ?? "";
        string apiPath = path.StartsWith(ApiPrefix, StringComparison.Ordinal) ? path[ApiPrefix.Length..] : path;
        var rule = faults.TryMatchRest(ctx.Request.Method, apiPath, afterExecute: false);
        if (rule is not null)
        {
            log.LogInformation("fault: {Method} {Path} answered {Status} without executing", ctx.Request.Method, path, rule.Status);
            await ApplyFaultAsync(ctx, rule).ConfigureAwait(false);
            return;
        }

        var auth = RequestAuthenticator.Authenticate(keys, ctx.Request.Method, path,
            ctx.Request.Headers[KalshiAuthHeaders.KeyHeader], ctx.Request.Headers[KalshiAuthHeaders.TimestampHeader],
            ctx.Request.Headers[KalshiAuthHeaders.SignatureHeader], time.GetUtcNow() + faults.ClockSkew, timestampWindow);
        if (auth.Key is { } key)
        {
            ctx.Items[UserItem] = key.UserId;
            ctx.Items[IdentityItem] = "key:" + key.KeyId;
        }
        else if (!route.Public)
        {
            log.LogInformation("{Method} {Path}: 401 {Code} {Details}", ctx.Request.Method, path, auth.Error!.Code, auth.Error.Details);
            await WriteErrorAsync(ctx, auth.Error).ConfigureAwait(false);
            return;
        }
        else
        {
            ctx.Items[IdentityItem] = "anonymous:" + ctx.Connection.RemoteIpAddress;
        }

        if (!route.BilledPerItem && !TryTakeTokens(ctx, 1))
        {
            await WriteErrorAsync(ctx, TooManyRequests, ErrorBodyShape.StringError).ConfigureAwait(false);
            return;
        }

        rule = faults.TryMatchRest(ctx.Request.Method, apiPath, afterExecute: true);
        if (rule is not null)
        {
            // Execute for real, then throw the answer away: the client cannot know the request took effect.
            var original = ctx.Response.Body;
            ctx.Response.Body = Stream.Null;
            try
            {
                await RunHandlerAsync(ctx, next).ConfigureAwait(false);
            }
            finally
            {
                ctx.Response.Body = original;
            }
            log.LogInformation("fault: {Method} {Path} executed (status {Done}), answered {Status}", ctx.Request.Method, path, ctx.Response.StatusCode, rule.Status);
            ctx.Response.Clear();
            await ApplyFaultAsync(ctx, rule).ConfigureAwait(false);
            return;
        }

        await RunHandlerAsync(ctx, next).ConfigureAwait(false);
    }

    /// <summary>Takes the rate-limit tokens of a request with <paramref name="items"/> items; false when the caller must answer 429.</summary>
    public bool TryTakeTokens(HttpContext ctx, int items)
    {
        if (limiter is null) return true;
        string identity = ctx.Items[IdentityItem] as string ?? "anonymous:" + ctx.Connection.RemoteIpAddress;
        return limiter.TryTake(identity, ctx.Request.Method, ctx.Request.Path.Value ?? "", items);
    }

    private async Task RunHandlerAsync(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx).ConfigureAwait(false);
        }
        catch (ApiRefusal refusal)
        {
            if (ctx.Response.HasStarted) throw;
            await WriteErrorAsync(ctx, refusal.Error, refusal.Shape).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ctx.Response.HasStarted)
        {
            log.LogError(e, "{Method} {Path} failed", ctx.Request.Method, ctx.Request.Path.Value);
            await WriteErrorAsync(ctx, new KalshiError(500, "internal_server_error", "internal server error")).ConfigureAwait(false);
        }
    }

    private static Task ApplyFaultAsync(HttpContext ctx, RestFaultRule rule)
    {
        if (rule.Status == 0)
        {
            ctx.Abort();
            return Task.CompletedTask;
        }
        var error = rule.Status switch
        {
            502 => new KalshiError(502, "bad_gateway", "bad gateway"),
            503 => new KalshiError(503, "service_unavailable", "service unavailable"),
            504 => new KalshiError(504, "gateway_timeout", "gateway timeout"),
            429 => TooManyRequests,
            >= 500 => new KalshiError(rule.Status, "internal_server_error", "internal server error"),
            _ => new KalshiError(rule.Status, "bad_request", "bad request", "injected fault"),
        };
        return WriteErrorAsync(ctx, error, rule.Status == 429 ? ErrorBodyShape.StringError : ErrorBodyShape.Nested);
    }

    public static Task WriteErrorAsync(HttpContext ctx, KalshiError error, ErrorBodyShape shape = ErrorBodyShape.Nested) =>
        WriteJsonAsync(ctx, error.HttpStatus, KalshiErrorBody.Write(error, shape));

    public static async Task WriteJsonAsync(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
