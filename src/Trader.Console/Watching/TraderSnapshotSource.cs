using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Trader.Actors;
using Trader.Actors.Coordinator;
using Trader.Actors.Decisions;
using Trader.Actors.Hosting;
using Trader.Actors.MarketData;
using Trader.Actors.Monitoring;
using Trader.Actors.Orders;
using Trader.Actors.Positions;
using Trader.Actors.Status;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Core.Status;

namespace Trader.Console.Watching;

/// <summary>
/// Gathers a <see cref="TraderSnapshot"/> of the running trader: the coordinator (state, balances, open orders,
/// positions — the last two answered by its children), the market watch (books, freshness, last actions), the decision
/// loop (counters), the status log store and the metrics. The actors are asked in parallel, each with
/// <see cref="AskTimeout"/>: a snapshot never waits longer than that, and a part that did not answer is left out and
/// named in <see cref="TraderSnapshot.Unavailable"/>. The status log and the metrics are read directly (no actor), so
/// they are there even when every actor is stuck.
/// </summary>
public sealed class TraderSnapshotSource(ActorRegistry registry, StatusLogStore statusLog, TraderSettings settings, TraderMetrics metrics)
{
    /// <summary>How long each actor may take to answer.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The time zone of the copy-paste status text (<c>trader.status.time-zone</c>).</summary>
    public TimeZoneInfo StatusTimeZone => settings.StatusTimeZone;

    /// <summary>The copy-paste status log (<see cref="StatusText.Format"/>), newest first; empty before the first entry.</summary>
    public string StatusText() => Core.Status.StatusText.Format(statusLog.Current.Entries, settings.StatusTimeZone);

    /// <summary>The metrics in Prometheus text format 0.0.4.</summary>
    public string Metrics() => metrics.WritePrometheus();

    /// <summary>The coordinator's status alone (for readiness); null with the reason when it does not answer.</summary>
    public async Task<(TraderStatusReport? Report, string? Problem)> GetStatusAsync(CancellationToken ct = default)
    {
        var answer = await Ask<TraderStatusReport, TraderCoordinator>("coordinator", GetTraderStatus.Instance, ct).ConfigureAwait(false);
        return (answer.Value, answer.Problem);
    }

    public async Task<TraderSnapshot> CaptureAsync(CancellationToken ct = default)
    {
        var statusTask = Ask<TraderStatusReport, TraderCoordinator>("coordinator", GetTraderStatus.Instance, ct);
        var ordersTask = Ask<OpenOrdersResponse, TraderCoordinator>("open orders", new GetOpenOrders(), ct);
        var positionsTask = Ask<PositionsResponse, TraderCoordinator>("positions", GetPositions.Instance, ct);
        var marketsTask = Ask<MarketViewsResponse, MarketWatcher>("market watch", GetMarketViews.Instance, ct);
        var decisionsTask = registry.TryGet<DecisionLoop>(out _)
            ? Ask<DecisionStats, DecisionLoop>("decisions", GetDecisionStats.Instance, ct)
            : Task.FromResult(new Answer<DecisionStats>(null, null));
        await Task.WhenAll(statusTask, ordersTask, positionsTask, marketsTask, decisionsTask).ConfigureAwait(false);

        var now = Time.GetUtcNow();
        var unavailable = new[] { statusTask.Result.Problem, ordersTask.Result.Problem, positionsTask.Result.Problem, marketsTask.Result.Problem,
            decisionsTask.Result.Problem }.OfType<string>().ToImmutableList();
        var report = statusTask.Result.Value;
        var markets = marketsTask.Result.Value?.Markets ?? [];
        var marketViews = markets.Select(m => Market(m, now)).ToImmutableList();
        var (positions, pnl) = Positions(positionsTask.Result.Value, markets);

        return new TraderSnapshot
        {
            At = now,
            State = report is null ? "unknown" : Name(report.State),
            StateSince = report?.StateSince,
            TimeInState = report is null ? null : Max(now - report.StateSince),
            LastError = report?.LastError,
            Paused = report?.Trading.PausedReason,
            Calibrations = report?.Calibrations ?? 0,
            LastCalibration = report?.LastCalibration,
            Balances = report is { Trading: var t } ? new BalancesView(t.Cash, t.PortfolioValue, t.Available, t.Reserved, t.BalanceAsOf) : null,
            Positions = positions,
            Pnl = pnl,
            OpenOrders = (ordersTask.Result.Value?.Orders ?? []).OrderBy(o => o.Ticker, StringComparer.Ordinal).ThenBy(o => o.CreatedAt)
                .Select(OpenOrder).ToImmutableList(),
            BlockedMarkets = report?.Trading.Blocked.ToImmutableSortedDictionary(StringComparer.Ordinal) ?? ImmutableSortedDictionary<string, string>.Empty,
            MarketData = new MarketDataView
            {
                Status = MarketDataStatus(report, marketViews),
                Streams = (report?.Streams ?? []).Select(s => new StreamView(s.Stream, s.Connected, s.Required, s.Detail)).ToImmutableList(),
                StaleMarkets = marketViews.Count(m => m.Stale),
                Markets = marketViews,
            },
            Decisions = decisionsTask.Result.Value is { } d
                ? new DecisionsView(d.Policy, d.Decisions, d.Actions.ToImmutableSortedDictionary(StringComparer.Ordinal),
                    d.Skipped.ToImmutableSortedDictionary(StringComparer.Ordinal), d.DisabledUntil.ToImmutableSortedDictionary(StringComparer.Ordinal))
                : null,
            Counters = CountersOf(),
            StatusLog = StatusLogOf(statusLog.Current, now),
            Unavailable = unavailable,
        };
    }

    // ---- asking ----------------------------------------------------------------------------------------------

