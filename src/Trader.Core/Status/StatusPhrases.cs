using Trader.Core.Numbers;

namespace Trader.Core.Status;

/// <summary>The wording of the status log's results (after original-system.md §4.2), in one place.</summary>
public static class StatusPhrases
{
    /// <summary><c>cash $987.40 | 4 trades | 37 no-ops</c>.</summary>
    public static string Trading(Money cash, TradingStats stats) =>
        $"cash {cash.ToDisplayString()} | {stats.Trades} trades | {stats.NoOps} no-ops";

    /// <summary>
    /// <c>Balance: $987.40 (unchanged) | Portfolio: $1012.15 | Positions: 2 active | Settlements: 1 fetched | Orders: 3 on exchange, 3 tracked locally</c>;
    /// a changed balance reads <c>Balance: $1000.00 → $987.40 (Δ -$12.60)</c> and changed positions <c>Positions: 1 → 2 (Δ +1)</c>.
    /// </summary>
    public static string Sync(Money? cashBefore, Money cashAfter, Money portfolio, int? positionsBefore, int positionsAfter,
        int settlements, int exchangeOrders, int localOrders)
    {
        string balance = cashBefore is not { } before || before == cashAfter
            ? $"Balance: {cashAfter.ToDisplayString()}{(cashBefore is null ? "" : " (unchanged)")}"
            : $"Balance: {before.ToDisplayString()} → {cashAfter.ToDisplayString()} (Δ {Signed(cashAfter - before)})";
        string positions = positionsBefore is not { } pb || pb == positionsAfter
            ? $"Positions: {positionsAfter} active"
            : $"Positions: {pb} → {positionsAfter} (Δ {(positionsAfter - pb >= 0 ? "+" : "")}{positionsAfter - pb})";
        return $"{balance} | Portfolio: {portfolio.ToDisplayString()} | {positions} | Settlements: {settlements} fetched | Orders: {exchangeOrders} on exchange, {localOrders} tracked locally";
    }

    /// <summary>
    /// What degrades trading, for the <c>ready</c> entry: the optional streams that are down, by name with their
    /// reason (<c>orderbook down (connect failed: 503)</c>), comma-separated; null when none is.
    /// </summary>
    public static string? Degraded(IEnumerable<(string Stream, string? Detail)> optionalStreamsDown)
    {
        var down = optionalStreamsDown.OrderBy(s => s.Stream, StringComparer.Ordinal)
            .Select(s => $"{s.Stream} down{(string.IsNullOrEmpty(s.Detail) ? "" : $" ({s.Detail})")}").ToList();
        return down.Count == 0 ? null : string.Join(", ", down);
    }

    /// <summary><c>+$1.23</c> / <c>-$1.23</c>.</summary>
    public static string Signed(Money m) => m.IsNegative ? m.ToDisplayString() : "+" + m.ToDisplayString();
}
