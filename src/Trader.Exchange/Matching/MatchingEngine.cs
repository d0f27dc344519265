using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Exchange.Accounts;
using Trader.Exchange.Events;
using Trader.Exchange.Markets;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Matching;

/// <summary>
/// Places and matches orders (kalshi-api.md §8): one YES book per market; an incoming bid at p trades with asks at
/// or below p, an ask with bids at or above p, best price first and oldest first within a price, always at the
/// resting (maker) order's price. Immediate-or-cancel drops what does not fill; fill-or-kill fills entirely or not
/// at all; post-only never takes (a crossing one is refused); self-trade prevention is the incoming order's:
/// <c>taker_at_cross</c> stops it at the first own resting order (fills before stand, the rest is canceled),
/// <c>maker</c> cancels the own resting order and goes on.
/// <para>
/// Before each execution both sides must still afford it (cash after the fill, in the worst case of fee rounding, at
/// least what their remaining orders reserve); a resting order that no longer can is canceled
/// (<c>MarginCancel</c>) and matching goes on, an incoming one stops. With reservations as
/// <see cref="Collateral"/> computes them this only happens on fractional fills.
/// </para>
/// Cancels, amends, decreases and the reduce-only caps are in <see cref="OrderKeeper"/>.
/// </summary>
internal sealed class MatchingEngine(ExchangeState state, OrderKeeper keeper)
{
    private enum Stop
    {
        None,
        SelfTrade,
        Margin,
    }

    /// <summary>What one matching pass filled.</summary>
    private struct Sweep
    {
        public Quantity Filled;
        public Money YesCost;
        public Money Fees;
        public Stop Stop;

        public readonly OrderAck ToAck(OrderRecord order, DateTimeOffset now) => new(
            order.OrderId, order.ClientOrderId, Filled, order.Remaining,
            Filled.IsPositive ? AveragePrice(YesCost, Filled) : null,
            Filled.IsPositive ? AverageFee(Fees, Filled) : null,
            now);
    }

    public ExchangeResult<OrderAck> Create(string userId, CreateOrderRequest request, DateTimeOffset now)
    {
        if (!state.Accounts.TryGetValue(userId, out var account)) return ExchangeErrors.UnknownAccount(userId);
        if (!state.Markets.TryGetValue(request.Ticker, out var market)) return ExchangeErrors.UnknownMarket(request.Ticker);
        if (!market.IsTrading) return ExchangeErrors.MarketInactive(market.Ticker, market.Status.ToWire());
        if (OrderValidation.Check(request, market, now) is { } invalid) return invalid;
        string? clientOrderId = string.IsNullOrEmpty(request.ClientOrderId) ? null : request.ClientOrderId;
        if (clientOrderId is not null && account.HasUsedClientOrderId(clientOrderId)) return ExchangeErrors.OrderAlreadyExists(clientOrderId);
        if (request.PostOnly && market.Book.Crosses(request.Side, request.YesPrice)) return ExchangeErrors.PostOnlyCross();

        var holding = state.Holding(account, market);
        var count = request.Count;
        if (request.ReduceOnly) count = Quantity.Min(count, OrderKeeper.ReduceOnlyRoom(holding, request.Side, except: null));

        var order = new OrderRecord(state.Ids.Next(), clientOrderId, userId, market.Ticker, request.Side, request.YesPrice, count,
            request, now, state.Options.BalancePrecision);
        if (count.IsPositive)
        {
            holding.AddOrder(order);
            var required = holding.Collateral.Required(holding.Position.Contracts);
            if (account.Cash < account.Reserved - holding.Reserved + required)
            {
                holding.RemoveOrder(order);
                if (holding.OpenOrders.Count == 0 && holding.Position.Volume.IsZero) account.RemoveMarket(market.Ticker);
                return ExchangeErrors.InsufficientBalance(required - holding.Reserved, account.Available);
            }
            account.SetReserved(holding, required);
        }

        if (clientOrderId is not null) account.UseClientOrderId(clientOrderId);
        account.AddOrder(order);
        order.Sequence = state.NextSequence();

        if (!count.IsPositive)
        {
            // Reduce-only with nothing to reduce: accepted and canceled at once, like Kalshi's ReduceOnlyCancel.
            keeper.Finish(account, holding, market, order, ExchangeOrderStatus.Canceled, OrderUpdateReason.ReduceOnlyCancel, now);
            state.FlushTickers(now);
            return new OrderAck(order.OrderId, clientOrderId, Quantity.Zero, Quantity.Zero, Timestamp: now);
        }

        var sweep = new Sweep();
        bool killed = request.TimeInForce == TimeInForce.FillOrKill
            && market.Book.FillableSize(order.Side, order.YesPrice, userId, order.SelfTradePrevention, count) < count;
        if (!killed) sweep = Match(account, holding, market, order, now);
        Conclude(account, holding, market, order, sweep.Stop, sweep.Filled.IsPositive ? OrderUpdateReason.Trade : OrderUpdateReason.Placed, now);
        state.FlushTickers(now);
        return sweep.ToAck(order, now);
    }

