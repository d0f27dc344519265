using System.Net.Http.Headers;
using System.Text;
using Trader.Replay.Tapes;

namespace Trader.Replay.Recording;

/// <summary>
/// Records every REST request and response that passes through the Kalshi client (its <c>HttpMessageHandler</c> seam):
/// when it was sent, method, path, query, request body, status, response body and the <c>Date</c> header, or the error
/// that replaced the response (a timeout, a connection that could not be opened, or one lost after sending: the
/// client treats them differently, so the tape tells them apart). The entry is written when the answer arrives, so
/// the tape is in arrival order. No request header is recorded, so the key id, timestamp and signature never reach
/// the tape.
/// </summary>
public sealed class RecordingHttpHandler(TapeWriter tape, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var uri = request.RequestUri!;
        var entry = new TapeEntry
        {
            Kind = TapeEntryKind.Http,
            Sent = tape.Now,
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
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            tape.Record(entry with { ErrorKind = KindOf(e), Error = e.Message });
            throw;
        }

        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            tape.Record(entry with
            {
                Status = (int)response.StatusCode,
                ErrorKind = e is OperationCanceledException ? TapeErrorKinds.Timeout : TapeErrorKinds.Connection,
                Error = $"response body lost: {e.Message}",
            });
            throw;
        }
        tape.Record(entry with { Status = (int)response.StatusCode, Response = text, Date = response.Headers.Date });

        // The body was read for the tape: hand the client an equivalent one.
        var mediaType = response.Content.Headers.ContentType;
        var replacement = new StringContent(text, Encoding.UTF8);
        replacement.Headers.ContentType = mediaType ?? new MediaTypeHeaderValue("application/json");
        response.Content = replacement;
        return response;
    }

    /// <summary>The client retries a write only when it certainly never left (no connection could be opened).</summary>
    internal static string KindOf(Exception e) => e switch
    {
        OperationCanceledException => TapeErrorKinds.Timeout,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError }
            => TapeErrorKinds.Connect,
        _ => TapeErrorKinds.Connection,
    };
}
