using Trader.Policy.Networks;
using Trader.Policy.Onnx;
using Trader.Policy.StableBaselines;

namespace Trader.Policy.Tests.StableBaselines;

/// <summary>
/// The check on the user's production model (original-system.md §9.7 and §13): converted to ONNX in memory (never
/// written into the repository), its logits for the two reference observations match the published values, and the
/// sanity facts of §13 hold.
/// </summary>
public class UserModelTests
{
    // The reference logits are rounded to 4 decimals: allow the rounding (5e-5) plus 1e-4.
    private const float Tolerance = 1.5e-4f;

    private static readonly Lazy<(Sb3PolicyModel Model, byte[] Onnx)> Converted = new(() =>
    {
        var model = Sb3ModelReader.Read(UserModelFactAttribute.ModelPath);
        return (model, Sb3OnnxConverter.ToOnnx(model));
    });

    [UserModelFact]
    public void Model_is_the_documented_architecture()
    {
        var model = Converted.Value.Model;
        Assert.Equal("2.7.1", model.Sb3Version);
        Assert.Equal("stable_baselines3.common.policies.ActorCriticPolicy", model.PolicyClass);
        Assert.Equal(52, model.ObservationLength);
        Assert.Equal(5, model.ActionCount);
        Assert.Equal(HiddenActivation.Tanh, model.Network.Activation);
        Assert.Equal([64, 64], model.Network.Hidden.Select(l => l.OutputSize));
        Assert.Equal("SB3 2.7.1 ActorCriticPolicy 52→64→64→5 (tanh)", model.Describe());
        Assert.Contains(("mlp_extractor.value_net.0.weight", "[64, 52]"), model.Tensors);
        Assert.Contains(("action_net.weight", "[5, 64]"), model.Tensors);
    }

    [UserModelFact]
    public void Action_net_bias_is_the_documented_one()
    {
        float[] expected = [-0.027413f, -0.060894f, 0.148288f, -0.065452f, 0.027781f];
        var bias = Converted.Value.Model.Network.Output.Bias;
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], bias[i], 1e-6f);
    }

    [UserModelFact]
    public void Reference_observations_give_the_reference_logits()
    {
        using var policy = OnnxPolicy.FromBytes(Converted.Value.Onnx, "session12_ppo_final.onnx");

        var first = policy.Decide(TestData.ReferenceObservation1, DecisionContext.Flat("KXTEST"));
        AssertLogits([0.7577f, 0.0443f, -0.6663f, -0.3789f, 0.9295f], first.Logits);
        Assert.Equal(PolicyActions.SellNo, first.Action);

        var second = policy.Decide(TestData.ReferenceObservation2(), DecisionContext.Flat("KXTEST"));
        AssertLogits([0.5844f, 0.0012f, -0.4105f, -0.4487f, 0.8469f], second.Logits);
        Assert.Equal(PolicyActions.SellNo, second.Action);
    }

    [UserModelFact]
    public void Stored_last_observation_gives_the_documented_logits()
    {
        var model = Converted.Value.Model;
        Assert.NotNull(model.LastObservation);
        using var policy = OnnxPolicy.FromBytes(Converted.Value.Onnx, "session12_ppo_final.onnx");
        var decision = policy.Decide(model.LastObservation, DecisionContext.Flat("KXTEST"));
        AssertLogits([-0.4271f, -1.0688f, 3.1357f, -1.5721f, -0.6019f], decision.Logits);
        Assert.Equal(PolicyActions.SellYes, decision.Action);

        // The C# forward pass over the same weights agrees with ONNX Runtime.
        var managed = new float[5];
        model.Network.Forward(model.LastObservation, managed);
        AssertLogits(managed, decision.Logits, 1e-5f);
    }

    private static void AssertLogits(float[] expected, ReadOnlySpan<float> actual, float tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance,
                $"logit {i}: expected {expected[i]:F4}, got {actual[i]:F6} (all: {string.Join(", ", actual.ToArray().Select(v => v.ToString("F6")))})");
        }
    }
}
