using Trader.Core.Fees;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Markets;
using Trader.Exchange.Matching;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Accounts;

/// <summary>How one side of an execution moved money and contracts.</summary>
/// <param name="Fee">The net fee charged (trade fee + rounding fee − rebate).</param>
/// <param name="Closed">Contracts of the held opposite leg this fill closed (each pair of YES and NO redeemed for $1).</param>
/// <param name="Opened">Contracts this fill added on its own leg.</param>
internal readonly record struct FillLeg(Money Fee, Quantity Closed, Quantity Opened);

/// <summary>
/// Moves money, and only the ledger does. Money is conserved: deposits = Σ users' cash + fees collected + the $1
/// of collateral the exchange holds for each contract outstanding (open interest).
/// <para>
/// An execution of <c>c</c> contracts at YES price <c>p</c>: the side buying a leg at leg price <c>x</c> (x = p for a
/// bid, 1 − p for an ask) first closes what it holds of the other leg — each closed contract pairs with the one
/// bought into $1, so it brings in 1 − x — and opens the rest at x each. The cash change before fees is
/// (1 − x)·closed − x·opened; the trade fee (per <see cref="FeeSchedule"/>, rounded up to $0.0001) is taken with
/// Kalshi's balance rounding (<see cref="BalanceRounding"/>, per order, at the member precision). Settlement pays $1
/// per winning contract.
/// </para>
/// </summary>
internal sealed class Ledger(Money precision)
{
    public Money Precision { get; } = precision;

    /// <summary>All cash ever deposited.</summary>
    public Money Deposits { get; private set; }

    /// <summary>All fees collected (net of rounding rebates).</summary>
    public Money FeesCollected { get; private set; }

    public void Deposit(Account account, Money amount)
    {
        if (!amount.IsPositive) throw new ArgumentOutOfRangeException(nameof(amount), amount.ToWireString(), "a deposit must be positive");
        account.Cash += amount;
        Deposits += amount;
    }

    /// <summary>How many of <paramref name="count"/> contracts bought on <paramref name="side"/> would close the held opposite leg.</summary>
    public static Quantity Closing(Quantity position, BookSide side, Quantity count)
    {
        var held = side == BookSide.Bid ? Quantity.Max(Quantity.Zero, -position) : Quantity.Max(Quantity.Zero, position);
        return Quantity.Min(count, held);
    }

    /// <summary>
    /// The user's cash after the fill in the worst case of balance rounding (the change floored to the precision, no
    /// rebate), and the position after it — before anything moves.
    /// </summary>
    public (Money WorstCash, Quantity Position) Preview(Account account, AccountMarket market, OrderRecord order, Price yesPrice,
        Quantity count, bool isTaker, FeeSchedule fees)
    {
        var position = market.Position.Contracts;
        var closed = Closing(position, order.Side, count);
        var leg = order.Side == BookSide.Bid ? yesPrice : yesPrice.Complement;
        var revenue = leg.Complement * closed - leg * (count - closed);
        var fee = fees.Fee(isTaker, yesPrice, count);
        var after = position + (order.Side == BookSide.Bid ? count : -count);
        return (account.Cash + (revenue - fee).FloorTo(Precision), after);
    }

    /// <summary>Applies one side of an execution to the user's cash, position and order.</summary>
    public FillLeg Execute(Account account, AccountMarket market, OrderRecord order, Price yesPrice, Quantity count, bool isTaker,
        FeeSchedule fees, DateTimeOffset now)
    {
        var closed = Closing(market.Position.Contracts, order.Side, count);
        var opened = count - closed;
        var leg = order.Side == BookSide.Bid ? yesPrice : yesPrice.Complement;
        var revenue = leg.Complement * closed - leg * opened;
        var effect = order.Rounding.Apply(revenue, fees.Fee(isTaker, yesPrice, count));

        account.Cash += effect.BalanceChange;
        FeesCollected += effect.NetFee;
        market.Position = market.Position.ApplyFill(order.Side, yesPrice, count, effect.NetFee);
        market.TotalTraded += leg * count;
        market.LastUpdated = now;

        order.Filled += count;
        order.Remaining -= count;
        market.Collateral.Refresh(order);
        order.LastUpdateTime = now;
        if (isTaker)
        {
            order.TakerFees += effect.NetFee;
            order.TakerFillCost += leg * count;
        }
        else
        {
            order.MakerFees += effect.NetFee;
            order.MakerFillCost += leg * count;
        }
        return new FillLeg(effect.NetFee, closed, opened);
    }

    /// <summary>Pays out the user's position in a determined market and records the settlement row.</summary>
    public Settlement Settle(Account account, AccountMarket market, Market listed, MarketResult result, DateTimeOffset now)
    {
        var position = market.Position;
        var contracts = position.Contracts;
        var yes = Quantity.Max(Quantity.Zero, contracts);
        var no = Quantity.Max(Quantity.Zero, -contracts);
        var winning = result == MarketResult.Yes ? yes : no;
        var revenue = Price.One * winning;
        account.Cash += revenue;
        market.Position = position.Settle(result);
        market.LastUpdated = now;
        return new Settlement(
            listed.Ticker, listed.Definition.EventTicker, result == MarketResult.Yes ? "yes" : "no",
            yes, contracts.IsPositive ? position.CostBasis : Money.Zero,
            no, contracts.IsNegative ? position.CostBasis : Money.Zero,
            revenue, position.FeesPaid, now);
    }
}
