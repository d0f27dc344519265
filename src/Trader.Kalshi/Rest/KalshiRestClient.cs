using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Trader.Core.Orders;
using Trader.Kalshi.Api;
using Trader.Kalshi.RateLimiting;
using Trader.Kalshi.Signing;
using Trader.Kalshi.Wire;

namespace Trader.Kalshi.Rest;

/// <summary>
/// <see cref="IKalshiApi"/> over HTTP, against Kalshi (demo or production) or the simulated exchange.
/// <list type="bullet">
/// <item>Every request goes through <see cref="KalshiClientOptions.Handler"/>, is signed with a fresh timestamp, and
/// waits for its tokens in the read or write bucket (<see cref="RateLimiter"/>).</item>
/// <item>Reads follow <c>cursor</c> until it is empty and retry 5xx, 429 and transport errors with jittered
/// exponential backoff (<see cref="KalshiClientOptions.Retry"/>); then they throw <see cref="KalshiApiException"/> or
/// <see cref="KalshiTransportException"/>.</item>
/// <item>Writes are sent once. They are retried only when the exchange certainly did not act on them: a 429, or a
/// connection that could not be opened. A timeout, a connection lost after sending, a 5xx, or a 2xx whose body cannot
/// be read is <see cref="WriteOutcome{T}.Ambiguous"/>; any other 4xx is <see cref="WriteOutcome{T}.Refused"/>. A 409
/// <c>order_already_exists</c> on create is resolved by looking the order up by its client order id.</item>
/// </list>
/// Nothing secret is logged: no key, no signature, no header.
/// </summary>
public sealed class KalshiRestClient : IKalshiApi, IDisposable
{
    private readonly KalshiClientOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    public KalshiRestClient(KalshiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = options.Time;
        _log = options.Logger;
        var handler = options.Handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        RateLimiter = new KalshiRateLimiter(_time, options.RateLimits);
    }

    public KalshiEnvironment Environment => _options.Environment;

    public KalshiRateLimiter RateLimiter { get; }

    /// <summary>The exchange's clock from the <c>Date</c> header of the last answer, with the local time it arrived
    /// (to measure clock skew, which makes Kalshi refuse signatures).</summary>
    public (DateTimeOffset Server, DateTimeOffset Local)? LastServerDate { get; private set; }

    public void Dispose() => _http.Dispose();

    // ---- reads -------------------------------------------------------------------------------------------------

    /// <summary>
    /// During maintenance Kalshi answers 503 with the normal body (<c>exchange_active:false</c>); that is an answer,
    /// not an error, and is returned without retrying. A 503 without that body is an error like any other.
    /// </summary>
    public async Task<ExchangeStatus> GetExchangeStatusAsync(CancellationToken ct = default)
    {
        var answer = await ReadRawAsync("/exchange/status", accept: s => s == 503, ct).ConfigureAwait(false);
        if (answer.Status == 503)
        {
            try
            {
                return KalshiWireMapper.ToApi(KalshiJson.Deserialize<ExchangeStatusDto>(answer.Body));
            }
            catch (KalshiWireException)
            {
                throw new KalshiApiException(KalshiErrorBody.Parse(503, answer.Body), "GET /trade-api/v2/exchange/status");
            }
        }
        return KalshiWireMapper.ToApi(Parse<ExchangeStatusDto>(answer, "/exchange/status"));
    }

