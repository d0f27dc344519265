using System.Text.Json;
using Trader.Core.Orders;
using Trader.Exchange.Server.Rest;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Api;
using static Trader.Exchange.Server.Tests.RestEndpointTests;

namespace Trader.Exchange.Server.Tests;

/// <summary>Cursors and limits as Kalshi's (kalshi-api.md §3.1, §9.10).</summary>
public sealed class PaginationTests
{
    private static (List<string> Ids, string Cursor) Page(string body, string list, string key)
    {
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty(list).EnumerateArray().Select(e => e.GetProperty(key).GetString()!).ToList(),
            doc.RootElement.GetProperty("cursor").GetString()!);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_an_empty_one_and_the_client_reads_every_item_once()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.Client(pageSize: 7);
        var placed = new List<string>();
        for (int i = 0; i < 25; i++) placed.Add(Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.1000", 1))).OrderId);

        var all = await client.GetOrdersAsync(new OrderQuery());
        Assert.Equal(placed.Order(), all.Select(o => o.OrderId).Order());

        var seen = new List<string>();
        string cursor = "";
        int pages = 0;
        do
        {
            var (status, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=10" + (cursor.Length > 0 ? "&cursor=" + cursor : ""));
            Assert.Equal(200, status);
            var (ids, next) = Page(body, "orders", "order_id");
            seen.AddRange(ids);
            cursor = next;
            pages++;
        }
        while (cursor.Length > 0);
        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(25, seen.Count);

        // The last page says so with "cursor":"" — present and empty.
        var (_, lastBody) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=1000");
        Assert.Equal("", JsonDocument.Parse(lastBody).RootElement.GetProperty("cursor").GetString());
    }

    [Fact]
    public async Task A_list_that_grows_at_its_head_between_pages_repeats_nothing()
    {
        await using var sim = await Sim.StartAsync();
        var client = sim.Client();
        for (int i = 0; i < 12; i++) Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.1000", 1)));
        var (_, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=5");
        var (first, cursor) = Page(body, "orders", "order_id");
        for (int i = 0; i < 3; i++) Accepted(await client.CreateOrderAsync(Order(BookSide.Bid, "0.1100", 1))); // newest first: they go to the head
        (_, body) = await sim.SendAsync(HttpMethod.Get, "/portfolio/orders?limit=100&cursor=" + cursor);
        var (rest, last) = Page(body, "orders", "order_id");
        Assert.Equal("", last);
        Assert.Empty(first.Intersect(rest));
        Assert.Equal(12, first.Count + rest.Count);
    }

    [Fact]
    public async Task A_garbage_cursor_is_not_an_error_it_answers_data()
    {
        await using var sim = await Sim.StartAsync();
        var (status, body) = await sim.SendAsync(HttpMethod.Get, "/markets?cursor=garbage-cursor-fixture&limit=2");
        Assert.Equal(200, status);
        var (tickers, cursor) = Page(body, "markets", "ticker");
        Assert.Equal(2, tickers.Count);
        Assert.NotEqual("", cursor);
    }

    [Fact]
    public void Pagination_is_pure_and_stable()
    {
        var items = Enumerable.Range(0, 10).Select(i => $"k{i}").ToList();
        var p1 = Pagination.Take(items, x => x, null, 4);
        Assert.Equal(["k0", "k1", "k2", "k3"], p1.Items);
        var p2 = Pagination.Take(items, x => x, p1.Cursor, 4);
        Assert.Equal(["k4", "k5", "k6", "k7"], p2.Items);
        var p3 = Pagination.Take(items, x => x, p2.Cursor, 4);
        Assert.Equal(["k8", "k9"], p3.Items);
        Assert.Equal("", p3.Cursor);
        // Items added at the head do not shift the next page.
        items.InsertRange(0, ["n1", "n2"]);
        Assert.Equal(["k4", "k5", "k6", "k7"], Pagination.Take(items, x => x, p1.Cursor, 4).Items);
        // The item a cursor names is gone: the cursor falls back to its index (4, in the list as it is now).
        items.Remove("k3");
        Assert.Equal(["k2", "k4", "k5", "k6"], Pagination.Take(items, x => x, p1.Cursor, 4).Items);
        Assert.Equal(["n1", "n2"], Pagination.Take(items, x => x, "%%%", 2).Items); // garbage: from the start
        Assert.Equal(100, Pagination.ParseLimit(null, "GetX"));
        Assert.Throws<ApiRefusal>(() => Pagination.ParseLimit("1001", "GetX"));
    }
}
