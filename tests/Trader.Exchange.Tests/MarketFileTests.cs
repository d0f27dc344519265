using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Markets;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class MarketFileTests
{
    [Fact]
    public void A_market_file_gives_tickers_grid_fees_schedule_result_and_fair_value()
    {
        const string json = """
        {
          // comments are allowed
          "markets": [
            {
              "ticker": "KXHIGHNY-26DEC01-B45.5",
              "event_ticker": "KXHIGHNY-26DEC01",
              "title": "NYC high",
              "fee_type": "quadratic_with_maker_fees",
              "fee_multiplier": "0.5",
              "close_after_seconds": 3600,
              "determination_after_seconds": 4000,
              "settlement_timer_seconds": 30,
              "result": "no",
              "fair_value": "0.3500"
            },
            {
              "ticker": "KXGREENLAND-29",
              "event_ticker": "KXGREENLAND",
              "series_ticker": "KXGREENLAND",
              "price_level_structure": "tapered_deci_cent",
              "fee_multiplier": 1,
              "open_time": "2026-06-11T07:00:00Z",
              "close_time": "2026-06-12T07:00:00Z"
            },
            {
              "ticker": "KXCUSTOM-1",
              "event_ticker": "KXCUSTOM",
              "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0050"}],
              "close_after_seconds": 60
            }
          ]
        }
        """;
        var markets = MarketFile.Parse(json, Start);
        Assert.Equal(3, markets.Count);
        var ny = markets[0];
        Assert.Equal("KXHIGHNY", ny.SeriesTicker);
        Assert.Equal("NYC high", ny.Title);
        Assert.Same(TickGrid.LinearCent, ny.Grid);
        Assert.Equal(FeeType.QuadraticWithMakerFees, ny.Fees.Type);
        Assert.Equal(0.5m, ny.Fees.Multiplier);
        Assert.Equal(Start, ny.OpenTime);
        Assert.Equal(Start.AddHours(1), ny.CloseTime);
        Assert.Equal(Start.AddSeconds(4000), ny.DeterminationTime);
        Assert.Equal(TimeSpan.FromSeconds(30), ny.SettlementTimer);
        Assert.Equal(MarketResult.No, ny.Result);
        Assert.Equal(Price.Parse("0.3500"), ny.FairValue);
        var greenland = markets[1];
        Assert.Same(TickGrid.TaperedDeciCent, greenland.Grid);
        Assert.Equal(new DateTimeOffset(2026, 6, 11, 7, 0, 0, TimeSpan.Zero), greenland.OpenTime);
        Assert.Null(greenland.Result);
        Assert.True(markets[2].Grid.IsValidOrderPrice(Price.Parse("0.4950")));
        Assert.False(markets[2].Grid.IsValidOrderPrice(Price.Parse("0.4960")));

        var path = Path.Combine(Path.GetTempPath(), $"markets-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var exchange = SimulatedExchange.FromMarketFile(path, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
            Assert.Equal(3, exchange.GetMarkets().Count);
            Assert.Equal("initialized", exchange.GetMarket("KXGREENLAND-29").Value.Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"markets":[{"event_ticker":"E","close_after_seconds":1}]}""", "market #0: ticker is required")]
    [InlineData("""{"markets":[{"ticker":"T","close_after_seconds":1}]}""", "market #0 (T): event_ticker is required")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E"}]}""", "market #0 (T): close_time or close_after_seconds is required")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":1,"price_level_structure":"odd"}]}""", "price_level_structure \"odd\" is unknown")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":1,"fee_type":"flat"}]}""", "fee_type \"flat\" is not supported")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":1,"fair_value":"1.5"}]}""", "fair_value")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":1,"result":"maybe"}]}""", "result \"maybe\" must be \"yes\" or \"no\"")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_time":"tomorrow"}]}""", "close_time must be an RFC 3339 time")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":0}]}""", "is not after open time")]
    [InlineData("""{"markets":[{"ticker":"T","event_ticker":"E","close_after_seconds":5},{"ticker":"T","event_ticker":"E","close_after_seconds":5}]}""", "listed twice")]
    [InlineData("""{"markets":[]}""", "empty")]
    [InlineData("""{"market":[]}""", "\"markets\" array")]
    [InlineData("""{"markets":[""", "not valid JSON")]
    public void A_bad_market_file_names_the_market_and_the_problem(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => MarketFile.Parse(json, Start));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_documented_example_file_loads()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "markets.example.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var markets = MarketFile.Load(Path.Combine(dir.FullName, "docs", "markets.example.json"), Start);
        Assert.Equal(4, markets.Count);
        Assert.Equal(MarketResult.Yes, markets[1].Result);
        Assert.Equal(Start.AddSeconds(3900), markets[1].DeterminationTime);
    }

    [Fact]
    public void A_missing_market_file_is_reported_with_its_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => MarketFile.Load("/no/such/markets.json", Start));
        Assert.Contains("/no/such/markets.json", e.Message);
    }

    [Fact]
    public void The_default_markets_are_five_one_cent_markets_and_one_sub_penny_market_all_open()
    {
        var exchange = SimulatedExchange.WithDefaultMarkets(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start));
        var markets = exchange.GetMarkets();
        Assert.Equal(6, markets.Count);
        Assert.All(markets, m => Assert.Equal("active", m.Status));
        Assert.Equal(5, markets.Count(m => m.Grid.Name == "linear_cent"));
        Assert.Single(markets, m => m.Grid.Name == "tapered_deci_cent");
        Assert.All(DefaultMarkets.Create(Start), d => Assert.NotNull(d.FairValue));
    }
}
