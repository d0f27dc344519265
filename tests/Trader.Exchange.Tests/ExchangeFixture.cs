using Microsoft.Extensions.Time.Testing;
using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Events;
using Trader.Exchange.Markets;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Tests;

/// <summary>A simulated exchange on virtual time with a 1¢ market, a maker-fee market and a sub-penny market, and helpers to trade on it.</summary>
internal sealed class ExchangeFixture
{
    public const string Ticker = "KXTEST-26JUN11-T1";
    public const string MakerFeeTicker = "KXMAKER-26JUN11-T1";
    public const string SubPennyTicker = "KXSUBPENNY-29";
    public static readonly DateTimeOffset Start = new(2026, 6, 11, 6, 0, 0, TimeSpan.Zero);

    public ExchangeFixture(ExchangeOptions? options = null, TimeSpan? settlementTimer = null)
    {
        Time = new FakeTimeProvider(Start);
        MarketDefinition Listing(string ticker, TickGrid grid, FeeSchedule fees) => new()
        {
            Ticker = ticker,
            EventTicker = ticker[..ticker.LastIndexOf('-')],
            SeriesTicker = ticker.Split('-')[0],
            Title = "Test market " + ticker,
            Grid = grid,
            Fees = fees,
            OpenTime = Start,
            CloseTime = Start.AddHours(10),
            SettlementTimer = settlementTimer ?? TimeSpan.FromSeconds(60),
            FairValue = Price.FromCents(50),
        };
        Exchange = new SimulatedExchange(
            [
                Listing(Ticker, TickGrid.LinearCent, FeeSchedule.Standard),
                Listing(MakerFeeTicker, TickGrid.LinearCent, new FeeSchedule(FeeType.QuadraticWithMakerFees)),
                Listing(SubPennyTicker, TickGrid.TaperedDeciCent, FeeSchedule.Standard),
            ],
            Time, options);
    }

    public FakeTimeProvider Time { get; }
    public SimulatedExchange Exchange { get; }
    public ExchangeEvents Events => Exchange.Events!;
    private int _clientIds;

    public string User(string userId, decimal dollars = 1000m)
    {
        Exchange.Deposit(userId, Money.FromDollars(dollars));
        return userId;
    }

    public static Price P(string dollars) => Price.Parse(dollars);

    public static Quantity Q(decimal contracts) => Quantity.FromDecimal(contracts);

    public static Money M(string dollars) => Money.Parse(dollars);

    public CreateOrderRequest Request(BookSide side, string price, decimal count, TimeInForce tif = TimeInForce.GoodTillCanceled,
        string ticker = Ticker, SelfTradePrevention stp = SelfTradePrevention.TakerAtCross, bool postOnly = false, bool reduceOnly = false,
        string? clientOrderId = null, DateTimeOffset? expiration = null, bool cancelOnPause = false) =>
        new(ticker, clientOrderId ?? $"c-{++_clientIds}", side, P(price), Q(count), tif, stp, postOnly, reduceOnly, cancelOnPause, expiration);

    /// <summary>Places an order that must be accepted.</summary>
    public OrderAck Place(string user, BookSide side, string price, decimal count, TimeInForce tif = TimeInForce.GoodTillCanceled,
        string ticker = Ticker, SelfTradePrevention stp = SelfTradePrevention.TakerAtCross, bool postOnly = false, bool reduceOnly = false,
        string? clientOrderId = null, DateTimeOffset? expiration = null, bool cancelOnPause = false)
    {
        var result = Exchange.CreateOrder(user, Request(side, price, count, tif, ticker, stp, postOnly, reduceOnly, clientOrderId, expiration, cancelOnPause));
        Assert.True(result.IsSuccess, $"order refused: {result.Error}");
        return result.Value;
    }

    public KalshiError Refused<T>(ExchangeResult<T> result)
    {
        Assert.False(result.IsSuccess, $"expected a refusal, got {result}");
        return result.Error!;
    }

    public ExchangeOrder Order(string user, string orderId) => Exchange.GetOrder(user, orderId).Value;

    public ExchangePosition? Position(string user, string ticker = Ticker) =>
        Exchange.GetPositions(user, ticker).Value.SingleOrDefault();

    public Money Available(string user) => Exchange.GetBalance(user).Value.Cash;

    public OrderBookSnapshot Book(string ticker = Ticker) => Exchange.GetOrderBook(ticker).Value;

    public IReadOnlyList<ExchangeEvent> Drain() => Events.Drain();
}
