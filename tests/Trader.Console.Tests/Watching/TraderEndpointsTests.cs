using System.Text.Json;
using System.Text.RegularExpressions;
using Trader.Actors.Coordinator;
using Trader.Console.Watching;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Status;
using Trader.Exchange.Server.Faults;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;

namespace Trader.Console.Tests.Watching;

/// <summary>The endpoints of a running trader (the simulated exchange behind it), over a real loopback socket.</summary>
public sealed partial class TraderEndpointsTests
{
    /// <summary>JSON keys whose values are money: always an exact decimal string (or null), never a number.</summary>
    private static readonly HashSet<string> MoneyKeys =
    [
        "cash", "portfolio_value", "available", "reserved", "cost_basis", "realized_pnl", "fees_paid", "net_realized_pnl", "unrealized_pnl",
        "market_value", "realized", "unrealized", "fees", "net",
    ];

    /// <summary>A counterparty rests a bid at 0.45 and an ask at 0.55 (10 each) in the first market before the trader starts.</summary>
    private static async Task MakeMarket(Trader.Exchange.Server.SimulatedExchangeServer sim, IReadOnlyList<string> markets)
    {
        using var maker = sim.AddUser(Money.FromDollars(1000));
        using var client = new KalshiRestClient(new KalshiClientOptions { Environment = sim.Environment, Credentials = maker.Credentials });
        foreach (var (side, price) in new[] { (BookSide.Bid, "0.45"), (BookSide.Ask, "0.55") })
        {
            var outcome = await client.CreateOrderAsync(new CreateOrderRequest(markets[0], Guid.NewGuid().ToString(), side, Price.Parse(price), Quantity.FromContracts(10)));
            Assert.True(outcome is WriteOutcome<OrderAck>.Accepted, outcome.ToString());
        }
    }

    [Fact]
    public async Task Status_serves_state_balances_positions_orders_books_decisions_and_history_with_money_as_strings()
    {
        await using var trader = await RunningTrader.StartAsync(MakeMarket);
        string market = trader.Markets[0], other = trader.Markets[1];
        await trader.UntilReadyAsync();
        // Both books live before acting, so that the position is valued at the mid.
        await trader.UntilAsync("/status", (_, body) => body.Contains("\"status\": \"connected\""), "market data connected");

        Assert.Equal(ActionOutcome.Placed, (await trader.ActAsync("manual-1", market, OrderIntent.BuyYes, "0.55", 4)).Outcome); // takes 4 of the ask
        Assert.Equal(ActionOutcome.Placed, (await trader.ActAsync("manual-2", market, OrderIntent.BuyYes, "0.40", 3)).Outcome); // rests
        await trader.UntilAsync("/status", (_, body) =>
        {
            using var d = JsonDocument.Parse(body);
            var r = d.RootElement;
            return r.GetProperty("positions").GetArrayLength() == 1 && r.GetProperty("open_orders").GetArrayLength() == 1
                && r.GetProperty("market_data").GetProperty("markets")[0].GetProperty("best_ask").GetProperty("size").GetString() == "6.00"
                && r.GetProperty("market_data").GetProperty("markets")[0].GetProperty("best_bid").GetProperty("price").GetString() == "0.4500";
        }, "the fill, the resting order and the book");

        using var response = await trader.Http.GetAsync("/status");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal("ready", root.GetProperty("state").GetString());
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("time_in_state_seconds").ValueKind);
        Assert.True(root.GetProperty("calibrations").GetInt32() >= 1);
        Assert.Empty(root.GetProperty("unavailable").EnumerateArray());

        var balances = root.GetProperty("balances");
        Assert.True(Money.Parse(balances.GetProperty("portfolio_value").GetString()!) >= Money.Zero);
        Assert.True(Money.Parse(balances.GetProperty("cash").GetString()!) < Money.FromDollars(1000)); // 4 × 0.55 + fee spent

