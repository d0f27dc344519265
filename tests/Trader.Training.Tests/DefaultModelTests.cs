using Trader.Policy;
using Trader.Policy.Heuristics;
using Trader.Policy.Onnx;
using Trader.Training;

namespace Trader.Training.Tests;

public class DefaultModelTests
{
    private static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "default.onnx");

    [Fact]
    public void A_session_is_the_same_for_the_same_seed_and_differs_for_another()
    {
        var teacher = new PositionAwarePolicy(new SpreadImbalancePolicy());
        var a = SimulatorImitation.Collect(teacher, new ImitationOptions { Seed = 3, Steps = 40 });
        var b = SimulatorImitation.Collect(teacher, new ImitationOptions { Seed = 3, Steps = 40 });
        var c = SimulatorImitation.Collect(teacher, new ImitationOptions { Seed = 4, Steps = 40 });
        Assert.Equal(a.Data.Count, b.Data.Count);
        for (int i = 0; i < a.Data.Count; i++)
        {
            Assert.True(a.Data.Observation(i).SequenceEqual(b.Data.Observation(i)), $"observation {i} differs");
            Assert.Equal(a.Data.Action(i), b.Data.Action(i));
        }
        Assert.Contains(Enumerable.Range(0, Math.Min(a.Data.Count, c.Data.Count)),
            i => !a.Data.Observation(i).SequenceEqual(c.Data.Observation(i)));
    }

    [Fact]
    public void Observations_are_the_live_52_features_within_their_bounds()
    {
        var session = SimulatorImitation.Collect(new HoldPolicy(), new ImitationOptions { Seed = 5, Steps = 20 });
        Assert.Equal(20 * 6, session.Data.Count); // six default markets
        for (int i = 0; i < session.Data.Count; i++)
        {
            var o = session.Data.Observation(i);
            Assert.Equal(52, o.Length);
            Assert.All(o.ToArray(), v => Assert.InRange(v, -2f, 2f));
        }
        Assert.Equal(session.Data.Count, session.ActionCounts[0]);
        Assert.Equal(0, session.Orders);
    }

    [Fact]
    public void The_shipped_model_trades_sensibly_in_the_simulator()
    {
        using var model = OnnxPolicy.Load(ShippedModel);
        Assert.Equal(5, model.ActionCount);
        var student = new PositionAwarePolicy(model);

        // A session the model never saw: it must trade sometimes, in more than one way, and mostly hold.
        var session = SimulatorImitation.Collect(student, new ImitationOptions { Seed = 2024, Steps = 300 });
        int total = session.Data.Count;
        int trades = total - session.ActionCounts[PolicyActions.Hold];
        Assert.InRange(trades, total / 1000 + 1, total / 5);
        Assert.True(session.ActionCounts.Skip(1).Count(c => c > 0) >= 2, $"one action repeated: {string.Join(", ", session.ActionCounts)}");
        Assert.True(session.Orders > 0 && session.Fills > 0);
    }
}
