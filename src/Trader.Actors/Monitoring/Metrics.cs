using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Trader.Actors.Monitoring;

/// <summary>A monotonically increasing count, optionally split by one label (e.g. <c>outcome</c>).</summary>
public sealed class Counter(string name, string help, string? label = null)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _values = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public string Help { get; } = help;
    public string? Label { get; } = label;

    public void Inc(string labelValue = "", long by = 1) => Interlocked.Add(ref _values.GetOrAdd(labelValue, _ => new StrongBox<long>()).Value, by);

    public long Value(string labelValue = "") => _values.TryGetValue(labelValue, out var v) ? Interlocked.Read(ref v.Value) : 0;

    public IEnumerable<(string Label, long Value)> Values => _values.Select(kv => (kv.Key, Interlocked.Read(ref kv.Value.Value)));
}

/// <summary>A value that goes up and down, optionally split by one label.</summary>
public sealed class Gauge(string name, string help, string? label = null)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _values = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public string Help { get; } = help;
    public string? Label { get; } = label;

    public void Set(long value, string labelValue = "") => Interlocked.Exchange(ref _values.GetOrAdd(labelValue, _ => new StrongBox<long>()).Value, value);

    public long Value(string labelValue = "") => _values.TryGetValue(labelValue, out var v) ? Interlocked.Read(ref v.Value) : 0;

    public IEnumerable<(string Label, long Value)> Values => _values.Select(kv => (kv.Key, Interlocked.Read(ref kv.Value.Value)));
}

/// <summary>A histogram of durations in seconds with fixed upper bounds (cumulative buckets, Prometheus style).</summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumNanos;

    public Histogram(string name, string help, double[] upperBoundsSeconds)
    {
        Name = name;
        Help = help;
        _bounds = upperBoundsSeconds.OrderBy(b => b).ToArray();
        _counts = new long[_bounds.Length];
    }

    public string Name { get; }
    public string Help { get; }
    public long Count => Interlocked.Read(ref _count);

    public void Observe(TimeSpan duration)
    {
        double seconds = duration.TotalSeconds;
        for (int i = 0; i < _bounds.Length; i++)
        {
            if (seconds <= _bounds[i]) Interlocked.Increment(ref _counts[i]);
        }
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumNanos, (long)(duration.Ticks * 100L));
    }

    internal IEnumerable<(double Bound, long Count)> Buckets => _bounds.Select((b, i) => (b, Interlocked.Read(ref _counts[i])));
    internal double SumSeconds => Interlocked.Read(ref _sumNanos) / 1e9;
}

/// <summary>Thread-safe box for Interlocked updates in a dictionary.</summary>
public sealed class StrongBox<T>
    where T : struct
{
    public T Value;
}

/// <summary>
/// The trader's metrics, written by the actors and read by <c>GET /metrics</c> in Prometheus text format
/// (<see cref="WritePrometheus"/>). Lock-free counters; one instance per trader process.
/// </summary>
public sealed class TraderMetrics
{
    public Counter Orders { get; } = new("trader_orders_total", "Orders by outcome: placed, rejected (by the exchange), unknown (no answer), refused (pre-trade checks or state).", "outcome");
    public Counter Fills { get; } = new("trader_fills_total", "New fills applied (after de-duplication).");
    public Counter Decisions { get; } = new("trader_decisions_total", "Decisions taken by the policy.");
    public Counter Actions { get; } = new("trader_actions_total", "Decided actions by type: hold, buy_yes, sell_yes, buy_no, sell_no.", "action");
    public Counter DecisionSkips { get; } = new("trader_decision_skips_total",
        "Order-book updates not decided on, by reason: not_ready, stale, throttled, disabled; refused:<code> for actions the coordinator refused.", "reason");
    public Counter Reconnects { get; } = new("trader_stream_reconnects_total", "WebSocket reconnects by stream.", "stream");
    public Counter Gaps { get; } = new("trader_orderbook_gaps_total", "Orderbook sequence gaps detected (each followed by a re-snapshot).");
    public Counter Calibrations { get; } = new("trader_calibrations_total", "Calibrations by result: ok, failed.", "result");
    public Counter ChildRestarts { get; } = new("trader_child_restarts_total", "Service actor restarts by actor.", "actor");
    public Gauge State { get; } = new("trader_state", "1 for the coordinator's current state, 0 for the others.", "state");
    public Gauge Degraded { get; } = new("trader_degraded", "1 while an optional stream is down (e.g. the orderbook socket refused: markets stale) and trading goes on degraded, else 0.");
    public Gauge StaleMarkets { get; } = new("trader_stale_markets", "Markets whose order book is not trusted (no snapshot yet, gap, stream down).");
    public Gauge StreamConnected { get; } = new("trader_stream_connected", "1 while a WebSocket stream is connected, 0 while it is down, by stream: orderbook, user-stream.", "stream");

    public Histogram DecisionLatency { get; } = new("trader_decision_latency_seconds",
        "From an orderbook delta's arrival to the policy's decision.",
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1]);

    public void SetState(string state)
    {
        foreach (var s in new[] { "idle", "calibrating", "ready", "acting", "error" }) State.Set(s == state ? 1 : 0, s);
    }

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    public string WritePrometheus()
    {
        var sb = new StringBuilder();
        foreach (var c in new[] { Orders, Fills, Decisions, Actions, DecisionSkips, Reconnects, Gaps, Calibrations, ChildRestarts })
            Family(sb, c.Name, c.Help, "counter", c.Label, c.Values);
        foreach (var g in new[] { State, Degraded, StaleMarkets, StreamConnected })
            Family(sb, g.Name, g.Help, "gauge", g.Label, g.Values);

        var h = DecisionLatency;
        sb.Append("# HELP ").Append(h.Name).Append(' ').Append(h.Help).Append('\n');
        sb.Append("# TYPE ").Append(h.Name).Append(" histogram\n");
        foreach (var (bound, count) in h.Buckets)
            sb.Append(h.Name).Append("_bucket{le=\"").Append(Number(bound)).Append("\"} ").Append(count).Append('\n');
        sb.Append(h.Name).Append("_bucket{le=\"+Inf\"} ").Append(h.Count).Append('\n');
        sb.Append(h.Name).Append("_sum ").Append(Number(h.SumSeconds)).Append('\n');
        sb.Append(h.Name).Append("_count ").Append(h.Count).Append('\n');
        return sb.ToString();
    }

    private static void Family(StringBuilder sb, string name, string help, string type, string? label, IEnumerable<(string Label, long Value)> values)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        var list = values.OrderBy(v => v.Label, StringComparer.Ordinal).ToList();
        if (label is null)
        {
            sb.Append(name).Append(' ').Append(list.Sum(v => v.Value)).Append('\n');
            return;
        }
        foreach (var (l, v) in list)
            sb.Append(name).Append('{').Append(label).Append("=\"").Append(Escape(l)).Append("\"} ").Append(v).Append('\n');
    }

    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
