using Trader.Core.Books;
using Trader.Core.Numbers;
using L = Trader.Core.Observations.ObservationLayout;

namespace Trader.Core.Observations;

/// <summary>
/// Features 0–25 of the observation (original-system.md §9.2): prices, spreads, volumes and book shape of one market.
/// <para>
/// Units follow the training code: prices in cents as numbers (a sub-penny price is a fractional cent, 45.5¢), sizes
/// in contracts as numbers (<see cref="Quantity.Units"/> / 100, so fractional contracts count as fractions). The
/// formulas are evaluated in double precision in the same order of operations as the Python, so that for whole-cent
/// books the float32 result is the same.
/// </para>
/// <para>
/// With Kalshi's single book the YES asks are the NO bids mirrored and the NO asks the YES bids mirrored, so several
/// features are identical or constant by construction: the two spreads (6/7, 10/11, 12/13), the two depth features
/// (22/23) and the two concentration features (24/25) coincide, and volume imbalance (15), the bid/ask depth ratio
/// (18) and the YES/NO consistency (19) are 0 whenever both sides exist. They are still computed by their formulas,
/// as the model saw them in training (the training data had the same shape).
/// </para>
/// </summary>
public static class MarketFeatures
{
    /// <summary>Reference number of levels for the depth features (20).</summary>
    public const double MaxDepthReference = 20.0;

    /// <summary>Reference total volume for <see cref="L.TotalVolume"/> (10,000 contracts).</summary>
    public const double MaxVolumeReference = 10000.0;

    /// <summary>Spread assumed when a leg lacks a bid or an ask: 10¢.</summary>
    public const double MissingSpreadCents = 10.0;

    private static readonly double LogOfMaxVolume = Math.Log(1 + MaxVolumeReference);

    /// <summary>Writes features 0–25 into <paramref name="features"/>[0..26).</summary>
    public static void Write(OrderBook book, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (features.Length < L.MarketCount)
            throw new ArgumentException($"market features need {L.MarketCount} slots, got {features.Length}", nameof(features));

        double? bb = Cents(book.BestYesBid);
        double? ba = Cents(book.BestYesAsk);
        double? nb = Cents(book.BestNoBid);
        double? na = Cents(book.BestNoAsk);

        features[L.BestYesBid] = bb / 100.0 ?? 0.5;
        features[L.BestYesAsk] = ba / 100.0 ?? 0.5;
        features[L.BestNoBid] = nb / 100.0 ?? 0.5;
        features[L.BestNoAsk] = na / 100.0 ?? 0.5;

        double ys = bb is { } yb && ba is { } ya ? ya - yb : MissingSpreadCents;
        double ns = nb is { } xb && na is { } xa ? xa - xb : MissingSpreadCents;
        double ym = Mid(bb, ba);
        double nm = Mid(nb, na);

        features[L.YesMidPrice] = Math.Clamp(ym, 0.01, 0.99);
        features[L.NoMidPrice] = Math.Clamp(nm, 0.01, 0.99);
        features[L.YesSpread] = ys / 100.0;
        features[L.NoSpread] = ns / 100.0;
        // ym > 0 always: a tradable price is above zero, and the fallback is 0.5.
        features[L.YesSpreadPct] = ys / (ym * 100.0);
        features[L.NoSpreadPct] = ns / (nm * 100.0);
        features[L.YesSpreadRegime] = SpreadRegime(ys);
        features[L.NoSpreadRegime] = SpreadRegime(ns);
        features[L.YesBreakevenMove] = ys / 100.0;
        features[L.NoBreakevenMove] = ns / 100.0;

        // Volumes in contracts. YES asks are the NO bids; NO asks are the YES bids.
        double yesBidVolume = Contracts(book.BidVolume(BookLeg.Yes));
        double yesAskVolume = Contracts(book.AskVolume(BookLeg.Yes));
        double noBidVolume = Contracts(book.BidVolume(BookLeg.No));
        double noAskVolume = Contracts(book.AskVolume(BookLeg.No));
        double yesTotal = yesBidVolume + yesAskVolume;
        double noTotal = noBidVolume + noAskVolume;
        double total = yesTotal + noTotal;

        features[L.TotalVolume] = Math.Min(Math.Log(1 + total) / LogOfMaxVolume, 1.0);
        features[L.VolumeImbalance] = total > 0 ? (yesTotal - noTotal) / total : 0.0;
        features[L.YesSideImbalance] = yesTotal > 0 ? (yesBidVolume - yesAskVolume) / yesTotal : 0.0;
        features[L.NoSideImbalance] = noTotal > 0 ? (noBidVolume - noAskVolume) / noTotal : 0.0;
        features[L.BidAskDepthRatio] = Math.Tanh(0.5 * (Math.Log(1 + yesBidVolume + noBidVolume) - Math.Log(1 + yesAskVolume + noAskVolume)));
        features[L.YesNoConsistency] = bb is { } cb && na is { } ca ? Math.Abs(cb + ca - 100) / 100.0 : 0.5;
        features[L.YesMicroprice] = Microprice(bb, ba, yesBidVolume, yesAskVolume, ym);
        features[L.NoMicroprice] = Microprice(nb, na, noBidVolume, noAskVolume, nm);

        int yesLevels = book.BidLevelCount(BookLeg.Yes) + book.AskLevelCount(BookLeg.Yes);
        int noLevels = book.BidLevelCount(BookLeg.No) + book.AskLevelCount(BookLeg.No);
        features[L.YesBookDepth] = Math.Min(yesLevels / MaxDepthReference, 1.0);
        features[L.NoBookDepth] = Math.Min(noLevels / MaxDepthReference, 1.0);

        Span<Quantity> yesBidTop = stackalloc Quantity[3];
        Span<Quantity> noBidTop = stackalloc Quantity[3];
        int yesBidCount = book.LargestBidSizes(BookLeg.Yes, yesBidTop);
        int noBidCount = book.LargestBidSizes(BookLeg.No, noBidTop);
        // YES leg levels = YES bids ∪ YES asks (the NO bids); NO leg levels = NO bids ∪ NO asks (the YES bids).
        features[L.YesLiquidityConcentration] = Concentration(yesBidTop[..yesBidCount], noBidTop[..noBidCount], yesTotal);
        features[L.NoLiquidityConcentration] = Concentration(noBidTop[..noBidCount], yesBidTop[..yesBidCount], noTotal);
    }

