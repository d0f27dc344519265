using Trader.Actors.Monitoring;

namespace Trader.Actors.Tests;

public class MetricsTests
{
    [Fact]
    public void Writes_the_prometheus_text_format()
    {
        var m = new TraderMetrics();
        m.Orders.Inc("placed");
        m.Orders.Inc("placed");
        m.Orders.Inc("refused");
        m.Fills.Inc(by: 3);
        m.SetState("ready");
        m.Degraded.Set(1);
        m.DecisionSkips.Inc("stale");
        m.StreamConnected.Set(1, "orderbook");
        m.StreamConnected.Set(0, "user-stream");
        m.DecisionLatency.Observe(TimeSpan.FromMicroseconds(30));
        m.DecisionLatency.Observe(TimeSpan.FromMilliseconds(2));

        var text = m.WritePrometheus();
        var lines = text.Split('\n');
        Assert.Contains("# TYPE trader_orders_total counter", lines);
        Assert.Contains("trader_orders_total{outcome=\"placed\"} 2", lines);
        Assert.Contains("trader_orders_total{outcome=\"refused\"} 1", lines);
        Assert.Contains("trader_fills_total 3", lines);
        Assert.Contains("trader_state{state=\"ready\"} 1", lines);
        Assert.Contains("trader_state{state=\"error\"} 0", lines);
        Assert.Contains("# TYPE trader_degraded gauge", lines);
        Assert.Contains("trader_degraded 1", lines);
        Assert.Contains("trader_decision_skips_total{reason=\"stale\"} 1", lines);
        Assert.Contains("# TYPE trader_stream_connected gauge", lines);
        Assert.Contains("trader_stream_connected{stream=\"orderbook\"} 1", lines);
        Assert.Contains("trader_stream_connected{stream=\"user-stream\"} 0", lines);
        Assert.Contains("trader_decision_latency_seconds_bucket{le=\"2.5E-05\"} 0", lines);
        Assert.Contains("trader_decision_latency_seconds_bucket{le=\"5E-05\"} 1", lines);
        Assert.Contains("trader_decision_latency_seconds_bucket{le=\"0.0025\"} 2", lines);
        Assert.Contains("trader_decision_latency_seconds_bucket{le=\"+Inf\"} 2", lines);
        Assert.Contains("trader_decision_latency_seconds_count 2", lines);
        Assert.Contains("trader_decision_latency_seconds_sum 0.00203", lines);

        // Every sample line is "name{labels} value" or "name value" with a numeric value.
        foreach (var line in lines.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var value = line[(line.LastIndexOf(' ') + 1)..];
            Assert.True(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _), line);
        }
    }
}
