using System.Collections.Immutable;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Kalshi.Api;

namespace Trader.Actors.Positions;

/// <summary>The exchange's positions from a sync: they win; differences go to the status log.</summary>
public sealed record ApplyExchangePositions(IReadOnlyList<ExchangePosition> Positions);

public sealed record ApplySettlements(IReadOnlyList<Settlement> Settlements);

/// <summary>A YES mark price for a market's unrealized P&amp;L.</summary>
public sealed record UpdateMark(string Ticker, Price YesMark);

public sealed record GetPositions
{
    public static readonly GetPositions Instance = new();
}

public sealed record PositionsResponse(ImmutableDictionary<string, Position> Positions, ImmutableDictionary<string, Price> Marks)
{
    public Money Unrealized => Positions.Values.Aggregate(Money.Zero,
        (sum, p) => Marks.TryGetValue(p.Ticker, out var mark) ? sum + p.UnrealizedAt(mark) : sum);

    public Money Realized => Positions.Values.Aggregate(Money.Zero, (sum, p) => sum + p.RealizedPnl);
}

/// <summary>Sent to the parent after every change: the signed position per market.</summary>
public sealed record PositionsChanged(ImmutableDictionary<string, Quantity> Contracts);
