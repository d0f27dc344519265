using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Trader.Actors.Orders;
using Trader.Core.Numbers;
using Trader.Core.Positions;
using Trader.Kalshi.Api;

namespace Trader.Actors.Positions;

/// <summary>Sent back to the syncing actor: the exchange's positions were adopted and these differences were found.</summary>
public sealed record PositionsReconciled(IReadOnlyList<PositionDifference> Differences, int Active);

/// <summary>Sent to the parent when a fill's post-position disagreed with ours and the exchange's number was adopted.</summary>
public sealed record PositionCorrected(string Description);

/// <summary>
/// Positions and P&amp;L from fills (Core <see cref="Position"/>). On sync the exchange's positions win and the
/// differences go back to the coordinator, which writes them to the status log. A fill's <c>post_position</c> is the
/// exchange's word on the contracts after that fill and wins too. After a restart the positions are empty until the
/// next sync rebuilds them.
/// </summary>
public sealed class PositionActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableDictionary<string, Position> _positions = ImmutableDictionary.Create<string, Position>(StringComparer.Ordinal);
    private ImmutableDictionary<string, Price> _marks = ImmutableDictionary.Create<string, Price>(StringComparer.Ordinal);
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);

    public PositionActor()
    {
        Receive<ApplyFills>(m => ApplyFills(m.Fills));
        Receive<ApplyExchangePositions>(m =>
        {
            var exchange = m.Positions.Select(ToPosition).ToList();
            var (positions, differences) = PositionReconciler.Reconcile(_positions, exchange);
            _positions = positions.WithComparers(StringComparer.Ordinal);
            Sender.Tell(new PositionsReconciled(differences, _positions.Count));
            PublishChanges();
        });
        Receive<ApplySettlements>(m => ApplySettlements(m.Settlements));
        Receive<UpdateMark>(m => _marks = _marks.SetItem(m.Ticker, m.YesMark));
        Receive<GetPositions>(_ => Sender.Tell(new PositionsResponse(_positions, _marks)));
        Receive<InjectFault>(f => throw new InjectedFaultException(f.Reason));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PositionActor());

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Context.Parent.Tell(new ChildRestarted(Self.Path.Name, reason.Message));
    }

    private void ApplyFills(IReadOnlyList<Core.Orders.Fill> fills)
    {
        foreach (var fill in fills)
        {
            var position = (_positions.GetValueOrDefault(fill.Ticker) ?? new Position(fill.Ticker)).ApplyFill(fill);
            if (fill.PostPosition is { } post && post != position.Contracts)
            {
                var description = $"{fill.Ticker}: contracts {position.Contracts} → {post} (post-position of fill {fill.TradeId})";
                _log.Warning("Position corrected from a fill: {0}", description);
                Context.Parent.Tell(new PositionCorrected(description));
                position = position with { Contracts = post };
            }
            _positions = position.IsFlat && position.RealizedPnl.IsZero
                ? _positions.Remove(fill.Ticker)
                : _positions.SetItem(fill.Ticker, position);
        }
        if (fills.Count > 0) PublishChanges();
    }

    private void ApplySettlements(IReadOnlyList<Settlement> settlements)
    {
        bool changed = false;
        foreach (var s in settlements)
        {
            if (!_settled.Add($"{s.Ticker}@{s.SettledTime:O}")) continue;
            if (!_positions.TryGetValue(s.Ticker, out var position) || position.IsFlat) continue;
            var value = SettlementValue(s, position);
            if (value is null)
            {
                _log.Warning("Settlement of {Market} with result '{Result}' cannot be valued; the next sync removes the position", s.Ticker, s.MarketResult);
                continue;
            }
            _positions = _positions.SetItem(s.Ticker, position.Settle(value.Value));
            changed = true;
        }
        if (changed) PublishChanges();
    }

    /// <summary>YES settlement value: 1 for a YES result, 0 for NO; for a scalar market, derived from the revenue.</summary>
    private static Price? SettlementValue(Settlement s, Position position)
    {
        if (s.MarketResult == "yes") return Price.One;
        if (s.MarketResult == "no") return Price.Zero;
        // Scalar: revenue = v × YES count + (1 − v) × NO count; with a net position one of the counts is zero.
        if (!s.YesCount.IsZero && s.NoCount.IsZero) return PricePerContract(s.Revenue, s.YesCount);
        if (!s.NoCount.IsZero && s.YesCount.IsZero) return PricePerContract(s.Revenue, s.NoCount)?.Complement;
        return null;
    }

    private static Price? PricePerContract(Money total, Quantity count)
    {
        long ticks = total.Micros / count.Units;
        return Price.TryFromTicks((int)Math.Clamp(ticks, -1, Price.TicksPerDollar + 1), out var p) ? p : null;
    }

    private static Position ToPosition(ExchangePosition p) => new(p.Ticker)
    {
        Contracts = p.Position,
        CostBasis = Money.Abs(p.MarketExposure),
        RealizedPnl = p.RealizedPnl,
        FeesPaid = p.FeesPaid,
    };

    private void PublishChanges() =>
        Context.Parent.Tell(new PositionsChanged(_positions.Where(p => !p.Value.IsFlat).ToImmutableDictionary(StringComparer.Ordinal)));
}