    /// <summary>
    /// Amends a resting order: new YES price and new max fillable count (filled + desired remaining). It keeps its
    /// place in line when the price is the same and the size does not grow; otherwise it goes to the back of its
    /// (new) price level, and at a new price it first takes whatever it crosses, as a taker.
    /// </summary>
    public ExchangeResult<OrderAck> Amend(string userId, AmendOrderRequest request, DateTimeOffset now)
    {
        var located = keeper.Locate(userId, request.OrderId, request.Ticker, forCancel: false);
        if (!located.IsSuccess) return located.Error;
        var order = located.Value;
        var account = state.Account(userId);
        var market = state.Markets[order.Ticker];
        var holding = state.Holding(account, market);
        if (request.Side != order.Side) return ExchangeErrors.OrderSideMismatch();
        if (!string.IsNullOrEmpty(request.ClientOrderId) && request.ClientOrderId != order.ClientOrderId)
            return ExchangeErrors.OrderIdAndClientOrderIdMismatch();
        if (!market.Definition.Grid.IsValidOrderPrice(request.YesPrice)) return ExchangeErrors.InvalidPrice(request.YesPrice, market.Ticker);
        if (request.Count <= order.Filled)
            return ExchangeErrors.InvalidOrderSize($"count \"{request.Count.ToWireString()}\" must be more than the {order.Filled.ToWireString()} already filled");
        string? newClientOrderId = string.IsNullOrEmpty(request.UpdatedClientOrderId) ? null : request.UpdatedClientOrderId;
        if (newClientOrderId is not null && newClientOrderId != order.ClientOrderId)
        {
            if (OrderValidation.ClientOrderIdProblem(newClientOrderId) is { } problem) return ExchangeErrors.InvalidOrder("updated_" + problem);
            if (account.HasUsedClientOrderId(newClientOrderId)) return ExchangeErrors.OrderAlreadyExists(newClientOrderId);
        }

        var remaining = request.Count - order.Filled;
        if (order.ReduceOnly) remaining = Quantity.Min(remaining, OrderKeeper.ReduceOnlyRoom(holding, order.Side, except: order));
        bool priceChanged = request.YesPrice != order.YesPrice;
        if (order.PostOnly && priceChanged && market.Book.Crosses(order.Side, request.YesPrice)) return ExchangeErrors.PostOnlyCross();
        var required = holding.Collateral.Required(holding.Position.Contracts, order, remaining, request.YesPrice);
        if (account.Cash < account.Reserved - holding.Reserved + required)
            return ExchangeErrors.InsufficientBalance(required - holding.Reserved, account.Available);

        if (newClientOrderId is not null && newClientOrderId != order.ClientOrderId)
        {
            account.UseClientOrderId(newClientOrderId);
            order.ClientOrderId = newClientOrderId;
        }
        order.InitialCount = request.Count;
        order.LastUpdateTime = now;
        OrderAck ack;
        if (!remaining.IsPositive)
        {
            keeper.Cancel(order, OrderUpdateReason.ReduceOnlyCancel, now);
            ack = new OrderAck(order.OrderId, order.ClientOrderId, Quantity.Zero, Quantity.Zero, Timestamp: now);
        }
        else if (!priceChanged && remaining <= order.Remaining)
        {
            if (remaining < order.Remaining) keeper.Shrink(order, order.Remaining - remaining, OrderUpdateReason.Amend, now);
            else keeper.Publish(order, OrderUpdateReason.Amend, now);
            ack = new OrderAck(order.OrderId, order.ClientOrderId, Quantity.Zero, order.Remaining, Timestamp: now);
        }
        else
        {
            market.Book.Remove(order);
            state.Publish(Delta(market, order, -order.Remaining, now));
            state.Touch(market);
            order.YesPrice = request.YesPrice;
            order.Remaining = remaining;
            holding.Collateral.Refresh(order);
            order.Sequence = state.NextSequence();
            keeper.Reserve(account, holding, market);
            ack = Reprice(account, holding, market, order, now);
        }
        state.FlushTickers(now);
        return ack;
    }

