namespace Trader.Core.Observations;

/// <summary>
/// One observation of a market as the temporal features see it (the original's <c>SessionDataPoint</c>, reduced to the
/// fields those features read).
/// </summary>
/// <param name="TimestampMs">Unix time of the observation in whole milliseconds (truncated, as the Python's <c>int(ts × 1000)</c>).</param>
/// <param name="ActivityScore">The point's activity score in [0, 1] (§9.6; 0 in <see cref="TemporalInputs.OriginalLive"/>).</param>
/// <param name="YesMidCents">The YES mid in cents, (best bid + best ask) / 2, or NaN when either side is missing (or in
/// <see cref="TemporalInputs.OriginalLive"/>, where the original recorded no mid prices).</param>
public readonly record struct WindowPoint(long TimestampMs, double ActivityScore, double YesMidCents)
{
    public bool HasYesMid => !double.IsNaN(YesMidCents);
}

/// <summary>
/// The recent observations of one market: a fixed-capacity window (10 by default, the original's <c>window_size</c>)
/// of <see cref="WindowPoint"/>s, oldest first, plus the last three defined YES mids for the momentum input.
/// <para>
/// Storage is preallocated at construction and never grows: a ring buffer written twice (at <c>i</c> and
/// <c>i + capacity</c>) so that the window is always one contiguous span, readable without copying. Appending past the
/// capacity drops the oldest point.
/// </para>
/// <para>
/// The momentum history is kept apart from the window because training took "the last three YES mids" of the market
/// over the whole session, skipping points where a side was missing (§9.6); a window of one-sided books must not
/// erase it.
/// </para>
/// </summary>
public sealed class MarketWindow
{
    private readonly WindowPoint[] _points;
    private readonly int _capacity;
    private int _next;
    private int _count;

    // The last three defined YES mids in cents, oldest first in logical order (ring of 3).
    private readonly double[] _mids = new double[3];
    private int _midNext;
    private int _midCount;

    public MarketWindow(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a market window needs room for at least one point");
        _capacity = capacity;
        _points = new WindowPoint[2 * capacity];
    }

    /// <summary>The most points the window keeps.</summary>
    public int Capacity => _capacity;

    /// <summary>Points in the window now.</summary>
    public int Count => _count;

    /// <summary>The window's points, oldest first; the last one is the most recent.</summary>
    public ReadOnlySpan<WindowPoint> Points => new(_points, (_next - _count + _capacity) % _capacity, _count);

    /// <summary>The most recent point, or null when the window is empty.</summary>
    public WindowPoint? Last => _count == 0 ? null : _points[(_next - 1 + _capacity) % _capacity];

    /// <summary>How many defined YES mids the momentum history holds (0–3).</summary>
    public int MidCount => _midCount;

    /// <summary>Adds a point, dropping the oldest when full; a defined YES mid also enters the momentum history.</summary>
    public void Append(in WindowPoint point)
    {
        _points[_next] = point;
        _points[_next + _capacity] = point;
        _next = (_next + 1) % _capacity;
        if (_count < _capacity) _count++;

        if (point.HasYesMid)
        {
            _mids[_midNext] = point.YesMidCents;
            _midNext = (_midNext + 1) % 3;
            if (_midCount < 3) _midCount++;
        }
    }

    /// <summary>
    /// The price momentum of §9.6 from the last three defined YES mids p₋₃, p₋₂, p₋₁ (cents):
    /// tanh((Δ₁ − Δ₂) / |Δ₂|) with Δ₁ = p₋₁ − p₋₂ and Δ₂ = p₋₂ − p₋₃, when |Δ₂| &gt; 0.001¢; otherwise 0 (also with
    /// fewer than three mids). One market per observation, so the "mean over markets" is this one value.
    /// </summary>
    public double Momentum()
    {
        if (_midCount < 3) return 0.0;
        double p3 = _mids[_midNext];            // oldest of the three
        double p2 = _mids[(_midNext + 1) % 3];
        double p1 = _mids[(_midNext + 2) % 3];  // newest
        double recent = p1 - p2;
        double previous = p2 - p3;
        if (Math.Abs(previous) > 0.001) return Math.Tanh((recent - previous) / Math.Abs(previous));
        return 0.0;
    }

    /// <summary>Empties the window and the momentum history (the storage is kept).</summary>
    public void Clear()
    {
        _next = _count = 0;
        _midNext = _midCount = 0;
    }
}
