using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Exchange.Events;
using Trader.Exchange.Matching;

namespace Trader.Exchange.Markets;

/// <summary>
/// Moves markets through their lifecycle (kalshi-api.md §5.5, §4.4 market_lifecycle_v2), on schedule or on a
/// control call: initialized → active (at the open time; Kalshi sends no event for it) ⇄ inactive (pause:
/// <c>deactivated</c>; orders with <c>cancel_order_on_pause</c> are canceled, cancels stay allowed; resume:
/// <c>activated</c>, and as Kalshi documents, reactivation cancels every resting order) → closed (at the close
/// time; every resting order is canceled with <c>CloseCancel</c>; an early close publishes
/// <c>close_date_updated</c>) → determined (result known: <c>determined</c>) → finalized (after the settlement timer:
/// every position is paid out, $1 per winning contract, a settlement row is recorded per user who traded, positions
/// are removed: <c>settled</c>).
/// </summary>
internal sealed class MarketLifecycle(ExchangeState state, OrderKeeper keeper)
{
    /// <summary>Runs every scheduled step and order expiry due at or before <paramref name="now"/>, in time order, each at its own time.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        while (true)
        {
            Market? next = null;
            DateTimeOffset nextTime = DateTimeOffset.MaxValue;
            foreach (var m in state.Markets.Values)
            {
                if (m.NextTransition is { } t && t <= now && t < nextTime)
                {
                    next = m;
                    nextTime = t;
                }
            }
            if (state.NextExpiry is { } e && e <= now && e <= nextTime)
            {
                keeper.ExpireDue(e);
                continue;
            }
            if (next is null) break;
            var at = nextTime < state.Now ? state.Now : nextTime;
            switch (next.Status)
            {
                case MarketStatus.Initialized: Open(next); break;
                case MarketStatus.Active or MarketStatus.Inactive: Close(next, at); break;
                case MarketStatus.Closed: Determine(next, next.Definition.Result ?? DrawResult(next), at); break;
                case MarketStatus.Determined: Settle(next, at); break;
            }
        }
    }

    private void Open(Market market) => market.Status = MarketStatus.Active;

    public void Pause(Market market, DateTimeOffset now)
    {
        if (market.Status != MarketStatus.Active) throw new MarketStateException($"market {market.Ticker} is {market.Status.ToWire()}, not active");
        market.Status = MarketStatus.Inactive;
        foreach (var order in RestingOrders(market).Where(o => o.CancelOrderOnPause).ToList())
            keeper.Cancel(order, OrderUpdateReason.HaltCancel, now);
        state.Publish(new MarketLifecycleEvent(market.Ticker, MarketLifecycleKind.Deactivated, now));
        state.FlushTickers(now);
    }

    public void Resume(Market market, DateTimeOffset now)
    {
        if (market.Status != MarketStatus.Inactive) throw new MarketStateException($"market {market.Ticker} is {market.Status.ToWire()}, not paused");
        foreach (var order in RestingOrders(market).ToList()) keeper.Cancel(order, OrderUpdateReason.HaltCancel, now);
        market.Status = MarketStatus.Active;
        state.Publish(new MarketLifecycleEvent(market.Ticker, MarketLifecycleKind.Activated, now));
        state.FlushTickers(now);
    }

    /// <summary>Moves the close time; a time not after <paramref name="now"/> closes the market at once.</summary>
    public void SetCloseTime(Market market, DateTimeOffset closeTime, DateTimeOffset now)
    {
        if (market.Status is not (MarketStatus.Initialized or MarketStatus.Active or MarketStatus.Inactive))
            throw new MarketStateException($"market {market.Ticker} is already {market.Status.ToWire()}");
        if (closeTime <= market.Definition.OpenTime && market.Status == MarketStatus.Initialized)
            throw new MarketStateException($"market {market.Ticker} cannot close before it opens ({market.Definition.OpenTime:O})");
        market.CloseTime = closeTime;
        if (market.DeterminationTime < closeTime || market.Definition.DeterminationTime is null) market.DeterminationTime = closeTime;
        state.Publish(new MarketLifecycleEvent(market.Ticker, MarketLifecycleKind.CloseDateUpdated, now, CloseTime: closeTime));
        if (closeTime <= now) Close(market, now);
    }

    public void Close(Market market, DateTimeOffset now)
    {
        market.Status = MarketStatus.Closed;
        foreach (var order in RestingOrders(market).ToList()) keeper.Cancel(order, OrderUpdateReason.CloseCancel, now);
        state.FlushTickers(now);
    }

    /// <summary>Fixes the result (closing the market first if it is still open); it settles after the settlement timer.</summary>
    public void Determine(Market market, MarketResult result, DateTimeOffset now)
    {
        if (market.Status is MarketStatus.Determined or MarketStatus.Finalized)
            throw new MarketStateException($"market {market.Ticker} is already {market.Status.ToWire()}");
        if (market.Status != MarketStatus.Closed) SetCloseTime(market, now, now);
        market.Status = MarketStatus.Determined;
        market.Result = result;
        market.DeterminedAt = now;
        state.Publish(new MarketLifecycleEvent(market.Ticker, MarketLifecycleKind.Determined, now,
            Result: result, SettlementValue: result == MarketResult.Yes ? Price.One : Price.Zero));
    }

    /// <summary>Pays out every position in a determined market.</summary>
    public void Settle(Market market, DateTimeOffset now)
    {
        if (market.Status != MarketStatus.Determined || market.Result is not { } result)
            throw new MarketStateException($"market {market.Ticker} is {market.Status.ToWire()}, not determined");
        foreach (var account in state.Accounts.Values.OrderBy(a => a.UserId, StringComparer.Ordinal))
        {
            var holding = account.FindMarket(market.Ticker);
            if (holding is null) continue;
            if (!holding.Position.Volume.IsZero)
            {
                var settlement = state.Ledger.Settle(account, holding, market, result, now);
                account.AddSettlement(settlement);
                state.Publish(new PositionUpdated(account.UserId, holding.ToExchangePosition(), holding.Position.Volume, now));
                state.Publish(new UserSettled(account.UserId, settlement));
            }
            account.RemoveMarket(market.Ticker);
        }
        market.OpenInterest = Quantity.Zero;
        market.Status = MarketStatus.Finalized;
        market.SettledAt = now;
        state.Publish(new MarketLifecycleEvent(market.Ticker, MarketLifecycleKind.Settled, now));
        state.Touch(market);
        state.FlushTickers(now);
    }

    /// <summary>A result for a market listed without one: YES with the probability of its last price (else its fair value, else one half).</summary>
    private MarketResult DrawResult(Market market)
    {
        var p = market.LastPrice ?? market.Definition.FairValue ?? Price.FromCents(50);
        return state.Random.Next(Price.TicksPerDollar) < p.Ticks ? MarketResult.Yes : MarketResult.No;
    }

    private IEnumerable<OrderRecord> RestingOrders(Market market) =>
        market.Book.Orders(Core.Orders.BookSide.Bid).Concat(market.Book.Orders(Core.Orders.BookSide.Ask)).OrderBy(o => o.Sequence);
}

/// <summary>A lifecycle move the market's status does not allow (resume a market that is not paused, settle one not determined, …).</summary>
public sealed class MarketStateException(string message) : InvalidOperationException(message);