    /// <summary>
    /// Re-prices a resting order that amend moved: takes what crosses at the new price as a taker, then rests the rest
    /// (or cancels it after a self-trade or margin stop). The order must be out of the book.
    /// </summary>
    private OrderAck Reprice(Account account, AccountMarket holding, Market market, OrderRecord order, DateTimeOffset now)
    {
        var sweep = Match(account, holding, market, order, now);
        Conclude(account, holding, market, order, sweep.Stop, OrderUpdateReason.Amend, now);
        return sweep.ToAck(order, now);
    }

    private Sweep Match(Account account, AccountMarket holding, Market market, OrderRecord order, DateTimeOffset now)
    {
        var sweep = new Sweep();
        var fees = market.Definition.Fees;
        while (order.Remaining.IsPositive)
        {
            var maker = market.Book.FirstMatch(order.Side, order.YesPrice);
            if (maker is null) break;
            if (maker.UserId == order.UserId)
            {
                if (order.SelfTradePrevention == SelfTradePrevention.TakerAtCross)
                {
                    sweep.Stop = Stop.SelfTrade;
                    break;
                }
                keeper.Cancel(maker, OrderUpdateReason.SelfTradeCancel, now);
                continue;
            }

            var count = Quantity.Min(order.Remaining, maker.Remaining);
            var price = maker.YesPrice;
            var makerAccount = state.Account(maker.UserId);
            var makerHolding = state.Holding(makerAccount, market);
            if (!CanAfford(makerAccount, makerHolding, maker, price, count, isTaker: false, fees))
            {
                keeper.Cancel(maker, OrderUpdateReason.MarginCancel, now);
                continue;
            }
            if (!CanAfford(account, holding, order, price, count, isTaker: true, fees))
            {
                sweep.Stop = Stop.Margin;
                break;
            }

            var fee = Execute(account, holding, order, makerAccount, makerHolding, maker, market, price, count, now);
            sweep.Filled += count;
            sweep.YesCost += price * count;
            sweep.Fees += fee;
        }
        return sweep;
    }

    /// <summary>After matching: rest a good-till-canceled remainder, cancel any other, and tell the owner.</summary>
    private void Conclude(Account account, AccountMarket holding, Market market, OrderRecord order, Stop stop, OrderUpdateReason reason, DateTimeOffset now)
    {
        if (!order.IsOpen) return; // already finished during the sweep (a reduce-only cap)
        if (!order.Remaining.IsPositive)
        {
            keeper.Finish(account, holding, market, order, ExchangeOrderStatus.Executed, reason, now);
            return;
        }
        var cancelReason = stop switch
        {
            Stop.SelfTrade => OrderUpdateReason.SelfTradeCancel,
            Stop.Margin => OrderUpdateReason.MarginCancel,
            _ => order.TimeInForce == TimeInForce.GoodTillCanceled ? (OrderUpdateReason?)null : OrderUpdateReason.Canceled,
        };
        if (cancelReason is { } r)
        {
            order.Remaining = Quantity.Zero;
            keeper.Finish(account, holding, market, order, ExchangeOrderStatus.Canceled, r, now);
            return;
        }
        market.Book.Add(order);
        state.Publish(Delta(market, order, order.Remaining, now));
        state.ScheduleExpiry(order);
        keeper.Reserve(account, holding, market);
        state.Touch(market);
        keeper.Publish(order, reason, now);
    }

    private bool CanAfford(Account account, AccountMarket holding, OrderRecord order, Price price, Quantity count, bool isTaker,
        Core.Fees.FeeSchedule fees)
    {
        var (worstCash, positionAfter) = state.Ledger.Preview(account, holding, order, price, count, isTaker, fees);
        var reservedAfter = holding.Collateral.Required(positionAfter, order, order.Remaining - count, null);
        return worstCash >= account.Reserved - holding.Reserved + reservedAfter;
    }

