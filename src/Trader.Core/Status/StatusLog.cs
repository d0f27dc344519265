using System.Collections.Immutable;
using System.Globalization;

namespace Trader.Core.Status;

/// <summary>
/// One status-log entry (original-system.md §4.1): <c>{timestamp, status, result, duration, time_in_status}</c>.
/// <see cref="Result"/> is kept without the duration; <see cref="StatusText"/> prints the duration once (the original
/// appended it to the result and printed it again, so timed steps showed it twice — §4.3 ⚠, fixed deliberately).
/// </summary>
public sealed record StatusEntry(DateTimeOffset Timestamp, string Status, string? Result, TimeSpan? Duration, TimeSpan TimeInStatus)
{
    /// <summary>The text before the first <c>" -> "</c>: <c>calibrating</c> for <c>calibrating -> syncing state</c>.</summary>
    public string BaseState => StatusLog.BaseOf(Status);
}

/// <summary>Trades (executed non-HOLD actions) and no-ops (HOLD, refused, failed) counted while in a base state.</summary>
public readonly record struct TradingStats(int Trades, int NoOps)
{
    public TradingStats Count(bool traded) => traded ? this with { Trades = Trades + 1 } : this with { NoOps = NoOps + 1 };
}

/// <summary>
/// The trader's status log — the original authors' "debugging lifeline" (§4) — as an immutable value: each
/// <see cref="Record"/> returns a new log. Keeps the last <see cref="Capacity"/> entries, the current base state and
/// when it was entered, the previous base state and how long it lasted, and per-state trading statistics (reset each
/// time a state is entered, so <c>ready</c> counts the trades since the last calibration) plus session totals.
/// </summary>
public sealed record StatusLog
{
    public const int Capacity = 50;
    public const string Arrow = " -> ";

    public static StatusLog Empty { get; } = new();

    public ImmutableList<StatusEntry> Entries { get; private init; } = ImmutableList<StatusEntry>.Empty;
    public string? CurrentStatus { get; private init; }
    public string? CurrentState { get; private init; }
    public DateTimeOffset? StateEnteredAt { get; private init; }
    public string? PreviousState { get; private init; }
    public TimeSpan PreviousStateDuration { get; private init; }
    public ImmutableDictionary<string, TradingStats> StatsByState { get; private init; } = ImmutableDictionary<string, TradingStats>.Empty;
    public TradingStats SessionStats { get; private init; }

    /// <summary>Statistics of the current base state (zero when none).</summary>
    public TradingStats CurrentStats => CurrentState is null ? default : StatsByState.GetValueOrDefault(CurrentState);

    public static string BaseOf(string status)
    {
        int i = status.IndexOf(Arrow, StringComparison.Ordinal);
        return i < 0 ? status : status[..i];
    }

    /// <summary>How long the trader has been in its current base state.</summary>
    public TimeSpan TimeInState(DateTimeOffset now) => StateEnteredAt is { } t ? now - t : TimeSpan.Zero;

    /// <summary>Appends an entry. A change of base state records the previous state and its duration and resets the new state's statistics.</summary>
    public StatusLog Record(DateTimeOffset now, string status, string? result = null, TimeSpan? duration = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        string newBase = BaseOf(status);
        var log = this;
        TimeSpan timeInStatus;
        if (newBase != CurrentState)
        {
            log = log with
            {
                PreviousState = string.IsNullOrEmpty(CurrentState) ? null : CurrentState,
                PreviousStateDuration = StateEnteredAt is { } t ? now - t : TimeSpan.Zero,
                CurrentState = newBase,
                StateEnteredAt = now,
                StatsByState = StatsByState.SetItem(newBase, default),
            };
            timeInStatus = TimeSpan.Zero;
        }
        else
        {
            timeInStatus = now - StateEnteredAt!.Value;
        }

        var entry = new StatusEntry(now, status, string.IsNullOrEmpty(result) ? null : result, duration, timeInStatus);
        var entries = log.Entries.Add(entry);
        if (entries.Count > Capacity) entries = entries.RemoveRange(0, entries.Count - Capacity);
        return log with { Entries = entries, CurrentStatus = status };
    }

    /// <summary>Counts one decision outcome in the current state: a trade when an order was placed for a non-HOLD action, else a no-op.</summary>
    public StatusLog CountDecision(bool traded)
    {
        if (CurrentState is null) return this with { SessionStats = SessionStats.Count(traded) };
        return this with
        {
            StatsByState = StatsByState.SetItem(CurrentState, CurrentStats.Count(traded)),
            SessionStats = SessionStats.Count(traded),
        };
    }

    public StatusEntry? Last => Entries.Count == 0 ? null : Entries[^1];
}

/// <summary>The copy-paste form of the status log (§4.3): newest first, <c>h:mm:ss AM status result (d.ds)</c>.</summary>
public static class StatusText
{
    /// <summary>One line: local time (<c>h:mm:ss AM</c>), status, the result if any, the duration if any as <c>(0.8s)</c>.</summary>
    public static string FormatLine(StatusEntry entry, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(entry.Timestamp, zone);
        var line = local.ToString("h:mm:ss tt", CultureInfo.InvariantCulture) + " " + entry.Status;
        if (!string.IsNullOrEmpty(entry.Result)) line += " " + entry.Result;
        if (entry.Duration is { } d) line += " (" + FormatSeconds(d) + ")";
        return line;
    }

    /// <summary>The newest <paramref name="max"/> entries, newest first, one per line.</summary>
    public static string Format(IEnumerable<StatusEntry> entries, TimeZoneInfo zone, int max = StatusLog.Capacity) =>
        string.Join('\n', entries.Reverse().Take(max).Select(e => FormatLine(e, zone)));

    /// <summary><c>2s</c>, <c>0.25s</c>, <c>1.5s</c>: a delay in seconds as short as it can be written exactly to the millisecond (so a sub-second backoff is not shown as <c>0s</c>).</summary>
    public static string FormatDelay(TimeSpan d) =>
        Math.Round((decimal)d.TotalSeconds, 3, MidpointRounding.AwayFromZero).ToString("0.###", CultureInfo.InvariantCulture) + "s";

    /// <summary><c>0.8s</c>, <c>60.3s</c>: seconds with one decimal.</summary>
    public static string FormatSeconds(TimeSpan d) =>
        Math.Round((decimal)d.TotalSeconds, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
