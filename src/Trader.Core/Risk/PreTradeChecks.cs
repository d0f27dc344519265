using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Risk;

/// <summary>Why an action was not sent to the exchange.</summary>
public enum DenialReason
{
    TradingPaused,
    MarketBlocked,
    CashReserveHit,
    InsufficientCash,
    PositionLimit,
    OpenOrderLimit,
}

public sealed record PreTradeDenial(DenialReason Reason, string Message)
{
    /// <summary>snake_case code for logs and metrics: <c>cash_reserve_hit</c>.</summary>
    public string Code => Reason switch
    {
        DenialReason.TradingPaused => "trading_paused",
        DenialReason.MarketBlocked => "market_blocked",
        DenialReason.CashReserveHit => "cash_reserve_hit",
        DenialReason.InsufficientCash => "insufficient_cash",
        DenialReason.PositionLimit => "position_limit",
        DenialReason.OpenOrderLimit => "open_order_limit",
        _ => Reason.ToString(),
    };
}

/// <summary>Risk limits. The original's only brakes were a $100 cash reserve and the pause flag (§1.1); the position and
/// open-order limits are new and can be effectively disabled with large values.</summary>
public sealed record RiskLimits(Money MinCashReserve, Quantity MaxPositionPerMarket, int MaxOpenOrdersPerMarket)
{
    /// <summary>$100 reserve (the original's RL_MIN_CASH_RESERVE), 500 contracts per market (the original's training cap), 5 open orders per market.</summary>
    public static RiskLimits Default { get; } = new(Money.FromDollars(100), Quantity.FromContracts(500), 5);
}

/// <summary>What the checks need to know about the trader and the market at the moment of an action.</summary>
/// <param name="PausedReason">Non-null when trading is paused, saying why.</param>
/// <param name="BlockedReason">Non-null when the market takes no new orders (an order with an unknown outcome), saying why.</param>
/// <param name="Cash">Cash available for new orders (the exchange's balance less what orders placed since then reserved).</param>
/// <param name="Position">Signed position in the market (+YES / −NO).</param>
/// <param name="OpenOrders">Open orders in the market.</param>
public readonly record struct TradingContext(string? PausedReason, string? BlockedReason, Money Cash, Quantity Position, int OpenOrders);

/// <summary>
/// Pre-trade checks, in order: trading paused; market blocked; cash below the reserve; insufficient cash; per-market
/// position limit; per-market open-order limit. Returns the first denial, or null when the order may go.
/// <para>
/// Cash is checked against the collateral the order needs: the price of the leg it opens (YES price for a bid, NO price
/// for an ask) times the contracts that do not close an existing position — closing contracts need none (Kalshi nets a
/// YES and a NO into a dollar). This deliberately differs from the original (§1.1), which refused every non-HOLD action,
/// sells included, below the reserve and checked only buys against cash at the YES price: an order that only reduces a
/// position is never refused for cash, and one that would leave less than the reserve is.
/// </para>
/// </summary>
public static class PreTradeChecks
{
    public static PreTradeDenial? Check(RiskLimits limits, in TradingContext context, OrderIntent intent, Price contractPrice, Quantity count)
    {
        if (context.PausedReason is { } paused)
            return new(DenialReason.TradingPaused, $"Trading paused: {paused}");
        if (context.BlockedReason is { } blocked)
            return new(DenialReason.MarketBlocked, $"Market blocked: {blocked}");

        var required = RequiredCash(intent, contractPrice, count, context.Position);
        if (required.IsPositive && context.Cash - required < limits.MinCashReserve)
        {
            if (context.Cash < limits.MinCashReserve)
                return new(DenialReason.CashReserveHit, $"Cash balance {context.Cash.ToDisplayString()} below reserve {limits.MinCashReserve.ToDisplayString()}");
            if (context.Cash >= required)
                return new(DenialReason.CashReserveHit,
                    $"Order needs {required.ToDisplayString()}: cash {context.Cash.ToDisplayString()} would fall below reserve {limits.MinCashReserve.ToDisplayString()}");
        }
        if (required > context.Cash)
            return new(DenialReason.InsufficientCash, $"Insufficient cash: required {required.ToDisplayString()}, available {context.Cash.ToDisplayString()}");

        var after = context.Position + (intent.BookSide == BookSide.Bid ? count : -count);
        if (after.Abs() > limits.MaxPositionPerMarket && after.Abs() > context.Position.Abs())
            return new(DenialReason.PositionLimit, $"Position would be {after} contracts, limit {limits.MaxPositionPerMarket}");

        if (context.OpenOrders >= limits.MaxOpenOrdersPerMarket)
            return new(DenialReason.OpenOrderLimit, $"{context.OpenOrders} open orders in the market, limit {limits.MaxOpenOrdersPerMarket}");

        return null;
    }

    /// <summary>Collateral an order needs: the opened leg's price × the contracts that do not close the current position.</summary>
    public static Money RequiredCash(OrderIntent intent, Price contractPrice, Quantity count, Quantity position)
    {
        var side = intent.BookSide;
        var yesPrice = intent.ToYesPrice(contractPrice);
        var legPrice = side == BookSide.Bid ? yesPrice : yesPrice.Complement;
        bool closes = side == BookSide.Bid ? position.IsNegative : position.IsPositive;
        var closing = closes ? Quantity.Min(count, position.Abs()) : Quantity.Zero;
        return legPrice * (count - closing);
    }
}
