using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Actors.Sync;

public sealed record CheckExchange
{
    public static readonly CheckExchange Instance = new();
}

public sealed record ExchangeChecked(ExchangeStatus Status, TimeSpan Duration);

/// <summary>Read balance, positions, resting orders, fills and settlements; answered with <see cref="StateSynced"/> or <see cref="SyncFailed"/>.</summary>
public sealed record SyncState
{
    public static readonly SyncState Instance = new();
}

public sealed record StateSynced(
    AccountBalance Balance,
    IReadOnlyList<ExchangePosition> Positions,
    IReadOnlyList<ExchangeOrder> RestingOrders,
    IReadOnlyList<Fill> Fills,
    IReadOnlyList<Settlement> Settlements,
    DateTimeOffset AsOf,
    TimeSpan Duration);

public sealed record SyncFailed(string Step, string Error);

public sealed record RefreshBalance
{
    public static readonly RefreshBalance Instance = new();
}

public sealed record BalanceRefreshed(AccountBalance Balance, DateTimeOffset AsOf);

/// <summary>Start or stop polling fills over REST (while READY).</summary>
public sealed record SetFillPolling(bool Enabled);
