using System.Net.Http.Headers;
using System.Text.Json;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Control;

/// <summary>
/// A client of the simulated exchange's control endpoint (<see cref="ControlApi"/>), for tests and tools that drive a
/// running <c>trader sim</c> from another process. A refusal throws <see cref="HttpRequestException"/> with the
/// status and the exchange's error body in the message.
/// </summary>
public sealed class ExchangeControlClient(Uri root, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
    {
        BaseAddress = new Uri(root.GetLeftPart(UriPartial.Authority)),
    };

    public Task<SimulatorInfoDto> InfoAsync(CancellationToken ct = default) => SendAsync<SimulatorInfoDto>(HttpMethod.Get, "info", null, ct);

    public Task<FaultSettings> GetFaultsAsync(CancellationToken ct = default) => SendAsync<FaultSettings>(HttpMethod.Get, "faults", null, ct);

    /// <summary>Changes the faults <paramref name="faults"/> has (REST rules are added); returns what is in force.</summary>
    public Task<FaultSettings> SetFaultsAsync(FaultSettings faults, CancellationToken ct = default) =>
        SendAsync<FaultSettings>(HttpMethod.Post, "faults", faults, ct);

    public Task<FaultSettings> ClearFaultsAsync(CancellationToken ct = default) => SendAsync<FaultSettings>(HttpMethod.Delete, "faults", null, ct);

    /// <summary>Drops every WebSocket connection; returns how many there were.</summary>
    public async Task<int> DropWebSocketsAsync(CancellationToken ct = default) =>
        (await SendAsync<DroppedDto>(HttpMethod.Post, "websockets/drop", null, ct).ConfigureAwait(false)).Dropped;

    public Task<MarketStateDto> PauseMarketAsync(string ticker, CancellationToken ct = default) => MarketAsync(ticker, "pause", null, ct);

    public Task<MarketStateDto> ResumeMarketAsync(string ticker, CancellationToken ct = default) => MarketAsync(ticker, "resume", null, ct);

    public Task<MarketStateDto> CloseMarketAsync(string ticker, CancellationToken ct = default) => MarketAsync(ticker, "close", null, ct);

    public Task<MarketStateDto> DetermineMarketAsync(string ticker, MarketResult result, CancellationToken ct = default) =>
        MarketAsync(ticker, "determine", new DetermineDto(result == MarketResult.Yes ? "yes" : "no"), ct);

    public Task<MarketStateDto> SettleMarketAsync(string ticker, CancellationToken ct = default) => MarketAsync(ticker, "settle", null, ct);

    /// <summary>Adds funds to a user's account; returns the available balance after.</summary>
    public async Task<Money> DepositAsync(string userId, Money amount, CancellationToken ct = default)
    {
        var answer = await SendAsync<BalanceDto>(HttpMethod.Post, $"users/{Uri.EscapeDataString(userId)}/deposit", new DepositDto(amount.ToWireString()), ct)
            .ConfigureAwait(false);
        return Money.Parse(answer.Balance);
    }

    /// <summary>Runs the liquidity agents <paramref name="steps"/> times.</summary>
    public async Task<int> StepLiquidityAsync(int steps, CancellationToken ct = default) =>
        (await SendAsync<StepDto>(HttpMethod.Post, "liquidity/step", new StepDto(steps), ct).ConfigureAwait(false)).Steps;

    public Task<LedgerDto> GetLedgerAsync(CancellationToken ct = default) => SendAsync<LedgerDto>(HttpMethod.Get, "ledger", null, ct);

    private async Task<MarketStateDto> MarketAsync(string ticker, string action, object? body, CancellationToken ct)
    {
        var answer = await SendRawAsync(HttpMethod.Post, $"markets/{Uri.EscapeDataString(ticker)}/{action}", body, ct).ConfigureAwait(false);
        return KalshiJson.Deserialize<MarketStateDto>(answer);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var answer = await SendRawAsync(method, path, body, ct).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(answer, ControlJson.Options)
            ?? throw new HttpRequestException($"{method} {ControlApi.Prefix}/{path}: the answer is JSON null");
    }

    private async Task<byte[]> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{ControlApi.Prefix}/{path}");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ControlJson.Options));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{method} {ControlApi.Prefix}/{path}: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}",
                null, response.StatusCode);
        return bytes;
    }

    public void Dispose() => _http.Dispose();
}