        var position = root.GetProperty("positions")[0];
        Assert.Equal(market, position.GetProperty("ticker").GetString());
        Assert.Equal("4.00", position.GetProperty("contracts").GetString());
        Assert.Equal("yes", position.GetProperty("side").GetString());
        Assert.Equal("2.200000", position.GetProperty("cost_basis").GetString());
        Assert.Equal("0.5000", position.GetProperty("mark").GetString());            // mid of 0.45 / 0.55
        Assert.Equal("-0.200000", position.GetProperty("unrealized_pnl").GetString()); // 4 × 0.50 − 2.20
        Assert.True(Money.Parse(position.GetProperty("fees_paid").GetString()!).IsPositive);
        Assert.Equal("-0.200000", root.GetProperty("pnl").GetProperty("unrealized").GetString());

        var order = root.GetProperty("open_orders")[0];
        Assert.Equal(market, order.GetProperty("ticker").GetString());
        Assert.Equal("buy_yes", order.GetProperty("intent").GetString());
        Assert.Equal("0.4000", order.GetProperty("price").GetString());
        Assert.Equal("3.00", order.GetProperty("count").GetString());
        Assert.Equal("accepted", order.GetProperty("status").GetString());

        var marketData = root.GetProperty("market_data");
        Assert.Equal("connected", marketData.GetProperty("status").GetString());
        Assert.Contains(marketData.GetProperty("streams").EnumerateArray(), s => s.GetProperty("name").GetString() == "orderbook" && s.GetProperty("connected").GetBoolean());
        var books = marketData.GetProperty("markets").EnumerateArray().ToList();
        Assert.Equal([market, other], books.Select(b => b.GetProperty("ticker").GetString()));
        var book = books[0];
        Assert.Equal("live", book.GetProperty("book").GetString());
        Assert.False(book.GetProperty("stale").GetBoolean());
        Assert.Equal("0.5500", book.GetProperty("best_ask").GetProperty("price").GetString());
        Assert.Equal("0.1000", book.GetProperty("spread").GetString());
        Assert.Equal(JsonValueKind.Number, book.GetProperty("age_seconds").ValueKind);
        var actions = book.GetProperty("last_actions").EnumerateArray().ToList();
        Assert.Equal(["manual-2", "manual-1"], actions.Select(a => a.GetProperty("decision_id").GetString()));
        Assert.All(actions, a => Assert.Equal("placed", a.GetProperty("outcome").GetString()));
        Assert.Equal("live", books[1].GetProperty("book").GetString()); // an empty book is live too
        Assert.Equal(JsonValueKind.Null, books[1].GetProperty("best_bid").ValueKind);

        var decisions = root.GetProperty("decisions");
        Assert.Equal("hold", decisions.GetProperty("policy").GetString());
        Assert.Equal(JsonValueKind.Number, decisions.GetProperty("decisions").ValueKind);
        Assert.Equal(JsonValueKind.Object, decisions.GetProperty("skipped").ValueKind);

        Assert.Equal(2, root.GetProperty("counters").GetProperty("orders").GetProperty("placed").GetInt64());
        Assert.True(root.GetProperty("counters").GetProperty("fills").GetInt64() >= 1);

        var log = root.GetProperty("status_log");
        Assert.Equal("ready", log.GetProperty("current_state").GetString());
        var history = log.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("calibrating", history[0].GetProperty("status").GetString());
        Assert.Contains(history, e => e.GetProperty("status").GetString() == "ready");
        Assert.Equal(trader.StatusLog.Current.Entries.Count, history.Count);