    /// <summary>YES mid in dollars, (bid + ask) / 2 / 100 from cents, or 0.5 when a side is missing (unclamped).</summary>
    internal static double Mid(double? bidCents, double? askCents) =>
        bidCents is { } b && askCents is { } a ? (b + a) / 2.0 / 100.0 : 0.5;

    /// <summary>The regime of a spread in cents: &lt;2 → 0, &lt;5 → 0.25, &lt;10 → 0.5, &lt;20 → 0.75, else 1.</summary>
    public static double SpreadRegime(double spreadCents) => spreadCents switch
    {
        < 2 => 0.0,
        < 5 => 0.25,
        < 10 => 0.5,
        < 20 => 0.75,
        _ => 1.0,
    };

    /// <summary>A price in cents as a number (45.5 for 0.4550), null for a missing level.</summary>
    internal static double? Cents(BookLevel? level) =>
        level is { } l ? l.Price.Ticks / (double)Price.TicksPerCent : null;

    /// <summary>A size in contracts as a number.</summary>
    internal static double Contracts(Quantity q) => q.Units / (double)Quantity.UnitsPerContract;

    private static double Microprice(double? bid, double? ask, double bidVolume, double askVolume, double fallback)
    {
        if (bid is { } b && ask is { } a && askVolume > 0 && bidVolume > 0)
            return (b * askVolume + a * bidVolume) / (bidVolume + askVolume) / 100.0;
        return fallback;
    }

    /// <summary>Σ of the three largest level sizes of two sets of levels over their total; 0.5 when there are none.</summary>
    private static double Concentration(ReadOnlySpan<Quantity> a, ReadOnlySpan<Quantity> b, double total)
    {
        if (a.Length + b.Length == 0 || total <= 0) return 0.5;
        // Merge the two descending lists, taking three.
        long top = 0;
        int i = 0, j = 0;
        for (int taken = 0; taken < 3 && (i < a.Length || j < b.Length); taken++)
        {
            if (j >= b.Length || (i < a.Length && a[i].Units >= b[j].Units)) top += a[i++].Units;
            else top += b[j++].Units;
        }
        return top / (double)Quantity.UnitsPerContract / total;
    }
}
