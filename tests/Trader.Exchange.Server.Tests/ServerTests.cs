using System.Net;
using System.Text.Json;
using Trader.Core.Numbers;
using Trader.Exchange.Server.Auth;
using Trader.Exchange.Server.Faults;
using Trader.Exchange.Server.Rest;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using Trader.Kalshi.Signing;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>The in-process API, the demo key, the control endpoint, and the server's pure parts.</summary>
public sealed class ServerTests
{
    [Fact]
    public async Task Start_reports_its_urls_and_a_demo_key_written_owner_only_and_reused_on_the_next_start()
    {
        string dir = Path.Combine(Directory.CreateTempSubdirectory("sim-keys-").FullName, "keys");
        try
        {
            string keyId;
            await using (var sim = await Sim.StartAsync(o => o with { KeyDirectory = dir }))
            {
                var server = sim.Server;
                Assert.Equal("127.0.0.1", server.Root.Host);
                Assert.NotEqual(0, server.Root.Port);
                Assert.Equal($"http://127.0.0.1:{server.Root.Port}/trade-api/v2", server.RestBase.AbsoluteUri);
                Assert.Equal($"ws://127.0.0.1:{server.Root.Port}/trade-api/ws/v2", server.WebSocketUrl.AbsoluteUri);
                keyId = server.DemoKey.KeyId;
                Assert.True(Guid.TryParse(keyId, out _));
                Assert.Equal(Path.Combine(dir, DemoKey.PemFileName), server.DemoKey.PrivateKeyPath);
                Assert.False(server.DemoKey.Reused);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.DemoKey.PrivateKeyPath!));
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
                }
                Assert.DoesNotContain("PRIVATE", server.DemoKey.ToString());

                // The file is what a user hands to a Kalshi client.
                using var fromFile = KalshiCredentials.FromFile(keyId, server.DemoKey.PrivateKeyPath!);
                Assert.Equal(Money.FromDollars(1000), (await sim.Client(fromFile).GetBalanceAsync()).Cash);

