namespace Trader.Kalshi.Api;

/// <summary>
/// One typed error for every error body Kalshi sends (kalshi-api.md §3.12): nested
/// <c>{"error":{"code","message","details","service"}}</c>, flat <c>{"code","message","details"}</c>, bare
/// <c>{"msg"}</c> and the 429 <c>{"error":"too many requests"}</c>.
/// </summary>
public sealed record KalshiError(int HttpStatus, string Code, string Message, string? Details = null, string? Service = null)
{
    /// <summary>404: unknown order, or an order already canceled or executed (treat as terminal).</summary>
    public bool IsNotFound => HttpStatus == 404 || Code.StartsWith("not_found", StringComparison.Ordinal);

    /// <summary>409 <c>order_already_exists</c>: the client order id was used before (also after a cancel).</summary>
    public bool IsDuplicateClientOrderId => HttpStatus == 409 || Code.StartsWith("order_already_exists", StringComparison.Ordinal);

    public bool IsRateLimited => HttpStatus == 429;
    public bool IsAuthentication => HttpStatus == 401;
    public bool IsServerError => HttpStatus >= 500;

    public override string ToString() =>
        Details is null ? $"HTTP {HttpStatus} {Code}: {Message}" : $"HTTP {HttpStatus} {Code}: {Message} ({Details})";
}

/// <summary>A read failed: the exchange answered with an error after the client's retries.</summary>
public sealed class KalshiApiException(KalshiError error, string? request = null)
    : Exception(request is null ? error.ToString() : $"{request}: {error}")
{
    public KalshiError Error { get; } = error;
}

/// <summary>A read failed without an answer from the exchange (host unreachable, timeout, connection reset).</summary>
public sealed class KalshiTransportException(string message, Exception? inner = null) : Exception(message, inner);