    public async Task<AccountBalance> GetBalanceAsync(CancellationToken ct = default) =>
        KalshiWireMapper.ToApi(await ReadAsync<GetBalanceResponseDto>("/portfolio/balance", ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<ExchangePosition>> GetPositionsAsync(string? ticker = null, CancellationToken ct = default)
    {
        var q = new Query().Add("count_filter", "position").Add("ticker", ticker);
        var rows = await ReadPagesAsync<GetPositionsResponseDto, MarketPositionDto>("/portfolio/positions", q, p => p.MarketPositions, p => p.Cursor, null, ct)
            .ConfigureAwait(false);
        return Map(rows, KalshiWireMapper.ToApi, "/portfolio/positions");
    }

    public async Task<IReadOnlyList<ExchangeOrder>> GetOrdersAsync(OrderQuery query, CancellationToken ct = default)
    {
        var q = new Query()
            .Add("ticker", query.Ticker)
            .Add("status", query.Status is { } s ? KalshiWireMapper.ToWire(s) : null)
            .Add("min_ts", query.MinTime?.ToUnixTimeSeconds())
            .Add("max_ts", query.MaxTime?.ToUnixTimeSeconds());
        var rows = await ReadPagesAsync<GetOrdersResponseDto, OrderDto>("/portfolio/orders", q, p => p.Orders, p => p.Cursor, null, ct).ConfigureAwait(false);
        return Map(rows, KalshiWireMapper.ToApi, "/portfolio/orders");
    }

    public async Task<ExchangeOrder?> GetOrderAsync(string orderId, CancellationToken ct = default)
    {
        var dto = await ReadOrNullAsync<GetOrderResponseDto>($"/portfolio/orders/{Escape(orderId)}", ct).ConfigureAwait(false);
        return dto is null ? null : MapOne(dto.Order, KalshiWireMapper.ToApi, "/portfolio/orders/{id}");
    }

    public async Task<ExchangeOrder?> FindOrderByClientOrderIdAsync(string ticker, string clientOrderId, DateTimeOffset createdAfter, CancellationToken ct = default)
    {
        var orders = await GetOrdersAsync(new OrderQuery(Ticker: ticker, MinTime: createdAfter), ct).ConfigureAwait(false);
        return orders.FirstOrDefault(o => string.Equals(o.ClientOrderId, clientOrderId, StringComparison.Ordinal));
    }

    public async Task<IReadOnlyList<Fill>> GetFillsAsync(FillQuery query, CancellationToken ct = default)
    {
        var q = new Query()
            .Add("ticker", query.Ticker)
            .Add("order_id", query.OrderId)
            .Add("min_ts", query.MinTime?.ToUnixTimeSeconds())
            .Add("max_ts", query.MaxTime?.ToUnixTimeSeconds());
        var rows = await ReadPagesAsync<GetFillsResponseDto, FillDto>("/portfolio/fills", q, p => p.Fills, p => p.Cursor, null, ct).ConfigureAwait(false);
        return Map(rows, KalshiWireMapper.ToApi, "/portfolio/fills");
    }

    public async Task<IReadOnlyList<Settlement>> GetSettlementsAsync(DateTimeOffset? since = null, CancellationToken ct = default)
    {
        var q = new Query().Add("min_ts", since?.ToUnixTimeSeconds());
        var rows = await ReadPagesAsync<GetSettlementsResponseDto, SettlementDto>("/portfolio/settlements", q, p => p.Settlements, p => p.Cursor, null, ct)
            .ConfigureAwait(false);
        return Map(rows, KalshiWireMapper.ToApi, "/portfolio/settlements");
    }

    public async Task<IReadOnlyList<MarketInfo>> GetMarketsAsync(MarketQuery query, CancellationToken ct = default)
    {
        var q = new Query()
            .Add("status", query.Status)
            .Add("event_ticker", query.EventTicker)
            .Add("series_ticker", query.SeriesTicker)
            .Add("tickers", query.Tickers is { Count: > 0 } t ? string.Join(',', t) : null);
        var rows = await ReadPagesAsync<GetMarketsResponseDto, MarketDto>("/markets", q, p => p.Markets, p => p.Cursor, query.MaxResults, ct).ConfigureAwait(false);
        return Map(rows, KalshiWireMapper.ToApi, "/markets");
    }

    public async Task<MarketInfo?> GetMarketAsync(string ticker, CancellationToken ct = default)
    {
        var dto = await ReadOrNullAsync<GetMarketResponseDto>($"/markets/{Escape(ticker)}", ct).ConfigureAwait(false);
        return dto is null ? null : MapOne(dto.Market, KalshiWireMapper.ToApi, "/markets/{ticker}");
    }

    public async Task<OrderBookSnapshot> GetOrderBookAsync(string ticker, int? depth = null, CancellationToken ct = default)
    {
        var dto = await ReadAsync<GetMarketOrderbookResponseDto>($"/markets/{Escape(ticker)}/orderbook" + new Query().Add("depth", depth), ct).ConfigureAwait(false);
        return KalshiWireMapper.ToApi(ticker, dto);
    }

    public async Task<AccountLimits> GetAccountLimitsAsync(CancellationToken ct = default) =>
        KalshiWireMapper.ToApi(await ReadAsync<GetAccountApiLimitsResponseDto>("/account/limits", ct).ConfigureAwait(false));

    /// <summary><c>GET /account/endpoint_costs</c>: the token cost of each endpoint that differs from the default.</summary>
    public async Task<EndpointCosts> GetEndpointCostsAsync(CancellationToken ct = default) =>
        EndpointCosts.From(await ReadAsync<GetAccountEndpointCostsResponseDto>("/account/endpoint_costs", ct).ConfigureAwait(false));

    /// <summary>A series' fee schedule (<c>GET /series/{ticker}</c>); null for an unknown series.</summary>
    public async Task<SeriesFees?> GetSeriesFeesAsync(string seriesTicker, CancellationToken ct = default)
    {
        var dto = await ReadOrNullAsync<GetSeriesResponseDto>($"/series/{Escape(seriesTicker)}", ct).ConfigureAwait(false);
        return dto is null ? null : MapOne(dto.Series, KalshiWireMapper.ToApi, "/series/{ticker}");
    }

    /// <summary>Public prints of a market (<c>GET /markets/trades</c>), all pages since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<TradeDto>> GetTradesAsync(string ticker, DateTimeOffset? since = null, int? maxResults = null, CancellationToken ct = default)
    {
        var q = new Query().Add("ticker", ticker).Add("min_ts", since?.ToUnixTimeSeconds());
        return await ReadPagesAsync<GetTradesResponseDto, TradeDto>("/markets/trades", q, p => p.Trades, p => p.Cursor, maxResults, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sizes the rate limiter from the account: <c>GET /account/limits</c> (bucket sizes) and
    /// <c>GET /account/endpoint_costs</c> (per-endpoint costs). Call once at start-up; until then the Basic tier and
    /// the recorded default costs apply.
    /// </summary>
    public async Task<AccountLimits> ConfigureRateLimitsAsync(CancellationToken ct = default)
    {
        var limits = await GetAccountLimitsAsync(ct).ConfigureAwait(false);
        RateLimiter.Configure(limits);
        RateLimiter.Configure(await GetEndpointCostsAsync(ct).ConfigureAwait(false));
        _log.LogInformation("Kalshi rate limits: tier {Tier}, reads {Read}/s, writes {Write}/s", limits.UsageTier, limits.ReadRefillRate, limits.WriteRefillRate);
        return limits;
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    public async Task<WriteOutcome<OrderAck>> CreateOrderAsync(CreateOrderRequest request, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(request.ClientOrderId);
        var startedAt = _time.GetUtcNow();
        var outcome = await WriteAsync<CreateOrderV2ResponseDto, OrderAck>(HttpMethod.Post, "/portfolio/events/orders",
            KalshiWireMapper.ToWire(request), 1, KalshiWireMapper.ToApi, "create " + request.ClientOrderId, ct).ConfigureAwait(false);

        if (outcome is not WriteOutcome<OrderAck>.Refused { Error: { HttpStatus: 409 } error } || !error.IsDuplicateClientOrderId)
            return outcome;

        // The client order id is taken: most likely an earlier attempt of this very order landed. Find it.
        _log.LogInformation("Create {ClientOrderId}: 409 order_already_exists, looking the order up", request.ClientOrderId);
        try
        {
            var since = startedAt - _options.DuplicateLookupWindow;
            var existing = await FindOrderByClientOrderIdAsync(request.Ticker, request.ClientOrderId, since, ct).ConfigureAwait(false);
            if (existing is null) return outcome;
            return new WriteOutcome<OrderAck>.Accepted(new OrderAck(
                existing.OrderId, existing.ClientOrderId, existing.FillCount, existing.RemainingCount, Timestamp: existing.CreatedTime));
        }
        catch (Exception e) when (e is KalshiApiException or KalshiTransportException)
        {
            return new WriteOutcome<OrderAck>.Ambiguous(
                $"create {request.ClientOrderId}: 409 order_already_exists, and looking the order up failed: {e.Message}", e);
        }
    }

    public Task<WriteOutcome<CancelAck>> CancelOrderAsync(string orderId, string? ticker = null, CancellationToken ct = default) =>
        WriteAsync<CancelOrderV2ResponseDto, CancelAck>(HttpMethod.Delete,
            $"/portfolio/events/orders/{Escape(orderId)}" + new Query().Add("market_ticker", ticker), null, 1, KalshiWireMapper.ToApi, "cancel " + orderId, ct);

    public Task<WriteOutcome<OrderAck>> AmendOrderAsync(AmendOrderRequest request, CancellationToken ct = default) =>
        WriteAsync<AmendOrderV2ResponseDto, OrderAck>(HttpMethod.Post, $"/portfolio/events/orders/{Escape(request.OrderId)}/amend",
            KalshiWireMapper.ToWire(request), 1, KalshiWireMapper.ToApi, "amend " + request.OrderId, ct);

    public Task<WriteOutcome<DecreaseAck>> DecreaseOrderAsync(DecreaseOrderRequest request, CancellationToken ct = default) =>
        WriteAsync<DecreaseOrderV2ResponseDto, DecreaseAck>(HttpMethod.Post, $"/portfolio/events/orders/{Escape(request.OrderId)}/decrease",
            KalshiWireMapper.ToWire(request), 1, KalshiWireMapper.ToApi, "decrease " + request.OrderId, ct);

    public Task<WriteOutcome<IReadOnlyList<BatchItem<OrderAck>>>> BatchCreateOrdersAsync(IReadOnlyList<CreateOrderRequest> requests, CancellationToken ct = default) =>
        WriteAsync<BatchCreateOrdersV2ResponseDto, IReadOnlyList<BatchItem<OrderAck>>>(HttpMethod.Post, "/portfolio/events/orders/batched",
            KalshiWireMapper.ToWire(requests), requests.Count, dto => dto.Orders.Select(KalshiWireMapper.ToApi).ToList(), $"batch create of {requests.Count}", ct);

    public Task<WriteOutcome<IReadOnlyList<BatchItem<CancelAck>>>> BatchCancelOrdersAsync(IReadOnlyList<(string OrderId, string? Ticker)> orders, CancellationToken ct = default) =>
        WriteAsync<BatchCancelOrdersV2ResponseDto, IReadOnlyList<BatchItem<CancelAck>>>(HttpMethod.Delete, "/portfolio/events/orders/batched",
            KalshiWireMapper.ToWire(orders), orders.Count, dto => dto.Orders.Select(KalshiWireMapper.ToApi).ToList(), $"batch cancel of {orders.Count}", ct);

    public Task<WriteOutcome<NoContent>> CancelAllOrdersAsync(CancellationToken ct = default) =>
        WriteAsync<object, NoContent>(HttpMethod.Delete, "/portfolio/events/orders", null, 1, _ => default, "cancel all", ct, noContent: true);

    // ---- the HTTP core -----------------------------------------------------------------------------------------

    private readonly record struct Answer(int Status, byte[] Body);

    /// <summary>The attempt timed out (our own per-attempt limit, not the caller's cancellation).</summary>
    private sealed class AttemptTimeoutException(TimeSpan after) : Exception($"no answer within {after.TotalSeconds:0.###} s");

    private async Task<Answer> SendOnceAsync(HttpMethod method, string pathAndQuery, byte[]? body, int items, Action onSent, CancellationToken ct)
    {
        var uri = _options.Environment.Url(pathAndQuery);
        string signedPath = KalshiSignature.SignedPath(uri);
        await RateLimiter.WaitAsync(method, signedPath, items, ct).ConfigureAwait(false);

        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (_options.Credentials is { } credentials)
        {
            foreach (var (name, value) in credentials.Sign(method.Method, signedPath, _time).AsPairs())
                request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        long started = Stopwatch.GetTimestamp();
        try
        {
            onSent();
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (response.Headers.Date is { } date) LastServerDate = (date, _time.GetUtcNow());
            _log.LogDebug("{Method} {Path} -> {Status} in {Elapsed:0} ms", method.Method, signedPath, (int)response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new Answer((int)response.StatusCode, bytes);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new AttemptTimeoutException(_options.RequestTimeout);
        }
    }

    /// <summary>True when the request certainly never reached the exchange (no connection could be made).</summary>
    private static bool NotSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;

    private Task DelayAsync(int attempt, CancellationToken ct) =>
        Task.Delay(_options.Retry.DelayFor(attempt, _options.Jitter()), _time, ct);

    /// <summary>A GET with retries; a status <paramref name="accept"/> approves is returned (not retried, not thrown).</summary>
    private async Task<Answer> ReadRawAsync(string pathAndQuery, Func<int, bool>? accept, CancellationToken ct)
    {
        var bucket = RateLimiter.Read;
        int max = Math.Max(1, _options.Retry.MaxAttempts);
        string what = "GET " + KalshiSignature.SignedPath(pathAndQuery);
        for (int attempt = 1; ; attempt++)
        {
            Answer answer;
            try
            {
                answer = await SendOnceAsync(HttpMethod.Get, pathAndQuery, null, 1, static () => { }, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or AttemptTimeoutException or IOException)
            {
                if (attempt >= max) throw new KalshiTransportException($"{what}: {Describe(e)} (after {attempt} attempts)", e);
                _log.LogWarning("{Request}: {Problem}; retry {Attempt} of {Max}", what, Describe(e), attempt, max - 1);
                await DelayAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }

            if (answer.Status is >= 200 and < 300 || (accept?.Invoke(answer.Status) ?? false))
            {
                bucket.OnSuccess();
                return answer;
            }
            var error = KalshiErrorBody.Parse(answer.Status, answer.Body);
            if (answer.Status == 429) bucket.OnRateLimited();
            bool retryable = answer.Status == 429 || answer.Status >= 500;
            if (!retryable || attempt >= max) throw new KalshiApiException(error, what);
            _log.LogWarning("{Request}: {Error}; retry {Attempt} of {Max}", what, error, attempt, max - 1);
            await DelayAsync(attempt, ct).ConfigureAwait(false);
        }
    }

    private async Task<T> ReadAsync<T>(string pathAndQuery, CancellationToken ct)
    {
        var answer = await ReadRawAsync(pathAndQuery, null, ct).ConfigureAwait(false);
        return Parse<T>(answer, pathAndQuery);
    }

    private async Task<T?> ReadOrNullAsync<T>(string pathAndQuery, CancellationToken ct) where T : class
    {
        var answer = await ReadRawAsync(pathAndQuery, static s => s == 404, ct).ConfigureAwait(false);
        return answer.Status == 404 ? null : Parse<T>(answer, pathAndQuery);
    }

    private static T Parse<T>(Answer answer, string pathAndQuery)
    {
        try
        {
            return KalshiJson.Deserialize<T>(answer.Body);
        }
        catch (KalshiWireException e)
        {
            throw new KalshiApiException(new KalshiError(answer.Status, "malformed_response", e.Message), "GET " + KalshiSignature.SignedPath(pathAndQuery));
        }
    }

    private static IReadOnlyList<TOut> Map<TIn, TOut>(IReadOnlyList<TIn> rows, Func<TIn, TOut> map, string what)
    {
        var result = new List<TOut>(rows.Count);
        foreach (var row in rows) result.Add(MapOne(row, map, what));
        return result;
    }

    private static TOut MapOne<TIn, TOut>(TIn row, Func<TIn, TOut> map, string what)
    {
        try
        {
            return map(row);
        }
        catch (KalshiWireException e)
        {
            throw new KalshiApiException(new KalshiError(200, "malformed_response", e.Message), "GET " + what);
        }
    }

    private async Task<List<TItem>> ReadPagesAsync<TPage, TItem>(string path, Query query, Func<TPage, IReadOnlyList<TItem>?> items,
        Func<TPage, string?> cursorOf, int? maxResults, CancellationToken ct)
    {
        var all = new List<TItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        int pageSize = Math.Clamp(_options.PageSize, 1, 1000);
        while (true)
        {
            int limit = maxResults is { } m ? Math.Min(pageSize, Math.Max(1, m - all.Count)) : pageSize;
            var page = await ReadAsync<TPage>(path + query.With("limit", limit).With("cursor", cursor), ct).ConfigureAwait(false);
            all.AddRange(items(page) ?? []);
            cursor = cursorOf(page);
            if (string.IsNullOrEmpty(cursor) || (maxResults is { } max && all.Count >= max)) break;
            if (!seen.Add(cursor))
                throw new KalshiApiException(new KalshiError(200, "pagination_loop", $"the exchange returned cursor '{cursor}' twice"), "GET " + path);
        }
        if (maxResults is { } cap && all.Count > cap) all.RemoveRange(cap, all.Count - cap);
        return all;
    }

    private async Task<WriteOutcome<T>> WriteAsync<TDto, T>(HttpMethod method, string pathAndQuery, object? body, int items,
        Func<TDto, T> map, string what, CancellationToken ct, bool noContent = false)
    {
        byte[]? bytes = body is null ? null : KalshiJson.SerializeToUtf8Bytes(body);
        var bucket = RateLimiter.Write;
        int max = Math.Max(1, _options.Retry.MaxAttempts);
        for (int attempt = 1; ; attempt++)
        {
            bool sent = false;
            Answer answer;
            try
            {
                answer = await SendOnceAsync(method, pathAndQuery, bytes, items, () => sent = true, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (NotSent(e))
            {
                if (attempt >= max)
                    return new WriteOutcome<T>.Ambiguous($"{what}: the exchange could not be reached ({Describe(e)}); nothing was sent", e);
                _log.LogWarning("{Write}: {Problem} before sending; retry {Attempt} of {Max}", what, Describe(e), attempt, max - 1);
                await DelayAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or AttemptTimeoutException or IOException)
            {
                _log.LogWarning("{Write}: {Problem}; outcome unknown", what, Describe(e));
                return new WriteOutcome<T>.Ambiguous($"{what}: {Describe(e)}", e);
            }
            catch (OperationCanceledException e) when (sent && ct.IsCancellationRequested)
            {
                return new WriteOutcome<T>.Ambiguous($"{what}: canceled by the caller after the request was sent", e);
            }

            if (answer.Status is >= 200 and < 300)
            {
                bucket.OnSuccess();
                if (noContent) return new WriteOutcome<T>.Accepted(map(default!));
                try
                {
                    return new WriteOutcome<T>.Accepted(map(KalshiJson.Deserialize<TDto>(answer.Body)));
                }
                catch (KalshiWireException e)
                {
                    _log.LogError("{Write}: HTTP {Status} but the answer cannot be read: {Problem}", what, answer.Status, e.Message);
                    return new WriteOutcome<T>.Ambiguous($"{what}: HTTP {answer.Status} but the answer cannot be read: {e.Message}", e);
                }
            }

            var error = KalshiErrorBody.Parse(answer.Status, answer.Body);
            if (answer.Status == 429)
            {
                bucket.OnRateLimited();
                if (attempt >= max) return new WriteOutcome<T>.Refused(error);
                _log.LogWarning("{Write}: rate limited (429); retry {Attempt} of {Max}", what, attempt, max - 1);
                await DelayAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            if (answer.Status >= 500)
            {
                _log.LogWarning("{Write}: {Error}; outcome unknown", what, error);
                return new WriteOutcome<T>.Ambiguous($"{what}: {error}");
            }
            _log.LogInformation("{Write}: refused, {Error}", what, error);
            return new WriteOutcome<T>.Refused(error);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        AttemptTimeoutException t => t.Message,
        HttpRequestException h when h.HttpRequestError != HttpRequestError.Unknown => $"{h.HttpRequestError}: {h.Message}",
        _ => e.Message,
    };

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>An immutable query string builder; null values are left out.</summary>
    private sealed class Query
    {
        private readonly List<(string Name, string Value)> _pairs = [];

        public Query Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) _pairs.Add((name, value));
            return this;
        }

        public Query Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

        public Query With(string name, string? value)
        {
            var copy = new Query();
            copy._pairs.AddRange(_pairs);
            return copy.Add(name, value);
        }

        public Query With(string name, long? value) => With(name, value?.ToString(CultureInfo.InvariantCulture));

        public override string ToString()
        {
            if (_pairs.Count == 0) return "";
            var sb = new StringBuilder("?");
            foreach (var (name, value) in _pairs)
            {
                if (sb.Length > 1) sb.Append('&');
                sb.Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
            return sb.ToString();
        }

        public static string operator +(string path, Query q) => path + q.ToString();
    }
}
