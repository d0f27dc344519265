using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

public sealed class EventTests
{
    [Fact]
    public void A_resting_order_publishes_its_delta_with_the_owners_client_order_id_and_an_order_update()
    {
        var f = new ExchangeFixture();
        var me = f.User("me");
        f.Drain();
        var ack = f.Place(me, BookSide.Ask, "0.5200", 3, clientOrderId: "own-1");
        var events = f.Drain();
        var delta = Assert.Single(events.OfType<OrderBookDelta>());
        Assert.Equal(BookLeg.No, delta.Leg);
        Assert.Equal(P("0.4800"), delta.Price); // NO leg price
        Assert.Equal(Q(3), delta.Delta);
        Assert.Equal("own-1", delta.ClientOrderId);
        Assert.Equal("me", delta.UserId);
        var update = Assert.Single(events.OfType<OrderUpdated>());
        Assert.Equal(OrderUpdateReason.Placed, update.Reason);
        Assert.Null(update.Reason.ToWire());
        Assert.Equal(ack.OrderId, update.Order.OrderId);
        Assert.Equal(ExchangeOrderStatus.Resting, update.Order.Status);
        var ticker = Assert.Single(events.OfType<TickerUpdated>());
        Assert.Equal(P("0.5200"), ticker.YesAsk);
        Assert.Equal(Q(3), ticker.YesAskSize);
        Assert.Null(ticker.YesBid);
    }

    [Fact]
    public void An_execution_publishes_delta_trade_fills_positions_and_order_updates_in_order()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        var resting = f.Place(maker, BookSide.Bid, "0.4700", 3, clientOrderId: "mk-1");
        f.Drain();
        var ack = f.Place(me, BookSide.Ask, "0.4000", 2, TimeInForce.ImmediateOrCancel, clientOrderId: "tk-1");
        var events = f.Drain();
        Assert.Equal(
            [typeof(OrderBookDelta), typeof(PublicTrade), typeof(UserFill), typeof(UserFill), typeof(PositionUpdated), typeof(PositionUpdated),
             typeof(OrderUpdated), typeof(OrderUpdated), typeof(TickerUpdated)],
            events.Select(e => e.GetType()));

        var delta = (OrderBookDelta)events[0];
        Assert.Equal(BookLeg.Yes, delta.Leg);
        Assert.Equal(P("0.4700"), delta.Price);
        Assert.Equal(Q(-2), delta.Delta);
        Assert.Equal("mk-1", delta.ClientOrderId);

        var trade = (PublicTrade)events[1];
        Assert.Equal(P("0.4700"), trade.YesPrice);
        Assert.Equal(P("0.5300"), trade.NoPrice);
        Assert.Equal(BookSide.Ask, trade.TakerSide);
        Assert.Equal(ContractSide.No, trade.TakerOutcomeSide);

        var takerFill = ((UserFill)events[2]).Fill;
        var makerFill = ((UserFill)events[3]).Fill;
        Assert.Equal("me", ((UserFill)events[2]).UserId);
        Assert.Equal(trade.TradeId, takerFill.TradeId);
        Assert.Equal(trade.TradeId, makerFill.TradeId);
        Assert.Equal(ack.OrderId, takerFill.OrderId);
        Assert.Equal("tk-1", takerFill.ClientOrderId);
        Assert.True(takerFill.IsTaker);
        Assert.False(makerFill.IsTaker);
        Assert.Equal(Q(-2), takerFill.PostPosition);
        Assert.Equal(Q(2), makerFill.PostPosition);
        Assert.Equal(M("0.0349"), takerFill.Fee); // 2 × 0.07 × 0.47 × 0.53 = 0.034874, rounded up once over the whole fill
        var position = ((PositionUpdated)events[4]).Position;
        Assert.Equal(Q(-2), position.Position);

        var makerUpdate = (OrderUpdated)events[6];
        Assert.Equal(resting.OrderId, makerUpdate.Order.OrderId);
        Assert.Equal(OrderUpdateReason.Trade, makerUpdate.Reason);
        Assert.Equal(Q(1), makerUpdate.Order.RemainingCount);
        var takerUpdate = (OrderUpdated)events[7];
        Assert.Equal(ExchangeOrderStatus.Executed, takerUpdate.Order.Status);

        var ticker = (TickerUpdated)events[8];
        Assert.Equal(P("0.4700"), ticker.LastPrice);
        Assert.Equal(Q(2), ticker.Volume);
        Assert.Equal(Q(2), ticker.OpenInterest);
    }

    [Fact]
    public void Snapshots_answer_the_book_orders_and_trades()
    {
        var f = new ExchangeFixture();
        var maker = f.User("maker");
        var me = f.User("me");
        f.Place(maker, BookSide.Bid, "0.0800", 300);
        f.Place(maker, BookSide.Bid, "0.2200", 333);
        f.Place(maker, BookSide.Ask, "0.4600", 20);  // NO bid 0.54
        f.Place(maker, BookSide.Ask, "0.4400", 146); // NO bid 0.56
        var book = f.Book();
        Assert.Equal([new BookLevel(P("0.0800"), Q(300)), new BookLevel(P("0.2200"), Q(333))], book.YesBids);
        Assert.Equal([new BookLevel(P("0.5400"), Q(20)), new BookLevel(P("0.5600"), Q(146))], book.NoBids);
        var top = f.Exchange.GetOrderBook(Ticker, depth: 1).Value;
        Assert.Equal([new BookLevel(P("0.2200"), Q(333))], top.YesBids);
        Assert.Equal([new BookLevel(P("0.5600"), Q(146))], top.NoBids);
        var market = f.Exchange.GetMarket(Ticker).Value;
        Assert.Equal(P("0.2200"), market.YesBid);
        Assert.Equal(P("0.4400"), market.YesAsk);

        f.Place(me, BookSide.Bid, "0.4400", 1);
        Assert.Single(f.Exchange.GetTrades(Ticker));
        Assert.Equal(4, f.Exchange.GetOrders(maker, new OrderQuery(Status: ExchangeOrderStatus.Resting)).Value.Count);
        Assert.Single(f.Exchange.GetOrders(me, new OrderQuery(Status: ExchangeOrderStatus.Executed)).Value);
        Assert.Empty(f.Exchange.GetFills(me, new FillQuery(MinTime: Start.AddSeconds(1))).Value);
        Assert.Single(f.Exchange.GetFills(me, new FillQuery(Ticker: Ticker)).Value);
    }
}
