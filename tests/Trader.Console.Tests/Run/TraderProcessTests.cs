using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trader.Console.Run;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Server;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;

namespace Trader.Console.Tests.Run;

/// <summary>
/// The trader as a real process (<c>dotnet trader.dll run …</c>) against a simulated exchange in the test: SIGTERM stops
/// it with exit code 0 and no resting order left on the exchange; SIGKILL mid-trading and a fresh start leave it agreeing
/// with the exchange, with no order placed twice. POSIX signals: these run where the trader is deployed (Linux).
/// </summary>
public sealed partial class TraderProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Market = "KXHIGHNY-26DEC01-B45.5";
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-process-").FullName;
    private SimulatedExchangeServer _sim = null!;
    private KalshiRestClient _account = null!;

    public async Task InitializeAsync()
    {
        _sim = await SimulatedExchangeServer.StartAsync(new SimulatorOptions
        {
            Port = 0,
            KeyDirectory = Path.Combine(_dir, "sim"),
            LiquidityInterval = null, // the tests move the market themselves
            Seed = 11,
        });
        _account = new KalshiRestClient(new KalshiClientOptions { Environment = _sim.Environment, Credentials = _sim.DemoKey.CreateCredentials() });
    }

    public async Task DisposeAsync()
    {
        _account.Dispose();
        await _sim.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sigterm_stops_trading_cancels_resting_orders_and_exits_0()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // POSIX signals
        // Two orders of this account rest before the trader starts: it adopts them when it calibrates.
        await PlaceAsync(BookSide.Bid, "0.10", 3);
        await PlaceAsync(BookSide.Ask, "0.95", 2);
        Assert.Equal(2, (await RestingAsync()).Count);

        await using var trader = TraderProcess.Start(_dir, Args("hold"));
        await trader.Output.WaitForAsync("Orders: 2 on exchange").WaitAsync(Patience);
        await trader.Output.WaitForAsync("Trader status: ready").WaitAsync(Patience);

        trader.Signal(Sigterm);
        int code = await trader.ExitAsync(Patience);

        Assert.True(code == TraderRunner.Ok, $"exit {code}\n{trader.Output}\n{trader.Errors}");
        Assert.Contains("-> stopped - canceled 2 resting orders, 0 failed", trader.Output.ToString());
        Assert.Empty(await RestingAsync());
    }

    [Fact]
    public async Task Killed_mid_trading_and_started_again_it_agrees_with_the_exchange_and_places_nothing_twice()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        // One order of the trader's own rests from before; once it is trading, another user makes a tight book with
        // buying pressure (YES 0.50 × 200 bid, 0.52 × 20 offered), and the heuristic buys YES at 0.52.
        await PlaceAsync(BookSide.Bid, "0.10", 3);
        var other = _sim.AddUser(Money.FromDollars(1000));

        await using (var first = TraderProcess.Start(_dir, Args("heuristic")))
        {
            await first.Output.WaitForAsync("Trader status: ready").WaitAsync(Patience);
            _sim.Execute(x => x.CreateOrder(other.UserId, new CreateOrderRequest(Market, "other-bid", BookSide.Bid, Price.Parse("0.50"), Quantity.FromContracts(200))));
            _sim.Execute(x => x.CreateOrder(other.UserId, new CreateOrderRequest(Market, "other-ask", BookSide.Ask, Price.Parse("0.52"), Quantity.FromContracts(20))));
            await first.Output.WaitForAsync(" accepted, ").WaitAsync(Patience);
            first.Kill(); // SIGKILL: no shutdown, nothing canceled
            await first.ExitAsync(Patience);
        }
        var ordersAfterKill = await AllOrdersAsync();
        Assert.Contains(ordersAfterKill, o => o.Status == ExchangeOrderStatus.Resting);

        // Started again with a policy that never trades, so the state holds still while it is compared.
        await using var second = TraderProcess.Start(_dir, Args("hold"));
        await second.Output.WaitForAsync("Trader status: ready").WaitAsync(Patience);
        var url = StatusUrl().Match(second.Output.ToString()).Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var status = JsonDocument.Parse(await http.GetStringAsync("status"));
        var root = status.RootElement;

        var balance = await _account.GetBalanceAsync();
        Assert.Equal(balance.Cash, Money.Parse(root.GetProperty("balances").GetProperty("cash").GetString()!));
        var positions = (await _account.GetPositionsAsync()).Where(p => !p.Position.IsZero).ToDictionary(p => p.Ticker, p => p.Position);
        var traderPositions = root.GetProperty("positions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("ticker").GetString()!, p => Quantity.Parse(p.GetProperty("contracts").GetString()!));
        Assert.Equal(positions.OrderBy(p => p.Key), traderPositions.Where(p => !p.Value.IsZero).OrderBy(p => p.Key));
        var resting = (await RestingAsync()).Select(o => o.OrderId).Order().ToList();
        var traderOpen = root.GetProperty("open_orders").EnumerateArray().Select(o => o.GetProperty("order_id").GetString()!).Order().ToList();
        Assert.Equal(resting, traderOpen);

        // Nothing placed twice: the second trader placed nothing, and every order on the exchange has its own client id.
        var orders = await AllOrdersAsync();
        Assert.Equal(ordersAfterKill.Select(o => o.OrderId).Order(), orders.Select(o => o.OrderId).Order());
        Assert.Equal(orders.Count, orders.Select(o => o.ClientOrderId).Distinct().Count());
        Assert.DoesNotContain(" accepted, ", second.Output.ToString());
    }

    private string[] Args(string policy) =>
    [
        "run", "--env", _sim.Root.GetLeftPart(UriPartial.Authority), "--key-id", _sim.DemoKey.KeyId, "--key-file", _sim.DemoKey.PrivateKeyPath!,
        "--markets", Market, "--policy", policy, "--http-port", "0", "--no-live-view",
        "--set", "calibration.interval=10m", "--set", "decisions.throttle=100ms",
    ];

    private async Task PlaceAsync(BookSide side, string price, int count)
    {
        var outcome = await _account.CreateOrderAsync(new CreateOrderRequest(Market, Guid.NewGuid().ToString(), side, Price.Parse(price), Quantity.FromContracts(count)));
        Assert.IsType<WriteOutcome<OrderAck>.Accepted>(outcome);
    }

    private async Task<IReadOnlyList<ExchangeOrder>> RestingAsync() => await _account.GetOrdersAsync(new OrderQuery(Status: ExchangeOrderStatus.Resting));

    private async Task<IReadOnlyList<ExchangeOrder>> AllOrdersAsync() => await _account.GetOrdersAsync(new OrderQuery());

    private const int Sigterm = 15;

    [GeneratedRegex(@"Status endpoints on ""?(http://[^\s""]+)")]
    private static partial Regex StatusUrl();

    /// <summary>A <c>trader</c> process whose standard output and error are collected as they come.</summary>
    private sealed class TraderProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private TraderProcess(Process process) => _process = process;

        public WatchedWriter Output { get; } = new();
        public WatchedWriter Errors { get; } = new();

        public static TraderProcess Start(string home, string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trader.dll"));
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["HOME"] = home; // its data directory (logs, keys) inside the test's
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TRADER_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
            var process = Process.Start(start)!;
            var trader = new TraderProcess(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) trader.Output.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) trader.Errors.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return trader;
        }

        public void Signal(int signal) => Assert.Equal(0, kill(_process.Id, signal));

        public void Kill() => _process.Kill(entireProcessTree: true);

        public async Task<int> ExitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);
    }
}
