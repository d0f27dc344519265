using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trader.Kalshi.Signing;

namespace Trader.Kalshi.Tests.Infrastructure;

/// <summary>One request as the loopback exchange saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, bool SignatureValid, string? KeyId);

/// <summary>
/// A scripted Kalshi on 127.0.0.1, port 0 (Kestrel). Each test installs a handler for REST requests and/or for the
/// WebSocket endpoint; every REST request is recorded, with whether its signature verifies against the test key.
/// </summary>
public sealed class LoopbackExchange : IAsyncDisposable
{
    private readonly WebApplication _app;

    public static readonly RSA Key = RSA.Create(2048);
    public const string KeyId = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c";

    private LoopbackExchange(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers REST requests; the default answers 404.</summary>
    public Func<HttpContext, RecordedRequest, Task> Rest { get; set; } = (ctx, _) =>
    {
        ctx.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    /// <summary>Runs a WebSocket connection (after the upgrade); the default closes it.</summary>
    public Func<HttpContext, System.Net.WebSockets.WebSocket, Task> Socket { get; set; } = (_, ws) =>
        ws.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

    /// <summary>Signature checks of the WebSocket upgrades, in order.</summary>
    public ConcurrentQueue<bool> UpgradeSignatures { get; } = new();

    public static KalshiCredentials Credentials()
    {
        var copy = RSA.Create();
        copy.ImportParameters(Key.ExportParameters(true));
        return new KalshiCredentials(KeyId, copy);
    }

    public static async Task<LoopbackExchange> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackExchange? self = null;
        app.UseWebSockets();
        app.Run(async ctx =>
        {
            var me = self!;
            if (ctx.Request.Path == "/trade-api/ws/v2")
            {
                me.UpgradeSignatures.Enqueue(Verify(ctx));
                if (!ctx.WebSockets.IsWebSocketRequest)
                {
                    ctx.Response.StatusCode = 400;
                    return;
                }
                using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
                await me.Socket(ctx, ws);
                return;
            }
            string body;
            using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            var recorded = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "", body,
                Verify(ctx), ctx.Request.Headers[KalshiAuthHeaders.KeyHeader].FirstOrDefault());
            me.Requests.Enqueue(recorded);
            await me.Rest(ctx, recorded);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new LoopbackExchange(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return self;
    }

    private static bool Verify(HttpContext ctx)
    {
        string? ts = ctx.Request.Headers[KalshiAuthHeaders.TimestampHeader];
        string? sig = ctx.Request.Headers[KalshiAuthHeaders.SignatureHeader];
        return ts is not null && sig is not null
            && KalshiSignature.Verify(Key, ctx.Request.Method, ctx.Request.Path.Value ?? "", ts, sig);
    }

    public static Task Json(HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
