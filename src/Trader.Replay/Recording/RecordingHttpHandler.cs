using System.Net.Http.Headers;
using System.Text;
using Trader.Replay.Tapes;

namespace Trader.Replay.Recording;

/// <summary>
/// Records every REST request and response that passes through the Kalshi client (its <c>HttpMessageHandler</c> seam):
/// method, path, query, request body, status, response body and the <c>Date</c> header, or the error that replaced the
/// response. No request header is recorded, so the key id, timestamp and signature never reach the tape. An entry is
/// stamped when its answer (or error) arrived: a tape is in arrival order.
/// </summary>
public sealed class RecordingHttpHandler(TapeWriter tape, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var at = tape.Now;
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var uri = request.RequestUri!;
        var entry = new TapeEntry
        {
            At = at,
            Kind = TapeEntryKind.Http,
            Method = request.Method.Method,
            Path = uri.AbsolutePath,
            Query = string.IsNullOrEmpty(uri.Query) ? null : uri.Query,
            Request = body,
        };
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            tape.Write(entry with { At = tape.Now, ErrorKind = e is OperationCanceledException ? "timeout" : "connection", Error = e.Message });
            throw;
        }

        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            tape.Write(entry with { At = tape.Now, Status = (int)response.StatusCode, ErrorKind = "connection", Error = $"response body lost: {e.Message}" });
            throw;
        }
        tape.Write(entry with { At = tape.Now, Status = (int)response.StatusCode, Response = text, Date = response.Headers.Date });

        // The body was read for the tape: hand the client an equivalent one.
        var mediaType = response.Content.Headers.ContentType;
        var replacement = new StringContent(text, Encoding.UTF8);
        replacement.Headers.ContentType = mediaType ?? new MediaTypeHeaderValue("application/json");
        response.Content = replacement;
        return response;
    }
}