                var info = await sim.Control.InfoAsync();
                Assert.Equal((server.RestBase.AbsoluteUri, keyId, server.DemoKey.PrivateKeyPath, server.DemoUserId),
                    (info.RestBase, info.DemoKeyId, info.DemoKeyFile, info.DemoUserId));
            }
            await using (var again = await Sim.StartAsync(o => o with { KeyDirectory = dir }))
            {
                Assert.Equal(keyId, again.Server.DemoKey.KeyId);
                Assert.True(again.Server.DemoKey.Reused);
                await again.Client().GetBalanceAsync();
            }
            File.Delete(Path.Combine(dir, DemoKey.IdFileName));
            var e = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedExchangeServer.StartAsync(Sim.DefaultOptions with { KeyDirectory = dir }));
            Assert.Contains(DemoKey.PemFileName, e.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_options_are_refused_with_a_message_naming_the_setting()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedExchangeServer.StartAsync(Sim.DefaultOptions with { MarketsFile = "/no/such/markets.json" }));
        Assert.Contains("/no/such/markets.json", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedExchangeServer.StartAsync(Sim.DefaultOptions with { Port = 70000 }));
        Assert.Contains("70000", e.Message);
    }

    [Fact]
    public async Task A_market_file_lists_its_markets()
    {
        string file = Path.Combine(AppContext.BaseDirectory, "markets.example.json");
        Assert.True(File.Exists(file), "docs/markets.example.json is copied next to the tests");
        await using var sim = await Sim.StartAsync(o => o with { MarketsFile = file });
        var markets = await sim.Client().GetMarketsAsync(new MarketQuery());
        Assert.NotEmpty(markets);
        Assert.DoesNotContain(markets, m => m.Ticker == Ticker);
    }

    [Fact]
    public async Task The_control_endpoint_drives_faults_funds_markets_and_the_agents()
    {
        await using var sim = await Sim.StartAsync(o => o with { LiquidityInterval = TimeSpan.FromHours(1) });
        var faults = await sim.Control.SetFaultsAsync(new FaultSettings { LatencyMs = 5, Rest = [new RestFaultRule("/markets", 500, Times: 3)] });
        Assert.Equal(5, faults.LatencyMs);
        Assert.Equal(3, Assert.Single(faults.Rest!).Times);
        faults = await sim.Control.SetFaultsAsync(new FaultSettings { SkipSequence = 2 });
        Assert.Equal((5, 2), (faults.LatencyMs, faults.SkipSequence)); // a post changes only what it names
        faults = await sim.Control.ClearFaultsAsync();
        Assert.Equal((0, 0), (faults.LatencyMs, faults.SkipSequence));
        Assert.Empty(faults.Rest!);

        using var http = new HttpClient { BaseAddress = sim.Server.Root };
        var bad = await http.PostAsync("/_control/faults", new StringContent("""{"latency":5}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("latency", await bad.Content.ReadAsStringAsync());
        bad = await http.PostAsync("/_control/faults", new StringContent("""{"rest":[{"path":"/markets","status":200}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var raw = await http.PostAsync("/_control/faults", new StringContent("""{"websocket_upgrade_503":2,"clock_skew_ms":-1500}"""));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        using (var echoed = JsonDocument.Parse(await raw.Content.ReadAsStringAsync()))
            Assert.Equal(2, echoed.RootElement.GetProperty("websocket_upgrade_503").GetInt32());
        Assert.Equal(TimeSpan.FromMilliseconds(-1500), sim.Server.Faults.ClockSkew);
        await sim.Control.ClearFaultsAsync();

        var user = sim.User(5m);
        Assert.Equal(Money.FromDollars(105), await sim.Control.DepositAsync(user.UserId, Money.FromDollars(100)));
        Assert.Equal(Money.FromDollars(105), (await sim.Client(user.Credentials).GetBalanceAsync()).Cash);

        Assert.Equal("inactive", (await sim.Control.PauseMarketAsync(Ticker)).Status);
        Assert.Equal("active", (await sim.Control.ResumeMarketAsync(Ticker)).Status);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => sim.Control.SettleMarketAsync(Ticker));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpRequestException>(() => sim.Control.CloseMarketAsync("NOPE"))).StatusCode);

        Assert.Equal(10, await sim.Control.StepLiquidityAsync(10));
        Assert.NotEmpty(await sim.Client().GetTradesAsync(Ticker));
        Assert.True((await sim.Control.GetLedgerAsync()).Balanced);
        Assert.NotEmpty(sim.Server.AgentUserIds);
    }

    [Fact]
    public void The_control_endpoint_is_for_this_machine_only()
    {
        Assert.True(Control.ControlApi.IsLocal(IPAddress.Loopback));
        Assert.True(Control.ControlApi.IsLocal(IPAddress.IPv6Loopback));
        Assert.True(Control.ControlApi.IsLocal(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(Control.ControlApi.IsLocal(IPAddress.Parse("127.0.0.2")));
        Assert.False(Control.ControlApi.IsLocal(IPAddress.Parse("10.0.0.7")));
        Assert.False(Control.ControlApi.IsLocal(IPAddress.Parse("::ffff:192.168.1.4")));
        Assert.False(Control.ControlApi.IsLocal(null));
    }

    [Fact]
    public void The_authenticator_checks_headers_key_window_and_signature_in_that_order()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var keys = new ApiKeyRegistry();
        var pub = System.Security.Cryptography.RSA.Create();
        pub.ImportParameters(rsa.ExportParameters(false));
        keys.Register(new ApiKey("k1", "u1", pub));
        using var credentials = new KalshiCredentials("k1", rsa);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_703_123_456_789);
        var window = TimeSpan.FromSeconds(10);
        AuthOutcome Check(long ts, string? keyId = "k1", string path = "/trade-api/v2/portfolio/balance")
        {
            var h = credentials.Sign("GET", "/trade-api/v2/portfolio/balance", ts);
            return RequestAuthenticator.Authenticate(keys, "GET", path, keyId, h.TimestampMs, h.Signature, now, window);
        }

        Assert.Equal("u1", Check(now.ToUnixTimeMilliseconds()).Key!.UserId);
        Assert.True(Check(now.ToUnixTimeMilliseconds(), path: "/trade-api/v2/portfolio/balance?x=1").IsAuthenticated); // the query is not signed
        Assert.True(Check(now.AddSeconds(-10).ToUnixTimeMilliseconds()).IsAuthenticated);
        Assert.Same(RequestAuthenticator.TimestampExpired, Check(now.AddSeconds(-10.001).ToUnixTimeMilliseconds()).Error);
        Assert.Same(RequestAuthenticator.TimestampExpired, Check(now.AddSeconds(30).ToUnixTimeMilliseconds()).Error);
        Assert.Same(RequestAuthenticator.UnknownKey, Check(now.AddSeconds(30).ToUnixTimeMilliseconds(), keyId: "k2").Error);
        Assert.Same(RequestAuthenticator.MissingSignature, Check(now.ToUnixTimeMilliseconds(), keyId: null).Error);
        Assert.Same(RequestAuthenticator.BadSignature, Check(now.ToUnixTimeMilliseconds(), path: "/trade-api/v2/portfolio/orders").Error);
        Assert.Same(RequestAuthenticator.TimestampExpired,
            RequestAuthenticator.Authenticate(keys, "GET", "/x", "k1", "1703123456.789", "sig", now, window).Error);
    }

    [Fact]
    public void Fault_rules_match_paths_and_count_down()
    {
        Assert.True(FaultInjector.PathMatches("/portfolio/events/orders", "/portfolio/events/orders"));
        Assert.True(FaultInjector.PathMatches("/trade-api/v2/portfolio/events/orders", "/portfolio/events/orders"));
        Assert.True(FaultInjector.PathMatches("/markets/*/orderbook", "/markets/ABC/orderbook"));
        Assert.True(FaultInjector.PathMatches("/portfolio/events/orders/{order_id}", "/portfolio/events/orders/42"));
        Assert.False(FaultInjector.PathMatches("/markets/*", "/markets/ABC/orderbook"));
        Assert.False(FaultInjector.PathMatches("/portfolio/orders", "/portfolio/events/orders"));

        var faults = new FaultInjector();
        faults.Apply(new FaultSettings
        {
            Rest = [new RestFaultRule("/markets", 503, "GET", Times: 2), new RestFaultRule("/portfolio/events/orders", 0, AfterExecute: true)],
            SkipSequence = -1,
            WebsocketDropEverySeconds = 30,
        });
        Assert.Null(faults.TryMatchRest("POST", "/markets", afterExecute: false));
        Assert.Null(faults.TryMatchRest("GET", "/markets", afterExecute: true));
        Assert.NotNull(faults.TryMatchRest("GET", "/markets", afterExecute: false));
        Assert.NotNull(faults.TryMatchRest("get", "/markets", afterExecute: false));
        Assert.Null(faults.TryMatchRest("GET", "/markets", afterExecute: false));
        Assert.Null(faults.TryMatchRest("POST", "/portfolio/events/orders", afterExecute: false));
        Assert.Equal(0, faults.TryMatchRest("POST", "/portfolio/events/orders", afterExecute: true)!.Status);
        Assert.True(faults.TrySkipSequence());
        Assert.True(faults.TrySkipSequence()); // −1: every time
        Assert.Equal(TimeSpan.FromSeconds(30), faults.DropEvery);
        Assert.False(faults.TryRefuseUpgrade());
        Assert.True(faults.WhenSendAllowed().IsCompleted);
        faults.Apply(new FaultSettings { WebsocketStall = true });
        var waiting = faults.WhenSendAllowed();
        Assert.False(waiting.IsCompleted);
        faults.Clear();
        Assert.True(waiting.IsCompleted);
        Assert.Throws<ArgumentException>(() => FaultSettings.Parse("""{"skip_sequence":-2}"""u8));
        Assert.Throws<ArgumentException>(() => FaultSettings.Parse("""{"rest":[{"path":"/x","status":0,"times":0}]}"""u8));
    }

    [Fact]
    public void Server_token_buckets_refill_with_time_and_bill_batches_per_item()
    {
        var time = new ManualTime();
        var limiter = new ServerRateLimiter(new AccountLimits("basic", 200, 200, 100, 100), time);
        for (int i = 0; i < 20; i++) Assert.True(limiter.TryTake("k", "GET", "/trade-api/v2/portfolio/balance"));
        Assert.False(limiter.TryTake("k", "GET", "/trade-api/v2/portfolio/balance"));
        Assert.True(limiter.TryTake("other", "GET", "/trade-api/v2/portfolio/balance"));
        time.Advance(TimeSpan.FromMilliseconds(50)); // 10 tokens
        Assert.True(limiter.TryTake("k", "GET", "/trade-api/v2/portfolio/balance"));
        Assert.False(limiter.TryTake("k", "GET", "/trade-api/v2/portfolio/balance"));

        // Writes: a V2 cancel costs 2; a batch of 20 creates (200 tokens) exceeds the bucket and goes through only when it is full.
        for (int i = 0; i < 50; i++) Assert.True(limiter.TryTake("w", "DELETE", "/trade-api/v2/portfolio/events/orders/abc"));
        Assert.False(limiter.TryTake("w", "DELETE", "/trade-api/v2/portfolio/events/orders/abc"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryTake("w", "POST", "/trade-api/v2/portfolio/events/orders/batched", items: 20));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryTake("w", "POST", "/trade-api/v2/portfolio/events/orders", items: 1)); // still paying the debt
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(limiter.TryTake("w", "POST", "/trade-api/v2/portfolio/events/orders"));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => 1_000_000_000;
    }
}