    private sealed record Answer<T>(T? Value, string? Problem)
        where T : class;

    private async Task<Answer<T>> Ask<T, TKey>(string part, object message, CancellationToken ct)
        where T : class
    {
        if (!registry.TryGet<TKey>(out var actor)) return new Answer<T>(null, $"{part}: not running");
        try
        {
            return new Answer<T>(await actor.Ask<T>(message, AskTimeout, ct).ConfigureAwait(false), null);
        }
        catch (AskTimeoutException)
        {
            return new Answer<T>(null, $"{part}: no answer within {Seconds(AskTimeout)}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Answer<T>(null, $"{part}: no answer within {Seconds(AskTimeout)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Answer<T>(null, $"{part}: {ex.Message}");
        }
    }

    // ---- shaping ---------------------------------------------------------------------------------------------

    private static (ImmutableList<PositionView>, PnlView) Positions(PositionsResponse? response, IReadOnlyList<MarketView> markets)
    {
        if (response is null) return ([], new PnlView());
        var byTicker = markets.ToDictionary(m => m.Ticker, StringComparer.Ordinal);
        var views = new List<PositionView>();
        Money realized = Money.Zero, unrealized = Money.Zero, fees = Money.Zero;
        int unmarked = 0;
        foreach (var p in response.Positions.Values.OrderBy(p => p.Ticker, StringComparer.Ordinal))
        {
            var market = byTicker.GetValueOrDefault(p.Ticker);
            Price? mark = market?.Mid;
            Money? open = mark is { } m && !p.IsFlat ? p.UnrealizedAt(m) : p.IsFlat ? Money.Zero : null;
            Money? value = mark is { } v && !p.IsFlat ? p.MarketValueAt(v) : p.IsFlat ? Money.Zero : null;
            if (open is { } u) unrealized += u;
            else unmarked++;
            realized += p.RealizedPnl;
            fees += p.FeesPaid;
            views.Add(new PositionView(p.Ticker, p.Contracts, p.HeldSide switch { ContractSide.Yes => "yes", ContractSide.No => "no", _ => "flat" },
                p.CostBasis, p.RealizedPnl, p.FeesPaid, p.NetRealizedPnl, mark, mark is not null && market!.Book != BookState.Live, open, value));
        }
        return (views.ToImmutableList(), new PnlView { Realized = realized, Unrealized = unrealized, Fees = fees, Unmarked = unmarked });
    }

    private static OpenOrderView OpenOrder(Order o) => new(o.ClientOrderId, o.ExchangeOrderId, o.Ticker, o.Intent.ToString().ToLowerInvariant(),
        o.ContractPrice, o.YesPrice, o.Count, o.Filled, o.Remaining, Name(o.Status), o.CreatedAt);

    private static MarketBookView Market(MarketView m, DateTimeOffset now)
    {
        Price? spread = m is { BestBid: { } bid, BestAsk: { } ask } && Price.TryFromTicks(ask.Price.Ticks - bid.Price.Ticks, out var s) ? s : null;
        return new MarketBookView(m.Ticker, Name(m.Book), m.Book != BookState.Live, m.BestBid, m.BestAsk, spread, m.Mid, m.LastUpdate,
            m.LastUpdate is { } at ? Max(now - at) : null, m.Updates, m.StaleSince, m.StaleReason, m.Gaps,
            m.LastDecision is { } d ? ActionOf(d) : null, m.LastActions.Select(ActionOf).ToImmutableList());
    }

    private static ActionView ActionOf(MarketAction a) =>
        new(a.DecisionId, a.At, a.Action, a.Proposal, a.Outcome is { } o ? Name(o) : null, a.Code, a.Message);

    /// <summary>See <see cref="MarketDataView.Status"/>.</summary>
    private string MarketDataStatus(TraderStatusReport? report, IReadOnlyList<MarketBookView> markets)
    {
        if (!registry.TryGet<MarketDataStream>(out _)) return "off";
        var stream = report?.Streams.FirstOrDefault(s => s.Stream == MarketDataActor.Name);
        if (stream is null) return "connecting";
        if (!stream.Connected) return "down";
        return markets.Any(m => m.Stale) ? "degraded" : "connected";
    }

    private CountersView CountersOf()
    {
        static ImmutableSortedDictionary<string, long> ByLabel(Counter c) => c.Values.ToImmutableSortedDictionary(v => v.Label, v => v.Value, StringComparer.Ordinal);
        return new CountersView
        {
            Orders = ByLabel(metrics.Orders),
            Fills = metrics.Fills.Values.Sum(v => v.Value),
            Reconnects = ByLabel(metrics.Reconnects),
            Gaps = metrics.Gaps.Values.Sum(v => v.Value),
            CalibrationResults = ByLabel(metrics.Calibrations),
            ChildRestarts = ByLabel(metrics.ChildRestarts),
        };
    }

    private static StatusLogView StatusLogOf(StatusLog log, DateTimeOffset now) => new()
    {
        CurrentStatus = log.CurrentStatus,
        CurrentState = log.CurrentState,
        TimeInState = log.StateEnteredAt is null ? null : Max(log.TimeInState(now)),
        PreviousState = log.PreviousState,
        PreviousStateDuration = log.PreviousState is null ? null : log.PreviousStateDuration,
        Trades = log.CurrentStats.Trades,
        NoOps = log.CurrentStats.NoOps,
        SessionTrades = log.SessionStats.Trades,
        SessionNoOps = log.SessionStats.NoOps,
        History = log.Entries.Select(e => new StatusEntryView(e.Timestamp, e.Status, e.Result, e.Duration, e.TimeInStatus)).ToImmutableList(),
    };

    /// <summary>snake_case of an enum member: <c>partially_filled</c>, <c>awaiting_snapshot</c>.</summary>
    internal static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static TimeSpan Max(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
