using System.Collections.Immutable;
using Trader.Core.Status;

namespace Trader.Core.Trading;

/// <summary>One stream's health as last reported: the private account stream is required, the orderbook feed optional.</summary>
public sealed record StreamStatus(string Stream, bool Connected, bool Required, string Detail)
{
    /// <summary>A required stream that is down: calibration cannot succeed.</summary>
    public bool Blocks => Required && !Connected;

    /// <summary>An optional stream that is down: trading goes on, degraded.</summary>
    public bool Degrades => !Required && !Connected;
}

/// <summary>What a stream report changed, as far as the status log cares.</summary>
public enum StreamChange
{
    /// <summary>The stream's first report says it is up, or the report does not flip it: nothing to write.</summary>
    None,
    Up,
    Down,
}

/// <summary>
/// The health of the trader's streams, by name. Immutable; the coordinator replaces it on every report. A required
/// stream that is down fails calibration; an optional one that is down leaves trading on, degraded (the original's
/// <c>trading_degraded</c>).
/// </summary>
public sealed record StreamHealth
{
    public static StreamHealth Empty { get; } = new();

    public ImmutableSortedDictionary<string, StreamStatus> Streams { get; init; } =
        ImmutableSortedDictionary.Create<string, StreamStatus>(StringComparer.Ordinal);

    /// <summary>Takes a report and says what it changed: a stream first seen down is a change, one first seen up is not.</summary>
    public StreamHealth Report(StreamStatus report, out StreamChange change)
    {
        bool known = Streams.TryGetValue(report.Stream, out var before);
        change = known ? (before!.Connected == report.Connected ? StreamChange.None : Flip(report))
            : report.Connected ? StreamChange.None : StreamChange.Down;
        return this with { Streams = Streams.SetItem(report.Stream, report) };
    }

    /// <summary>The required streams that are down, which keep calibration from succeeding.</summary>
    public IReadOnlyList<StreamStatus> RequiredDown => Streams.Values.Where(s => s.Blocks).ToList();

    /// <summary>The optional streams that are down as the status log names them (<c>orderbook down (503)</c>); null when none.</summary>
    public string? DegradedBy =>
        StatusPhrases.Degraded(Streams.Values.Where(s => s.Degrades).Select(s => (s.Stream, (string?)s.Detail)));

    /// <summary>The health-check line of a calibration: <c>exchange: ✓ | orderbook: ✗ (optional) | user: ✓</c>.</summary>
    public string Summary(bool exchangeTradingActive) =>
        string.Join(" | ", Streams.Values
            .Select(s => $"{s.Stream}: {(s.Connected ? "✓" : "✗")}{(s.Connected || s.Required ? "" : " (optional)")}")
            .Prepend($"exchange: {(exchangeTradingActive ? "✓" : "✓ (trading paused)")}"));

    /// <summary>The status-log result for a stream that went up or down.</summary>
    public static string Describe(StreamStatus s) =>
        s.Connected ? s.Detail : $"{s.Detail}{(s.Required ? "" : " (optional: trading goes on, degraded)")}";

    private static StreamChange Flip(StreamStatus report) => report.Connected ? StreamChange.Up : StreamChange.Down;
}
