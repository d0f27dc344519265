using Microsoft.ML.OnnxRuntime;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Policy.Heuristics;
using Trader.Policy.Networks;
using Trader.Policy.Onnx;
using Trader.Policy.Training;
using Xunit.Abstractions;

namespace Trader.Policy.Tests.Training;

public class BehaviourCloningTests(ITestOutputHelper output)
{
    /// <summary>Labels = argmax of a fixed random linear map: linearly separable by construction.</summary>
    private static BehaviourCloningDataset LinearDataset(int count, int seed)
    {
        var map = new Random(99);
        var a = new float[5 * 52];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(map.NextDouble() * 2 - 1);
        var random = new Random(seed);
        var data = new BehaviourCloningDataset();
        var obs = new float[52];
        var scores = new float[5];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < 52; i++) obs[i] = (float)(random.NextDouble() * 2 - 1);
            for (int k = 0; k < 5; k++)
            {
                float s = 0;
                for (int i = 0; i < 52; i++) s += a[k * 52 + i] * obs[i];
                scores[k] = s;
            }
            data.Add(obs, MlpNetwork.ArgMax(scores));
        }
        return data;
    }

    /// <summary>Books with random spread and imbalance, labelled by the heuristic policy (flat position).</summary>
    private static BehaviourCloningDataset HeuristicDataset(int count, int seed)
    {
        var heuristic = new SpreadImbalancePolicy();
        var random = new Random(seed);
        var data = new BehaviourCloningDataset();
        var context = new DecisionContext("KXTEST", Quantity.Zero);
        for (int n = 0; n < count; n++)
        {
            var obs = (float[])TestData.ReferenceObservation1.Clone();
            float spread = random.Next(1, 7) / 100f, imbalance = (float)(random.NextDouble() * 2 - 1);
            obs[ObservationLayout.YesSpread] = obs[ObservationLayout.NoSpread] = spread;
            obs[ObservationLayout.YesSideImbalance] = imbalance;
            obs[ObservationLayout.NoSideImbalance] = -imbalance;
            obs[ObservationLayout.YesMicroprice] = obs[ObservationLayout.YesMidPrice] + spread / 2 * imbalance;
            data.Add(obs, heuristic.Decide(obs, context).Action);
        }
        return data;
    }

    private static readonly BehaviourCloningOptions Small = new() { HiddenSize = 32, Epochs = 25, BatchSize = 32, LearningRate = 3e-3f, Seed = 7 };

    [Fact]
    public void Learns_a_linearly_separable_labeling()
    {
        var train = LinearDataset(4000, seed: 1);
        var result = BehaviourCloningTrainer.Train(train, 5, Small);
        Assert.True(result.Accuracy >= 0.95, $"training accuracy {result.Accuracy:P1}");
        var test = LinearDataset(500, seed: 2);
        double heldOut = BehaviourCloningTrainer.Accuracy(result.Network, test);
        output.WriteLine($"linear labeling: training accuracy {result.Accuracy:P1}, held-out {heldOut:P1}, loss {result.Epochs[0].Loss:F3} → {result.Epochs[^1].Loss:F3}");
        Assert.True(heldOut >= 0.90, $"held-out accuracy {heldOut:P1}");
        Assert.Equal(25, result.Epochs.Count);
        Assert.True(result.Epochs[^1].Loss < result.Epochs[0].Loss / 3, $"loss {result.Epochs[0].Loss:F3} → {result.Epochs[^1].Loss:F3}");
        Assert.Equal(52, result.Network.InputSize);
        Assert.Equal([32, 32], result.Network.Hidden.Select(l => l.OutputSize));
    }

    [Fact]
    public void Imitates_the_heuristic_policy()
    {
        var result = BehaviourCloningTrainer.Train(HeuristicDataset(3000, seed: 3), 5, Small with { Epochs = 40 });
        double heldOut = BehaviourCloningTrainer.Accuracy(result.Network, HeuristicDataset(1000, seed: 4));
        output.WriteLine($"heuristic imitation: training accuracy {result.Accuracy:P1}, held-out {heldOut:P1}");
        Assert.True(heldOut >= 0.9, $"held-out agreement with the heuristic {heldOut:P1}");
    }

    [Fact]
    public void Same_seed_gives_the_same_network_and_another_seed_does_not()
    {
        var data = LinearDataset(300, seed: 5);
        var options = Small with { Epochs = 3 };
        var a = BehaviourCloningTrainer.Train(data, 5, options).Network;
        var b = BehaviourCloningTrainer.Train(data, 5, options).Network;
        var c = BehaviourCloningTrainer.Train(data, 5, options with { Seed = 8 }).Network;
        for (int l = 0; l < a.Hidden.Count; l++)
        {
            Assert.Equal(a.Hidden[l].Weights, b.Hidden[l].Weights);
            Assert.Equal(a.Hidden[l].Bias, b.Hidden[l].Bias);
        }
        Assert.Equal(a.Output.Weights, b.Output.Weights);
        Assert.NotEqual(a.Output.Weights, c.Output.Weights);
    }

    [Fact]
    public void Exported_model_reproduces_the_trained_argmax()
    {
        var data = LinearDataset(1500, seed: 6);
        var result = BehaviourCloningTrainer.Train(data, 5, Small);
        using var dir = new TestData.TempDirectory();
        var path = dir.File("bc.onnx");
        result.SaveOnnx(path);

        using var policy = OnnxPolicy.Load(path);
        Assert.Equal("behaviour-cloning", policy.Metadata["trader.source"]);
        Assert.Equal("1500", policy.Metadata["bc.examples"]);
        var logits = new float[5];
        int compared = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var obs = data.Observation(i).ToArray();
            result.Network.Forward(obs, logits);
            var decision = policy.Decide(obs, DecisionContext.Flat("X"));
            for (int k = 0; k < 5; k++) Assert.Equal(logits[k], decision.Logits[k], 1e-4f);
            var sorted = logits.OrderDescending().ToArray();
            if (sorted[0] - sorted[1] < 1e-4f) continue; // a near tie may round either way
            Assert.Equal(MlpNetwork.ArgMax(logits), decision.Action);
            compared++;
        }
        Assert.True(compared > 1400, $"only {compared} decisions had a clear winner");
    }

    [Fact]
    public void Class_balancing_recovers_a_rare_action()
    {
        // About 94 % HOLD; BUY_YES exactly when feature 16 (YES imbalance) > 0.88.
        var random = new Random(11);
        var data = new BehaviourCloningDataset();
        var obs = new float[52];
        for (int n = 0; n < 3000; n++)
        {
            for (int i = 0; i < 52; i++) obs[i] = (float)(random.NextDouble() * 2 - 1);
            data.Add(obs, obs[ObservationLayout.YesSideImbalance] > 0.88f ? PolicyActions.BuyYes : PolicyActions.Hold);
        }
        var counts = data.ActionCounts(5);
        Assert.InRange(counts[PolicyActions.BuyYes], 120, 240);

        var balanced = BehaviourCloningTrainer.Train(data, 5, Small with { BalanceClasses = true, Epochs = 30 });
        var logits = new float[5];
        int found = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (data.Action(i) != PolicyActions.BuyYes) continue;
            balanced.Network.Forward(data.Observation(i), logits);
            if (MlpNetwork.ArgMax(logits) == PolicyActions.BuyYes) found++;
        }
        double recall = (double)found / counts[PolicyActions.BuyYes];
        output.WriteLine($"balanced classes: rare-action recall {recall:P1}, accuracy {balanced.Accuracy:P1}");
        Assert.True(recall >= 0.8, $"recall of the rare action {recall:P1}");
        Assert.True(balanced.Accuracy >= 0.9, $"accuracy {balanced.Accuracy:P1}");
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        var empty = new BehaviourCloningDataset();
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => BehaviourCloningTrainer.Train(empty, 5)).Message);

        var data = new BehaviourCloningDataset();
        data.Add(new float[52], 7);
        Assert.Contains("action 7", Assert.Throws<ArgumentOutOfRangeException>(() => BehaviourCloningTrainer.Train(data, 5)).Message);

        var nan = new float[52];
        nan[3] = float.NaN;
        Assert.Contains("feature 3", Assert.Throws<ArgumentException>(() => data.Add(nan, 0)).Message);
        Assert.Throws<ArgumentException>(() => data.Add(new float[51], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Add(new float[52], -1));
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => BehaviourCloningTrainer.Train(data, 8, new BehaviourCloningOptions { Epochs = 0 })).Message);
    }

    [Fact]
    public void Progress_is_reported_per_epoch()
    {
        var reports = new List<EpochReport>();
        BehaviourCloningTrainer.Train(LinearDataset(200, seed: 9), 5, Small with { Epochs = 4 }, reports.Add);
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.InRange(r.Accuracy, 0, 1));
    }
}
