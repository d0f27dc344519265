using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Positions;

/// <summary>
/// The net position in one market and its P&amp;L, all money in <see cref="Money"/> (micro-dollars): one unit
/// everywhere, unlike the original, which mixed dollars and cents (original-system.md §2.4).
/// <list type="bullet">
/// <item><see cref="Contracts"/> is signed: + long YES, − long NO. Buying NO while long YES nets (Kalshi nets
/// a YES and a NO into a dollar).</item>
/// <item><see cref="CostBasis"/> is what the contracts now held cost on their own leg (YES price for YES, NO price
/// for NO), average-cost method. It is never negative.</item>
/// <item><see cref="RealizedPnl"/> excludes fees; fees are in <see cref="FeesPaid"/>; <see cref="NetRealizedPnl"/>
/// subtracts them.</item>
/// </list>
/// Intended behaviour chosen over the original's (§2.1 ⚠): a NO fill is costed at the NO price (1 − YES price), a
/// flip through zero carries the excess at the fill price (not at zero cost), and closing a YES position by buying
/// NO at q realizes (1 − q) − average cost per contract.
/// </summary>
public sealed record Position(string Ticker)
{
    public Quantity Contracts { get; init; }
    public Money CostBasis { get; init; }
    public Money RealizedPnl { get; init; }
    public Money FeesPaid { get; init; }

    /// <summary>Σ |count| of every fill applied.</summary>
    public Quantity Volume { get; init; }

    public bool IsFlat => Contracts.IsZero;
    public ContractSide? HeldSide => Contracts.IsZero ? null : Contracts.IsPositive ? ContractSide.Yes : ContractSide.No;
    public Money NetRealizedPnl => RealizedPnl - FeesPaid;

    /// <summary>Average cost per contract held, in dollars on the held leg; null when flat.</summary>
    public decimal? AverageCost => Contracts.IsZero ? null : CostBasis.ToDollars() / Contracts.Abs().ToDecimal();

    /// <summary>Applies one execution: opens, adds to, reduces, closes or flips the position.</summary>
    public Position ApplyFill(BookSide side, Price yesPrice, Quantity count, Money fee)
    {
        if (!count.IsPositive) throw new ArgumentOutOfRangeException(nameof(count), count.ToWireString(), "a fill count must be positive");
        if (!yesPrice.IsTradable) throw new ArgumentOutOfRangeException(nameof(yesPrice), yesPrice.ToWireString(), "a fill price must be strictly between 0 and 1");

        int sign = side.PositionSign();
        // The leg this fill adds exposure to, and its price on that leg.
        Price legPrice = sign > 0 ? yesPrice : yesPrice.Complement;
        var next = this with { FeesPaid = FeesPaid + fee, Volume = Volume + count };

        if (Contracts.IsZero || Contracts.Sign == sign)
        {
            return next with
            {
                Contracts = Contracts + (sign > 0 ? count : -count),
                CostBasis = CostBasis + legPrice * count,
            };
        }

        // Reducing: the fill closes r contracts of the held (opposite) leg. Closing a held leg pays that leg's
        // price, which is the complement of the incoming leg price: selling YES at p, or pairing a held NO with a
        // YES bought at p (the pair pays $1, so the NO leg realizes 1 − p).
        var held = Contracts.Abs();
        var closed = Quantity.Min(count, held);
        Price proceedsPrice = legPrice.Complement;
        Money closedCost = Money.Prorate(CostBasis, closed, held);
        var realized = RealizedPnl + proceedsPrice * closed - closedCost;
        var remainingHeld = held - closed;
        var contracts = sign > 0 ? -remainingHeld : remainingHeld;
        var cost = CostBasis - closedCost;

        var flip = count - closed;
        if (flip.IsPositive)
        {
            contracts = sign > 0 ? flip : -flip;
            cost = legPrice * flip;
        }
        return next with { Contracts = contracts, CostBasis = cost, RealizedPnl = realized };
    }

    public Position ApplyFill(Fill fill) => ApplyFill(fill.Side, fill.YesPrice, fill.Count, fill.Fee);

    /// <summary>Unrealized P&amp;L if the position were valued at a YES price: n × mark − cost (long YES), n × (1 − mark) − cost (long NO).</summary>
    public Money UnrealizedAt(Price yesMark)
    {
        if (Contracts.IsZero) return Money.Zero;
        var held = Contracts.Abs();
        Price legMark = Contracts.IsPositive ? yesMark : yesMark.Complement;
        return legMark * held - CostBasis;
    }

    /// <summary>Market value of the contracts held at a YES price.</summary>
    public Money MarketValueAt(Price yesMark)
    {
        if (Contracts.IsZero) return Money.Zero;
        Price legMark = Contracts.IsPositive ? yesMark : yesMark.Complement;
        return legMark * Contracts.Abs();
    }

    /// <summary>
    /// Settles the market: each YES contract pays <paramref name="yesSettlementValue"/> (1 for a YES result, 0 for NO,
    /// anything between for a scalar market), each NO contract the complement. The position becomes flat and the
    /// payout minus the cost basis is realized.
    /// </summary>
    public Position Settle(Price yesSettlementValue)
    {
        if (Contracts.IsZero) return this;
        var payout = MarketValueAt(yesSettlementValue);
        return this with
        {
            Contracts = Quantity.Zero,
            CostBasis = Money.Zero,
            RealizedPnl = RealizedPnl + payout - CostBasis,
        };
    }

    public Position Settle(MarketResult result) => Settle(result == MarketResult.Yes ? Price.One : Price.Zero);
}

public enum MarketResult
{
    Yes,
    No,
}
