using Trader.Replay.Replaying;
using static Trader.Scenarios.Tests.ScenarioTapes;

namespace Trader.Scenarios.Tests;

/// <summary>Two replays of the same tape with the same model and settings give identical output.</summary>
public class DeterminismTests
{
    [Theory]
    [MemberData(nameof(All), MemberType = typeof(ScenarioTapes))]
    public void Two_replays_of_a_tape_print_the_same(string tape)
    {
        var first = Replayer.Run(Read(tape));
        var second = Replayer.Run(Read(tape));
        Assert.Equal(ReplayReport.Text(first), ReplayReport.Text(second));
        Assert.Equal(ReplayReport.JsonLines(first), ReplayReport.JsonLines(second));
        Assert.Equal(first.StatusText, second.StatusText);
        Assert.Equal(first.Decisions.Count, second.Decisions.Count);
        for (int i = 0; i < first.Decisions.Count; i++)
        {
            Assert.Equal(first.Decisions[i].Observation, second.Decisions[i].Observation);
            Assert.Equal(first.Decisions[i].At, second.Decisions[i].At);
        }
    }

    [Fact]
    public void Replays_running_side_by_side_print_what_they_print_alone()
    {
        var names = All.Select(a => (string)a[0]).ToList();
        var alone = names.ToDictionary(n => n, n => ReplayReport.Text(Replayer.Run(Read(n))));
        var together = new System.Collections.Concurrent.ConcurrentBag<(string Name, string Text)>();
        Parallel.ForEach(names.Concat(names), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            n => together.Add((n, ReplayReport.Text(Replayer.Run(Read(n))))));
        Assert.Equal(names.Count * 2, together.Count);
        Assert.All(together, t => Assert.Equal(alone[t.Name], t.Text));
    }

    [Fact]
    public void Two_replays_with_the_onnx_model_give_the_same_logits()
    {
        var options = new ReplayOptions { Policy = "position-aware:onnx", ModelPath = "models/default.onnx" };
        var first = Replayed(CalibrationReady, options);
        var second = Replayed(CalibrationReady, options);
        Assert.NotEmpty(first.Decisions);
        Assert.All(first.Decisions, d => Assert.Equal(5, d.Logits.Length));
        Assert.Equal(first.Decisions.Select(d => d.Logits), second.Decisions.Select(d => d.Logits));
        Assert.Equal(ReplayReport.JsonLines(first), ReplayReport.JsonLines(second));
        Assert.Contains("default.onnx", first.Policy);
    }
}
