using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Trader.Core.Books;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Observations;

/// <summary>
/// Builds the 52-float observation of original-system.md §9 for one market, the vector the policy was trained on:
/// 26 market features (<see cref="MarketFeatures"/>), 10 temporal (<see cref="TemporalFeatures"/>), 11 portfolio
/// (<see cref="PortfolioFeatures"/>) and 5 order features (<see cref="OrderFeatures"/>), in <see cref="ObservationLayout"/>
/// order. Every value is computed in double precision, cast to float32, then NaN → 0, +∞ → 1, −∞ → −1, and clipped to
/// [−2, 2] (§9.1 step 6).
/// <para>
/// The builder keeps one <see cref="MarketWindow"/> per market (the last <see cref="ObservationOptions.WindowSize"/>
/// observations, preallocated, never growing) for the temporal features: each <see cref="Build"/> records the current
/// point in the market's window, as each observation did in the original. Windows are created on a market's first
/// observation and live until <see cref="RemoveMarket"/> (call it when a market is unsubscribed or closes) or
/// <see cref="Clear"/>.
/// </para>
/// <para>
/// The builder does not judge the book: the decision actor skips markets whose book is not live.
/// Time is an input: Core never reads the clock. After a market's first observation, building allocates nothing.
/// Not thread-safe: one builder per decision loop (actor).
/// </para>
/// <para>Deliberate differences from the original live adapter (§9.1–§9.5):</para>
/// <list type="bullet">
/// <item>Training semantics (the decision): money in cents (§9.4), and the temporal inputs computed live
/// (§9.6) instead of left at 0 — <see cref="TemporalInputs.OriginalLive"/> restores the original's zeros for parity
/// checks.</item>
/// <item>No 0.1 s cache (§9.1 step 1). Its key left out the order features and the book, so within 0.1 s it could
/// return a vector with stale open-order flags or a stale book; a hit also skipped the window. Building costs well
/// under a microsecond and the decision actor coalesces bursts, so there is nothing to save.</item>
/// <item>Time since the newest order is floored at 0 (<see cref="OrderFeatures"/>).</item>
/// <item>The window's timestamps come from the <c>now</c> passed in (the original used <c>utcnow()</c>); only
/// differences and the UTC hour are used, as in the original.</item>
/// </list>
/// </summary>
public sealed class ObservationBuilder
{
    private readonly ObservationOptions _options;
    private readonly Dictionary<string, MarketWindow> _windows;

    public ObservationBuilder(ObservationOptions? options = null)
    {
        _options = options ?? ObservationOptions.Default;
        _options.Validate();
        _windows = new Dictionary<string, MarketWindow>(_options.ExpectedMarkets, StringComparer.Ordinal);
    }

    public ObservationOptions Options => _options;

    /// <summary>Markets with a window.</summary>
    public int MarketCount => _windows.Count;

    /// <summary>
    /// Writes the observation of <paramref name="book"/>'s market at <paramref name="now"/> into
    /// <paramref name="destination"/> (exactly 52 floats) and records the point in the market's window.
    /// </summary>
    /// <param name="book">The market's book; its ticker keys the window.</param>
    /// <param name="now">The observation time (from the caller's <see cref="TimeProvider"/>).</param>
    /// <param name="portfolio">Cash, portfolio value and all non-flat positions.</param>
    /// <param name="orders">The trader's open orders in this market.</param>
    /// <param name="destination">52 floats, e.g. the policy's input buffer.</param>
    public void Build(OrderBook book, DateTimeOffset now, in PortfolioInput portfolio, in OpenOrderState orders, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (destination.Length != L.Length)
            throw new ArgumentException($"an observation is {L.Length} floats; the destination holds {destination.Length}", nameof(destination));

        Span<double> features = stackalloc double[L.Length];
        MarketFeatures.Write(book, features.Slice(L.MarketStart, L.MarketCount));

        var window = WindowFor(book.Ticker);
        var current = CurrentPoint(book, now);
        window.Append(current);
        var points = window.Points;
        double momentum = _options.TemporalInputs == TemporalInputs.Computed ? window.Momentum() : 0.0;
        TemporalFeatures.Write(current, points[..^1], momentum, features.Slice(L.TemporalStart, L.TemporalCount));

        // The mark is the clamped YES mid with a 0.5 fallback: feature 4 by definition (= PortfolioFeatures.MarkOf(book)).
        PortfolioFeatures.Write(portfolio, book.Ticker, features[L.YesMidPrice], features.Slice(L.PortfolioStart, L.PortfolioCount));
        OrderFeatures.Write(orders, now, features.Slice(L.OrderStart, L.OrderCount));

        for (int i = 0; i < L.Length; i++) destination[i] = ToFeature(features[i]);
    }

    /// <summary>The float32 value of a feature: cast, then NaN → 0, +∞ → 1, −∞ → −1, clipped to [−2, 2] (§9.1 step 6).</summary>
    public static float ToFeature(double value)
    {
        float f = (float)value;
        if (float.IsNaN(f)) return 0f;
        if (float.IsPositiveInfinity(f)) return 1f;
        if (float.IsNegativeInfinity(f)) return -1f;
        return Math.Clamp(f, -2f, 2f);
    }

    /// <summary>The window of a market, if it has one.</summary>
    public bool TryGetWindow(string ticker, [MaybeNullWhen(false)] out MarketWindow window) => _windows.TryGetValue(ticker, out window);

    /// <summary>Forgets a market's window (its next observation starts without history). True if it had one.</summary>
    public bool RemoveMarket(string ticker) => _windows.Remove(ticker);

    /// <summary>Forgets every market's window.</summary>
    public void Clear() => _windows.Clear();

    private MarketWindow WindowFor(string ticker)
    {
        ref var window = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, ticker, out bool exists);
        if (!exists) window = new MarketWindow(_options.WindowSize);
        return window!;
    }

    private WindowPoint CurrentPoint(OrderBook book, DateTimeOffset now)
    {
        long timestampMs = now.ToUnixTimeMilliseconds();
        if (_options.TemporalInputs == TemporalInputs.OriginalLive) return new WindowPoint(timestampMs, 0.0, double.NaN);

        double totalVolume = MarketFeatures.Contracts(book.BidVolume(BookLeg.Yes)) + MarketFeatures.Contracts(book.AskVolume(BookLeg.Yes))
                             + MarketFeatures.Contracts(book.BidVolume(BookLeg.No)) + MarketFeatures.Contracts(book.AskVolume(BookLeg.No));
        double? bid = MarketFeatures.Cents(book.BestYesBid);
        double? ask = MarketFeatures.Cents(book.BestYesAsk);
        double mid = bid is { } b && ask is { } a ? (b + a) / 2.0 : double.NaN;
        return new WindowPoint(timestampMs, TemporalFeatures.ActivityScore(totalVolume), mid);
    }
}
