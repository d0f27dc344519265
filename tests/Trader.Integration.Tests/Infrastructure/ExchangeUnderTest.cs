using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Server;
using Trader.Exchange.Server.Control;
using Trader.Kalshi.Api;

namespace Trader.Integration.Tests.Infrastructure;

/// <summary>
/// The simulated Kalshi exchange for one test: its own server on 127.0.0.1 port 0 and its own key directory (the demo
/// key is written there as <c>trader sim</c> writes it, and the directory is deleted at the end). Kalshi's Basic
/// rate-limit tier is on, as for a real account. The liquidity agents are off unless the test asks for them; when on,
/// their timer is set far beyond any test so that only <see cref="SimulatedExchangeServer.StepLiquidity"/> moves them.
/// <para>
/// What the exchange holds is read straight from the engine (<see cref="SimulatedExchangeServer.Execute{T}"/>), so
/// the test's own checks neither spend the trader's rate-limit tokens nor go through the faults it injects.
/// </para>
/// </summary>
public sealed class ExchangeUnderTest : IAsyncDisposable
{
    /// <summary>Ticker the tests trade in: a 1¢ market with the standard fee schedule.</summary>
    public const string Ticker = "KXBTCD-26DEC01-T100000";

    /// <summary>A second 1¢ market.</summary>
    public const string OtherTicker = "KXNFLGAME-26NOV29KCBUF-KC";

    private readonly List<IDisposable> _owned = [];

    private ExchangeUnderTest(SimulatedExchangeServer server, string keyDirectory)
    {
        Server = server;
        KeyDirectory = keyDirectory;
        Control = new ExchangeControlClient(server.Root);
    }

    public SimulatedExchangeServer Server { get; }

    /// <summary>Where the demo key lives (<c>sim-demo-key.pem</c>, <c>sim-demo-key.id</c>).</summary>
    public string KeyDirectory { get; }

    /// <summary>The loopback control endpoint (faults, liquidity steps), as an operator would use it.</summary>
    public ExchangeControlClient Control { get; }

    /// <summary>The account the trader trades (the demo key's user).</summary>
    public string UserId => Server.DemoUserId;

    public static async Task<ExchangeUnderTest> StartAsync(bool liquidityAgents = false, Func<SimulatorOptions, SimulatorOptions>? configure = null)
    {
        string keys = Directory.CreateTempSubdirectory("trader-integration-").FullName;
        var options = new SimulatorOptions
        {
            Port = 0,
            KeyDirectory = keys,
            Seed = 11,
            ClockInterval = TimeSpan.FromMilliseconds(100),
            // The agents exist only when they have an interval; a day means "never by themselves" in a test.
            LiquidityInterval = liquidityAgents ? TimeSpan.FromDays(1) : null,
        };
        if (configure is not null) options = configure(options);
        try
        {
            return new ExchangeUnderTest(await SimulatedExchangeServer.StartAsync(options), keys);
        }
        catch
        {
            Directory.Delete(keys, recursive: true);
            throw;
        }
    }

    /// <summary>Another trader on the exchange (a counterparty), funded with <paramref name="dollars"/>.</summary>
    public SimulatedUser AddUser(decimal dollars = 10_000m)
    {
        var user = Server.AddUser(Money.FromDollars(dollars));
        _owned.Add(user);
        return user;
    }

    /// <summary>Places an order for <paramref name="userId"/> directly in the engine (its book events reach the WebSocket subscribers as usual).</summary>
    public OrderAck Place(string userId, BookSide side, string yesPrice, int contracts, string ticker = Ticker)
    {
        var request = new CreateOrderRequest(ticker, Guid.NewGuid().ToString(), side, Price.Parse(yesPrice), Quantity.FromContracts(contracts));
        var result = Server.Execute(x => x.CreateOrder(userId, request));
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"the exchange refused the test's order {request}: {result.Error}");
    }

    // ---- what the exchange holds for an account ----------------------------------------------------------------

    public AccountBalance Balance(string? userId = null) => Server.Execute(x => x.GetBalance(userId ?? UserId)).Value;

    /// <summary>The account's non-flat positions, by ticker.</summary>
    public IReadOnlyDictionary<string, ExchangePosition> Positions(string? userId = null) =>
        Server.Execute(x => x.GetPositions(userId ?? UserId, nonZeroOnly: true)).Value.ToDictionary(p => p.Ticker, StringComparer.Ordinal);

    /// <summary>Every order the account ever created (open and finished), newest first.</summary>
    public IReadOnlyList<ExchangeOrder> Orders(string? userId = null) => Server.Execute(x => x.GetOrders(userId ?? UserId)).Value;

    public IReadOnlyList<ExchangeOrder> RestingOrders(string? userId = null) =>
        Server.Execute(x => x.GetOrders(userId ?? UserId, new OrderQuery(Status: ExchangeOrderStatus.Resting))).Value;

    public IReadOnlyList<Fill> Fills(string? userId = null) => Server.Execute(x => x.GetFills(userId ?? UserId)).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _owned) d.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(KeyDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not worth failing a test for.
        }
    }
}