        AssertMoneyIsText(root);
    }

    private static void AssertMoneyIsText(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (MoneyKeys.Contains(p.Name))
                    {
                        Assert.True(p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null, $"{path}.{p.Name} is {p.Value.ValueKind}");
                        if (p.Value.ValueKind == JsonValueKind.String) Assert.Equal(p.Value.GetString(), Money.Parse(p.Value.GetString()!).ToWireString());
                    }
                    AssertMoneyIsText(p.Value, $"{path}.{p.Name}");
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray()) AssertMoneyIsText(item, $"{path}[{i++}]");
                break;
        }
    }

    [Fact]
    public async Task Status_txt_healthz_and_metrics()
    {
        await using var trader = await RunningTrader.StartAsync(MakeMarket);
        await trader.UntilReadyAsync();
        Assert.Equal(ActionOutcome.Placed, (await trader.ActAsync("manual-1", trader.Markets[0], OrderIntent.BuyYes, "0.55", 2)).Outcome);

        using (var text = await trader.Http.GetAsync("/status.txt"))
        {
            Assert.Equal("text/plain; charset=utf-8", text.Content.Headers.ContentType!.ToString());
            var body = await text.Content.ReadAsStringAsync();
            Assert.Equal(StatusText.Format(trader.StatusLog.Current.Entries, TimeZoneInfo.Utc) + "\n", body);
            var lines = body.TrimEnd('\n').Split('\n');
            Assert.All(lines, l => Assert.Matches(StatusLine(), l));
            Assert.Contains(" ready cash $", lines[0]); // newest first
            Assert.EndsWith(" calibrating startup", lines[^1]);
        }

        using (var health = await trader.Http.GetAsync("/healthz"))
        {
            Assert.Equal(200, (int)health.StatusCode);
            Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        }

        // The fill arrives with the next fill poll.
        await trader.UntilAsync("/metrics", (_, body) => body.Contains("\ntrader_fills_total 1\n"), "the fill counted");
        using var metrics = await trader.Http.GetAsync("/metrics");
        Assert.Equal(TraderEndpoints.PrometheusContentType, metrics.Content.Headers.ContentType!.ToString());
        var families = PrometheusText.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal("counter", families["trader_orders_total"].Type);
        Assert.Equal(1, families["trader_orders_total"].Samples.Single(s => s.Labels["outcome"] == "placed").Value);
        Assert.Equal(1, families["trader_fills_total"].Samples.Single().Value);
        Assert.Equal("histogram", families["trader_decision_latency_seconds"].Type);
        Assert.Equal(1, families["trader_state"].Samples.Single(s => s.Labels["state"] == "ready").Value);
        Assert.Equal(0, families["trader_state"].Samples.Single(s => s.Labels["state"] == "error").Value);
        Assert.True(families["trader_calibrations_total"].Samples.Single(s => s.Labels["result"] == "ok").Value >= 1);
        Assert.Equal(1, families["trader_stream_connected"].Samples.Single(s => s.Labels["stream"] == "orderbook").Value);
        foreach (var name in new[] { "trader_decisions_total", "trader_actions_total", "trader_decision_skips_total", "trader_stream_reconnects_total",
                     "trader_orderbook_gaps_total", "trader_child_restarts_total", "trader_stale_markets" })
            Assert.True(families.ContainsKey(name), name);
        Assert.All(families.Values, f => Assert.False(string.IsNullOrWhiteSpace(f.Help), f.Name));
    }

    [Fact]
    public async Task Readiness_follows_the_coordinator_ready_then_error_while_the_exchange_fails_then_ready_again()
    {
        await using var trader = await RunningTrader.StartAsync();
        await trader.UntilAsync("/readyz", (r, body) => (int)r.StatusCode == 200 && body == "ready: ready\n", "ready");

        trader.Sim.Faults.Apply(new FaultSettings { Rest = [new RestFaultRule("/exchange/status", 503, "GET", Times: -1)] });
        (await trader.CoordinatorAsync()).Tell(new Recalibrate("test: exchange down"), Akka.Actor.ActorRefs.NoSender);
        await trader.UntilAsync("/readyz", (r, body) => (int)r.StatusCode == 503 && body.StartsWith("not ready: error (", StringComparison.Ordinal), "not ready");
        using (var status = await trader.Http.GetAsync("/status"))
        {
            using var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync());
            var state = json.RootElement.GetProperty("state").GetString();
            // It retries every 200 ms to 1 s: the snapshot may catch it calibrating again.
            Assert.Contains(state, new[] { "error", "calibrating" });
            Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        }

        trader.Sim.Faults.Clear();
        await trader.UntilAsync("/readyz", (r, body) => (int)r.StatusCode == 200 && body == "ready: ready\n", "ready again");
        Assert.Contains(trader.StatusLog.Current.Entries, e => e.Status == "error");
    }

    [GeneratedRegex(@"^\d{1,2}:\d{2}:\d{2} (AM|PM) \S")]
    private static partial Regex StatusLine();
}
