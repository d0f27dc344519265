using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Server.Faults;
using Trader.Exchange.Server.Rest;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Control;

/// <summary>
/// The control endpoint, under <c>/_control</c>, for tests and for a person running <c>trader sim</c>. It answers
/// loopback callers only (403 otherwise), needs no key, and is neither rate limited nor touched by faults. JSON is
/// snake_case. Routes:
/// <list type="table">
/// <item><term><c>GET /_control/info</c></term><description>URLs, demo key id and path, demo user id.</description></item>
/// <item><term><c>GET|POST|DELETE /_control/faults</c></term><description>the faults in force; POST a <see cref="FaultSettings"/> to
/// change them (REST rules are added); DELETE clears every fault.</description></item>
/// <item><term><c>POST /_control/websockets/drop</c></term><description>drops every WebSocket connection now.</description></item>
/// <item><term><c>POST /_control/markets/{ticker}/{pause|resume|close|settle}</c></term><description>market lifecycle moves.</description></item>
/// <item><term><c>POST /_control/markets/{ticker}/determine</c> <c>{"result":"yes"}</c></term><description>the result; payout follows
/// after the settlement timer (or at once with <c>settle</c>).</description></item>
/// <item><term><c>POST /_control/users/{user_id}/deposit</c> <c>{"amount":"100.00"}</c></term><description>adds funds (opens the
/// account if needed).</description></item>
/// <item><term><c>POST /_control/liquidity/step</c> <c>{"steps":10}</c></term><description>runs the liquidity agents now.</description></item>
/// <item><term><c>GET /_control/ledger</c></term><description>Σ of the money on the exchange and whether it balances.</description></item>
/// </list>
/// </summary>
internal sealed class ControlApi(SimulatedExchangeServer server)
{
    public const string Prefix = "/_control";

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix);
        group.MapGet("/info", (HttpContext ctx) => Write(ctx, server.Info()));
        group.MapGet("/faults", (HttpContext ctx) => Write(ctx, server.Faults.Snapshot()));
        group.MapPost("/faults", async (HttpContext ctx) =>
        {
            var settings = await Read(ctx, json => FaultSettings.Parse(json));
            if (settings is null) return;
            server.Faults.Apply(settings);
            await Write(ctx, server.Faults.Snapshot());
        });
        group.MapDelete("/faults", (HttpContext ctx) =>
        {
            server.Faults.Clear();
            return Write(ctx, server.Faults.Snapshot());
        });
        group.MapPost("/websockets/drop", (HttpContext ctx) => Write(ctx, new DroppedDto(server.DropWebSockets())));
        group.MapPost("/markets/{ticker}/{action}", MarketAction);
        group.MapPost("/users/{user_id}/deposit", async (HttpContext ctx) =>
        {
            var request = await Read(ctx, json => JsonSerializer.Deserialize<DepositDto>(json, ControlJson.Options));
            if (request is null) return;
            if (!Money.TryParse(request.Amount, out var amount) || !amount.IsPositive)
            {
                await BadRequest(ctx, $"amount \"{request.Amount}\" is not a positive dollar amount such as \"100.00\"");
                return;
            }
            string user = (string)ctx.Request.RouteValues["user_id"]!;
            var balance = server.Execute(x =>
            {
                x.Deposit(user, amount);
                return x.GetBalance(user).Value.Cash;
            });
            await Write(ctx, new BalanceDto(user, balance.ToWireString()));
        });
        group.MapPost("/liquidity/step", async (HttpContext ctx) =>
        {
            var request = await Read(ctx, json => JsonSerializer.Deserialize<StepDto>(json, ControlJson.Options));
            if (request is null) return;
            if (request.Steps is < 1 or > 100_000)
            {
                await BadRequest(ctx, "steps must be between 1 and 100000");
                return;
            }
            await Write(ctx, new StepDto(server.StepLiquidity(request.Steps)));
        });
        group.MapGet("/ledger", (HttpContext ctx) =>
        {
            var t = server.Execute(x => x.GetLedgerTotals());
            return Write(ctx, new LedgerDto(t.Deposits.ToWireString(), t.Cash.ToWireString(), t.Reserved.ToWireString(),
                t.FeesCollected.ToWireString(), t.Collateral.ToWireString(), t.IsBalanced));
        });
    }

    /// <summary>Middleware (before routing): refuses control requests from anywhere but this machine with 403.</summary>
    public static async Task GuardAsync(HttpContext ctx, RequestDelegate next)
    {
        if (ctx.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal) && !IsLocal(ctx.Connection.RemoteIpAddress))
        {
            await RestPipeline.WriteErrorAsync(ctx, new KalshiError(403, "forbidden", "forbidden", "the control endpoint answers loopback callers only"));
            return;
        }
        await next(ctx);
    }

    /// <summary>True for 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses (a dual-stack listener reports those).</summary>
    public static bool IsLocal(IPAddress? remote)
    {
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        return IPAddress.IsLoopback(remote);
    }

    private async Task MarketAction(HttpContext ctx)
    {
        string ticker = (string)ctx.Request.RouteValues["ticker"]!;
        string action = (string)ctx.Request.RouteValues["action"]!;
        MarketResult? result = null;
        if (action == "determine")
        {
            var request = await Read(ctx, json => JsonSerializer.Deserialize<DetermineDto>(json, ControlJson.Options));
            if (request is null) return;
            result = request.Result switch { "yes" => MarketResult.Yes, "no" => MarketResult.No, _ => null };
            if (result is null)
            {
                await BadRequest(ctx, $"result \"{request.Result}\" is neither yes nor no");
                return;
            }
        }
        else if (action is not ("pause" or "resume" or "close" or "settle"))
        {
            await RestPipeline.WriteErrorAsync(ctx, new KalshiError(404, "not_found", "not found",
                $"unknown market action '{action}': use pause, resume, close, determine or settle"));
            return;
        }
        var answer = server.Execute(x => action switch
        {
            "pause" => x.PauseMarket(ticker),
            "resume" => x.ResumeMarket(ticker),
            "close" => x.CloseMarket(ticker),
            "determine" => x.DetermineMarket(ticker, result!.Value),
            _ => x.SettleMarket(ticker),
        });
        if (!answer.IsSuccess)
        {
            await RestPipeline.WriteErrorAsync(ctx, answer.Error);
            return;
        }
        await RestPipeline.WriteJsonAsync(ctx, 200, KalshiJson.SerializeToUtf8Bytes(new MarketStateDto(answer.Value.Ticker, answer.Value.Status, answer.Value.Result)));
    }

    private static async Task<T?> Read<T>(HttpContext ctx, Func<byte[], T?> parse) where T : class
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        try
        {
            var value = parse(buffer.ToArray());
            if (value is null) await BadRequest(ctx, "the body is JSON null");
            return value;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            await BadRequest(ctx, e.Message);
            return null;
        }
    }

    private static Task BadRequest(HttpContext ctx, string details) =>
        RestPipeline.WriteErrorAsync(ctx, new KalshiError(400, "bad_request", "bad request", details));

    private static Task Write<T>(HttpContext ctx, T body) =>
        RestPipeline.WriteJsonAsync(ctx, 200, JsonSerializer.SerializeToUtf8Bytes(body, ControlJson.Options));
}

/// <summary><c>GET /_control/info</c>: where the exchange is and its demo key (the id and file path; never the key itself).</summary>
public sealed record SimulatorInfoDto(string RestBase, string WebsocketUrl, string DemoKeyId, string? DemoKeyFile, string DemoUserId);

public sealed record DepositDto(string Amount);

public sealed record BalanceDto(string UserId, string Balance);

public sealed record DetermineDto(string Result);

public sealed record StepDto(int Steps);

public sealed record DroppedDto(int Dropped);

public sealed record MarketStateDto(string Ticker, string Status, string? Result);

public sealed record LedgerDto(string Deposits, string Cash, string Reserved, string FeesCollected, string Collateral, bool Balanced);
