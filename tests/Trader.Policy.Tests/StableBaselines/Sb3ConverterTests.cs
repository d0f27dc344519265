using Trader.Policy.Networks;
using Trader.Policy.Onnx;
using Trader.Policy.StableBaselines;

namespace Trader.Policy.Tests.StableBaselines;

/// <summary>The converter on synthetic SB3 zips with known weights (no user model needed).</summary>
public class Sb3ConverterTests
{
    private static Sb3PolicyModel ReadZip(Sb3ZipBuilder builder) =>
        Sb3ModelReader.Read(new MemoryStream(builder.ToArray()), "synthetic.zip");

    private static void AssertConvertedMatches(MlpNetwork net, byte[] onnx, int seed)
    {
        using var policy = OnnxPolicy.FromBytes(onnx, "converted.onnx");
        Assert.Equal(net.OutputSize, policy.ActionCount);
        var random = new Random(seed);
        var expected = new float[net.OutputSize];
        for (int trial = 0; trial < 100; trial++)
        {
            var obs = TestData.RandomObservation(random);
            net.Forward(obs, expected);
            var decision = policy.Decide(obs, DecisionContext.Flat("KXTEST"));
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], decision.Logits[i], 1e-5f);
            Assert.Equal(MlpNetwork.ArgMax(expected), decision.Action);
        }
    }

    [Fact]
    public void Default_ppo_mlp_converts_to_the_same_logits()
    {
        var net = TestData.RandomNetwork(seed: 31);
        var lastObs = TestData.RandomObservation(new Random(2));
        var builder = Sb3ZipBuilder.ForNetwork(net);
        builder.LastObservation = lastObs;
        var model = ReadZip(builder);

        Assert.Equal("2.7.1", model.Sb3Version);
        Assert.Equal("stable_baselines3.common.policies.ActorCriticPolicy", model.PolicyClass);
        Assert.Equal(52, model.ObservationLength);
        Assert.Equal(5, model.ActionCount);
        Assert.Equal(HiddenActivation.Tanh, model.Network.Activation);
        Assert.Equal("SB3 2.7.1 ActorCriticPolicy 52→64→64→5 (tanh)", model.Describe());
        // The weights are exactly the ones written (policy_net, not value_net).
        Assert.Equal(net.Hidden[0].Weights, model.Network.Hidden[0].Weights);
        Assert.Equal(net.Hidden[1].Bias, model.Network.Hidden[1].Bias);
        Assert.Equal(net.Output.Weights, model.Network.Output.Weights);
        Assert.Equal(lastObs, model.LastObservation);
        Assert.Null(model.LastObservationNote);
        Assert.Equal(12, model.Tensors.Count); // policy_net 4, value_net 4, action_net 2, value_net head 2

        AssertConvertedMatches(net, Sb3OnnxConverter.ToOnnx(model), seed: 4);
    }

    [Fact]
    public void Wider_layers_relu_and_the_sized_action_space_convert()
    {
        var net = TestData.RandomNetwork(seed: 32, hidden: 128, actions: 21, activation: HiddenActivation.Relu);
        var model = ReadZip(Sb3ZipBuilder.ForNetwork(net));
        Assert.Equal(HiddenActivation.Relu, model.Network.Activation);
        Assert.Equal([128, 128], model.Network.Hidden.Select(l => l.OutputSize));
        Assert.Null(model.LastObservation);
        Assert.Equal("the zip stores no _last_obs", model.LastObservationNote);
        AssertConvertedMatches(net, Sb3OnnxConverter.ToOnnx(model), seed: 5);
    }

    [Fact]
    public void Three_hidden_layers_convert()
    {
        var net = MlpNetwork.CreateRandom([52, 32, 48, 16, 5], HiddenActivation.Tanh, seed: 3);
        var model = ReadZip(Sb3ZipBuilder.ForNetwork(net));
        Assert.Equal([32, 48, 16], model.Network.Hidden.Select(l => l.OutputSize));
        AssertConvertedMatches(net, Sb3OnnxConverter.ToOnnx(model), seed: 6);
    }

    [Fact]
    public void Convert_writes_a_file_the_policy_loads()
    {
        using var dir = new TestData.TempDirectory();
        var net = TestData.RandomNetwork(seed: 33);
        var zip = Sb3ZipBuilder.ForNetwork(net).WriteTo(dir.File("ppo.zip"));
        var onnx = dir.File("out/ppo.onnx");
        var model = Sb3OnnxConverter.Convert(zip, onnx);
        Assert.Equal(zip, model.Source);
        using var policy = OnnxPolicy.Load(onnx);
        Assert.Equal("stable-baselines3", policy.Metadata["trader.source"]);
        Assert.Equal("ppo.zip", policy.Metadata["sb3.file"]);
        Assert.Equal("64,64", policy.Metadata["sb3.hidden_layers"]);
        var expected = new float[5];
        net.Forward(TestData.ReferenceObservation1, expected);
        Assert.Equal(MlpNetwork.ArgMax(expected), policy.Decide(TestData.ReferenceObservation1, DecisionContext.Flat("X")).Action);
    }

    [Fact]
    public void Observation_or_action_shapes_the_trader_cannot_feed_are_refused_unless_asked()
    {
        var narrow = MlpNetwork.CreateRandom([10, 16, 16, 5], HiddenActivation.Tanh, seed: 1);
        var model = ReadZip(Sb3ZipBuilder.ForNetwork(narrow));
        var ex = Assert.Throws<PolicyModelException>(() => Sb3OnnxConverter.ToOnnx(model));
        Assert.Contains("takes 10 observation features; the trader feeds 52", ex.Message);
        Assert.NotEmpty(Sb3OnnxConverter.ToOnnx(model, new Sb3ConversionOptions { RequireTraderShapes = false }));

        var seven = ReadZip(Sb3ZipBuilder.ForNetwork(TestData.RandomNetwork(seed: 1, actions: 7)));
        Assert.Contains("has 7 actions", Assert.Throws<PolicyModelException>(() => Sb3OnnxConverter.ToOnnx(seven)).Message);
    }

    [Fact]
    public void Unsupported_models_are_refused_with_what_was_found()
    {
        var net = TestData.RandomNetwork(seed: 34);

        var box = Sb3ZipBuilder.ForNetwork(net);
        box.ActionType = "<class 'gymnasium.spaces.box.Box'>";
        Assert.Contains("the action space is <class 'gymnasium.spaces.box.Box'>", Refusal(box));

        var dictObs = Sb3ZipBuilder.ForNetwork(net);
        dictObs.ObservationType = "<class 'gymnasium.spaces.dict.Dict'>";
        Assert.Contains("observation space is <class 'gymnasium.spaces.dict.Dict'>", Refusal(dictObs));

        var leaky = Sb3ZipBuilder.ForNetwork(net);
        leaky.ActivationRepr = "<class 'torch.nn.modules.activation.LeakyReLU'>";
        Assert.Contains("activation_fn <class 'torch.nn.modules.activation.LeakyReLU'> cannot be converted", Refusal(leaky));

        var cnn = Sb3ZipBuilder.ForNetwork(net);
        cnn.FeaturesExtractorRepr = "<class 'stable_baselines3.common.torch_layers.NatureCNN'>";
        Assert.Contains("NatureCNN", Refusal(cnn));

        var multi = Sb3ZipBuilder.ForNetwork(net);
        multi.PolicyClass = "MultiInputActorCriticPolicy";
        Assert.Contains("policy class stable_baselines3.common.policies.MultiInputActorCriticPolicy cannot be converted", Refusal(multi));

        var recurrent = Sb3ZipBuilder.ForNetwork(net);
        recurrent.PolicyModule = "sb3_contrib.common.recurrent.policies";
        recurrent.PolicyClass = "RecurrentActorCriticPolicy";
        Assert.Contains("RecurrentActorCriticPolicy", Refusal(recurrent));

        var sde = Sb3ZipBuilder.ForNetwork(net);
        sde.UseSde = true;
        Assert.Contains("use_sde", Refusal(sde));

        var noPolicy = Sb3ZipBuilder.ForNetwork(net);
        noPolicy.IncludePolicy = false;
        Assert.Contains("no 'policy.pth' entry", Refusal(noPolicy));

        var continuous = Sb3ZipBuilder.ForNetwork(net).Tensor("log_std", [0f, 0f], 2);
        Assert.Contains("log_std", Refusal(continuous));

        var extractor = Sb3ZipBuilder.ForNetwork(net).Tensor("features_extractor.linear.weight", [1f], 1, 1);
        Assert.Contains("features_extractor.linear.weight", Refusal(extractor));

        var wrongHead = Sb3ZipBuilder.ForNetwork(net);
        wrongHead.ActionCount = 21;
        Assert.Contains("action_net has 5 outputs but the action space is Discrete(21)", Refusal(wrongHead));
    }

    [Fact]
    public void Unexpected_layer_layouts_are_refused()
    {
        // Two Linear layers back to back (no activation between them): indices 0 and 1.
        var b = new Sb3ZipBuilder()
            .Tensor("mlp_extractor.policy_net.0.weight", new float[8 * 52], 8, 52).Tensor("mlp_extractor.policy_net.0.bias", new float[8], 8)
            .Tensor("mlp_extractor.policy_net.1.weight", new float[64], 8, 8).Tensor("mlp_extractor.policy_net.1.bias", new float[8], 8)
            .Tensor("action_net.weight", new float[40], 5, 8).Tensor("action_net.bias", new float[5], 5);
        Assert.Contains("layers at indices [0, 1]", Refusal(b));

        // A weight whose input width does not match the observation.
        var c = new Sb3ZipBuilder()
            .Tensor("mlp_extractor.policy_net.0.weight", new float[8 * 50], 8, 50).Tensor("mlp_extractor.policy_net.0.bias", new float[8], 8)
            .Tensor("action_net.weight", new float[40], 5, 8).Tensor("action_net.bias", new float[5], 5);
        Assert.Contains("'mlp_extractor.policy_net.0.weight' has shape [8, 50]; expected [n, 52]", Refusal(c));

        // A layer norm or similar inside the policy net.
        var d = new Sb3ZipBuilder()
            .Tensor("mlp_extractor.policy_net.0.weight", new float[8 * 52], 8, 52).Tensor("mlp_extractor.policy_net.0.bias", new float[8], 8)
            .Tensor("mlp_extractor.policy_net.2.running_mean", new float[8], 8)
            .Tensor("action_net.weight", new float[40], 5, 8).Tensor("action_net.bias", new float[5], 5);
        Assert.Contains("unexpected tensor 'mlp_extractor.policy_net.2.running_mean'", Refusal(d));
    }

    [Fact]
    public void Missing_or_non_zip_files_are_errors_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".zip");
        Assert.Contains(path, Assert.Throws<PolicyModelException>(() => Sb3ModelReader.Read(path)).Message);
        using var dir = new TestData.TempDirectory();
        var junk = dir.File("junk.zip");
        File.WriteAllText(junk, "not a zip");
        var ex = Assert.Throws<PolicyModelException>(() => Sb3ModelReader.Read(junk));
        Assert.Contains(junk, ex.Message);
        Assert.Contains("not a Stable-Baselines3 model zip", ex.Message);
    }

    private static string Refusal(Sb3ZipBuilder builder) =>
        Assert.Throws<PolicyModelException>(() => ReadZip(builder)).Message;
}
