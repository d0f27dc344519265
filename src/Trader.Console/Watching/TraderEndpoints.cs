using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Trader.Actors.Coordinator;

namespace Trader.Console.Watching;

/// <summary>
/// The trader's HTTP endpoints (docs/operating.md), for operators, probes and scrapers:
/// <list type="bullet">
/// <item><c>GET /status</c>: the <see cref="TraderSnapshot"/> as JSON (<see cref="SnapshotJson"/>).</item>
/// <item><c>GET /status.txt</c>: the copy-paste status log, newest first (Core's <c>StatusText.Format</c>).</item>
/// <item><c>GET /healthz</c>: liveness: 200 while the process serves requests.</item>
/// <item><c>GET /readyz</c>: readiness: 200 only while the coordinator is READY or ACTING; otherwise 503 with the state
/// (and the last error), also when the coordinator does not answer in time.</item>
/// <item><c>GET /metrics</c>: Prometheus text format 0.0.4.</item>
/// </list>
/// Needs <see cref="WatchingServices.AddTraderWatching"/> (and <c>AddTrader</c>) in the host's services.
/// </summary>
public static class TraderEndpoints
{
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapTraderEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status", async (HttpContext http) =>
        {
            var snapshot = await Source(http).CaptureAsync(http.RequestAborted).ConfigureAwait(false);
            return Results.Text(SnapshotJson.Serialize(snapshot), "application/json; charset=utf-8");
        });
        endpoints.MapGet("/status.txt", (HttpContext http) =>
        {
            var text = Source(http).StatusText();
            return Results.Text(text.Length == 0 ? "" : text + "\n", TextContentType);
        });
        endpoints.MapGet("/healthz", () => Results.Text("ok\n", TextContentType));
        endpoints.MapGet("/readyz", async (HttpContext http) =>
        {
            var (report, problem) = await Source(http).GetStatusAsync(http.RequestAborted).ConfigureAwait(false);
            var (status, text) = Readiness(report, problem);
            return Results.Text(text + "\n", TextContentType, statusCode: status);
        });
        endpoints.MapGet("/metrics", (HttpContext http) => Results.Text(Source(http).Metrics(), PrometheusContentType));
        return endpoints;
    }

    /// <summary>200 <c>ready: acting</c>, or 503 <c>not ready: error (calibration failed: …)</c>.</summary>
    internal static (int Status, string Text) Readiness(TraderStatusReport? report, string? problem)
    {
        if (report is null) return (StatusCodes.Status503ServiceUnavailable, $"not ready: unknown ({problem})");
        var state = TraderSnapshotSource.Name(report.State);
        if (report.State is TraderState.Ready or TraderState.Acting) return (StatusCodes.Status200OK, $"ready: {state}");
        return (StatusCodes.Status503ServiceUnavailable, report.LastError is { } error ? $"not ready: {state} ({error})" : $"not ready: {state}");
    }

    private static TraderSnapshotSource Source(HttpContext http) => http.RequestServices.GetRequiredService<TraderSnapshotSource>();
}
