using System.Collections.Immutable;
using Trader.Core.Numbers;
using Trader.Core.Risk;

namespace Trader.Core.Trading;

/// <summary>
/// What the coordinator knows at the moment of a decision: the exchange's last balance, the collateral reserved by
/// orders placed since that balance was read, the position and open orders per market, blocked markets and the pause
/// flag. Immutable; the coordinator replaces it as events arrive.
/// <para>
/// Cash follows the original's "Option B" decision (§1.7): the exchange's balance is the only figure; there is no
/// running estimate of it. Reservations only bridge the gap between placing an order and the next balance read, so a
/// burst of orders cannot spend the same cash twice.
/// </para>
/// </summary>
public sealed record TradingState
{
    public static TradingState Empty { get; } = new();

    public Money Cash { get; init; }
    public Money PortfolioValue { get; init; }
    public DateTimeOffset? BalanceAsOf { get; init; }
    public ImmutableList<(DateTimeOffset At, Money Amount)> Reservations { get; init; } = ImmutableList<(DateTimeOffset, Money)>.Empty;
    public ImmutableDictionary<string, Quantity> Positions { get; init; } = ImmutableDictionary<string, Quantity>.Empty;
    public ImmutableDictionary<string, int> OpenOrders { get; init; } = ImmutableDictionary<string, int>.Empty;
    public ImmutableDictionary<string, string> Blocked { get; init; } = ImmutableDictionary<string, string>.Empty;
    public string? PausedReason { get; init; }

    public Money Reserved => Reservations.Aggregate(Money.Zero, (sum, r) => sum + r.Amount);

    /// <summary>Cash less what orders placed since the balance was read have reserved.</summary>
    public Money Available => Cash - Reserved;

    public int ActivePositions => Positions.Count(p => !p.Value.IsZero);

    /// <summary>
    /// A balance read at <paramref name="asOf"/> (when the read was sent) already reflects every order placed before
    /// then. Reads can complete out of order; one sent before the balance already held is older than it and is ignored,
    /// so a slow read can never put back cash that later orders have spent (their reservations are already gone).
    /// Reads sent at the same instant are equally recent: the last to arrive wins.
    /// </summary>
    public TradingState WithBalance(Money cash, Money portfolioValue, DateTimeOffset asOf) => BalanceAsOf is { } held && asOf < held ? this : this with
    {
        Cash = cash,
        PortfolioValue = portfolioValue,
        BalanceAsOf = asOf,
        Reservations = Reservations.RemoveAll(r => r.At <= asOf),
    };

    public TradingState Reserve(Money amount, DateTimeOffset at) =>
        amount.IsPositive ? this with { Reservations = Reservations.Add((at, amount)) } : this;

    public TradingContext ContextFor(string ticker) => new(
        PausedReason,
        Blocked.GetValueOrDefault(ticker),
        Available,
        Positions.GetValueOrDefault(ticker),
        OpenOrders.GetValueOrDefault(ticker));
}