    /// <summary>One execution between the incoming order and a resting one, at the resting order's price. Returns the taker's fee.</summary>
    private Money Execute(Account takerAccount, AccountMarket takerHolding, OrderRecord taker, Account makerAccount, AccountMarket makerHolding,
        OrderRecord maker, Market market, Price price, Quantity count, DateTimeOffset now)
    {
        var fees = market.Definition.Fees;
        var takerLeg = state.Ledger.Execute(takerAccount, takerHolding, taker, price, count, isTaker: true, fees, now);
        var makerLeg = state.Ledger.Execute(makerAccount, makerHolding, maker, price, count, isTaker: false, fees, now);

        market.Book.Resize(maker, -count);
        if (!maker.Remaining.IsPositive) market.Book.Remove(maker);
        var (bidLeg, askLeg) = taker.Side == BookSide.Bid ? (takerLeg, makerLeg) : (makerLeg, takerLeg);
        market.OpenInterest += bidLeg.Opened - askLeg.Closed;
        market.LastPrice = price;
        market.LastTradeSize = count;
        market.Volume += count;
        state.Touch(market);

        string tradeId = state.Ids.Next();
        state.Publish(Delta(market, maker, -count, now));
        state.RecordTrade(new PublicTrade(tradeId, market.Ticker, price, count, taker.Side, now));
        var takerFill = new Fill(tradeId, taker.OrderId, market.Ticker, taker.Side, price, count, takerLeg.Fee, true, now,
            takerHolding.Position.Contracts, taker.ClientOrderId);
        var makerFill = new Fill(tradeId, maker.OrderId, market.Ticker, maker.Side, price, count, makerLeg.Fee, false, now,
            makerHolding.Position.Contracts, maker.ClientOrderId);
        takerAccount.AddFill(takerFill);
        makerAccount.AddFill(makerFill);
        state.Publish(new UserFill(taker.UserId, takerFill));
        state.Publish(new UserFill(maker.UserId, makerFill));
        state.Publish(new PositionUpdated(taker.UserId, takerHolding.ToExchangePosition(), takerHolding.Position.Volume, now));
        state.Publish(new PositionUpdated(maker.UserId, makerHolding.ToExchangePosition(), makerHolding.Position.Volume, now));

        if (!maker.Remaining.IsPositive)
            keeper.Finish(makerAccount, makerHolding, market, maker, ExchangeOrderStatus.Executed, OrderUpdateReason.Trade, now);
        else
        {
            keeper.Reserve(makerAccount, makerHolding, market);
            keeper.Publish(maker, OrderUpdateReason.Trade, now);
        }
        keeper.Reserve(takerAccount, takerHolding, market);
        keeper.TrimReduceOnly(makerHolding, now);
        keeper.TrimReduceOnly(takerHolding, now);
        return takerLeg.Fee;
    }

    /// <summary>The <c>orderbook_delta</c> for a change of <paramref name="delta"/> in a resting order's size.</summary>
    public static OrderBookDelta Delta(Market market, OrderRecord order, Quantity delta, DateTimeOffset now) => new(
        market.Ticker, market.MarketId, order.Side == BookSide.Bid ? BookLeg.Yes : BookLeg.No,
        order.Side == BookSide.Bid ? order.YesPrice : order.YesPrice.Complement, delta, order.UserId, order.ClientOrderId, now);

    /// <summary>Volume-weighted YES price, rounded half away from zero to $0.0001.</summary>
    private static Price AveragePrice(Money yesCost, Quantity filled) =>
        Price.FromTicks((int)RoundDiv(yesCost.Micros, filled.Units)); // micro-dollars per 1/100 contract = 1/10,000 $ per contract

    /// <summary>Fee per contract, rounded half away from zero to $0.0001 (the response's four decimals).</summary>
    private static Money AverageFee(Money fees, Quantity filled) =>
        Money.FromMicros(checked((long)RoundDiv(fees.Micros, filled.Units) * 100));

    private static Int128 RoundDiv(Int128 numerator, Int128 denominator) => (numerator * 2 + denominator) / (denominator * 2);
}
