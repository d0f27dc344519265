using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Policy.Networks;
using Trader.Policy.Onnx;

namespace Trader.Policy.Tests.Onnx;

public class OnnxPolicyTests
{
    private static readonly DecisionContext Context = DecisionContext.Flat("KXTEST-1");

    [Fact]
    public void Decides_the_argmax_of_the_logits_and_exposes_them()
    {
        var net = TestData.RandomNetwork(seed: 21);
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(net), "random.onnx");
        Assert.Equal(5, policy.ActionCount);
        Assert.True(policy.HasLogits);
        Assert.Equal("logits", policy.OutputName);
        Assert.Equal("onnx(random.onnx)", policy.Name);

        var random = new Random(8);
        var expected = new float[5];
        var seen = new HashSet<int>();
        for (int trial = 0; trial < 200; trial++)
        {
            var obs = TestData.RandomObservation(random);
            net.Forward(obs, expected);
            var decision = policy.Decide(obs, Context);
            Assert.Equal(MlpNetwork.ArgMax(expected), decision.Action);
            Assert.Equal(decision.Action, decision.ProposedAction);
            Assert.Equal(5, decision.Logits.Length);
            for (int i = 0; i < 5; i++) Assert.Equal(expected[i], decision.Logits[i], 1e-5f);
            seen.Add(decision.Action);
        }
        Assert.True(seen.Count >= 3, $"a random network should pick several actions; saw {string.Join(",", seen)}");
    }

    [Fact]
    public void Ties_go_to_the_first_index()
    {
        // Zero weights: the logits are the biases [1, 3, 3, 0, 3] whatever the input → action 1.
        var output = new DenseLayer(52, 5, new float[260], [1f, 3f, 3f, 0f, 3f]);
        var net = new MlpNetwork([], output, HiddenActivation.Tanh);
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(net, new MlpOnnxExportOptions { ActionName = null }), "ties");
        var decision = policy.Decide(TestData.ReferenceObservation1, Context);
        Assert.Equal(1, decision.Action);
        Assert.Equal([1f, 3f, 3f, 0f, 3f], decision.Logits.ToArray());
    }

    [Fact]
    public void Action_index_model_is_read_from_its_int64_output()
    {
        var builder = new OnnxModelBuilder("action-only");
        builder.AddInput("obs", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(52));
        // Action = argmax over the first five features, through a selection matrix.
        var w = new float[5 * 52];
        for (int i = 0; i < 5; i++) w[i * 52 + i] = 1f;
        builder.AddInitializer("W", w, 5, 52);
        builder.AddInitializer("b", new float[5], 5);
        builder.AddNode("Gemm", ["obs", "W", "b"], ["scores"], OnnxAttribute.Int("transB", 1));
        builder.AddNode("ArgMax", ["scores"], ["action"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        builder.AddOutput("action", OnnxElementType.Int64, OnnxDimension.Fixed(1));
        using var policy = OnnxPolicy.FromBytes(builder.Build(), "action.onnx");
        Assert.False(policy.HasLogits);
        Assert.Equal(5, policy.ActionCount);
        var obs = new float[52];
        obs[3] = 1f;
        var decision = policy.Decide(obs, Context);
        Assert.Equal(3, decision.Action);
        Assert.True(decision.Logits.IsEmpty);
    }

    [Fact]
    public void Action_index_outside_the_action_space_is_an_error()
    {
        // Argmax over 8 scores can return 5..7, outside a 5-action space.
        var builder = new OnnxModelBuilder("bad-action");
        builder.AddInput("obs", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(52));
        var w = new float[8 * 52];
        for (int i = 0; i < 8; i++) w[i * 52 + i] = 1f;
        builder.AddInitializer("W", w, 8, 52);
        builder.AddInitializer("b", new float[8], 8);
        builder.AddNode("Gemm", ["obs", "W", "b"], ["scores"], OnnxAttribute.Int("transB", 1));
        builder.AddNode("ArgMax", ["scores"], ["action"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        builder.AddOutput("action", OnnxElementType.Int64, OnnxDimension.Fixed(1));
        using var policy = OnnxPolicy.FromBytes(builder.Build(), "bad-action.onnx");
        var obs = new float[52];
        obs[6] = 1f;
        var ex = Assert.Throws<PolicyModelException>(() => policy.Decide(obs, Context));
        Assert.Contains("returned action 6, outside [0, 4]", ex.Message);
        Assert.Contains("bad-action.onnx", ex.Message);
    }

    [Fact]
    public void Symbolic_batch_dimension_is_bound_to_one()
    {
        var net = TestData.RandomNetwork(seed: 12);
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(net, new MlpOnnxExportOptions { DynamicBatch = true }), "batched.onnx");
        var expected = new float[5];
        net.Forward(TestData.ReferenceObservation1, expected);
        var decision = policy.Decide(TestData.ReferenceObservation1, Context);
        Assert.Equal(MlpNetwork.ArgMax(expected), decision.Action);
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], decision.Logits[i], 1e-5f);
    }

    [Fact]
    public void Action_output_with_kept_dimension_and_metadata_action_count()
    {
        // ArgMax with keepdims = 1 gives [1, 1]; the action count comes from the model's metadata.
        var builder = new OnnxModelBuilder("kept");
        builder.AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(52));
        var w = new float[21 * 52];
        for (int i = 0; i < 21; i++) w[i * 52 + i] = 1f;
        builder.AddInitializer("W", w, 21, 52);
        builder.AddInitializer("b", new float[21], 21);
        builder.AddNode("Gemm", ["x", "W", "b"], ["scores"], OnnxAttribute.Int("transB", 1));
        builder.AddNode("ArgMax", ["scores"], ["a"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        builder.AddOutput("a", OnnxElementType.Int64, OnnxDimension.Fixed(1), OnnxDimension.Fixed(1));
        builder.AddMetadata(MlpOnnxExporter.ActionCountKey, "21");
        using var policy = OnnxPolicy.FromBytes(builder.Build(), "kept.onnx");
        Assert.Equal(21, policy.ActionCount);
        var obs = new float[52];
        obs[17] = 2f;
        Assert.Equal(17, policy.Decide(obs, Context).Action);
    }

    [Fact]
    public void Sized_action_space_of_21_logits_is_accepted()
    {
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 4, actions: 21)), "sized");
        Assert.Equal(21, policy.ActionCount);
        var decision = policy.Decide(TestData.ReferenceObservation1, Context);
        Assert.InRange(decision.Action, 0, 20);
        Assert.Equal(21, decision.Logits.Length);
    }

    [Fact]
    public void Wrong_input_width_is_refused_naming_expected_found_and_file()
    {
        var net = MlpNetwork.CreateRandom([10, 8, 5], HiddenActivation.Tanh, seed: 1);
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(net), "narrow.onnx"));
        Assert.Contains("narrow.onnx", ex.Message);
        Assert.Contains("float32 [1, 52]", ex.Message);
        Assert.Contains("found float32 [1, 10]", ex.Message);
    }

    [Fact]
    public void Wrong_input_type_is_refused()
    {
        var builder = new OnnxModelBuilder("int-input");
        builder.AddInput("obs", OnnxElementType.Int64, OnnxDimension.Fixed(1), OnnxDimension.Fixed(52));
        builder.AddNode("ArgMax", ["obs"], ["action"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        builder.AddOutput("action", OnnxElementType.Int64, OnnxDimension.Fixed(1));
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.FromBytes(builder.Build(), "int-input.onnx"));
        Assert.Contains("found int64 [1, 52]", ex.Message);
    }

    [Fact]
    public void Unsupported_action_count_is_refused_naming_the_outputs()
    {
        var net = TestData.RandomNetwork(seed: 3, actions: 7);
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(net, new MlpOnnxExportOptions { ActionName = null }), "seven.onnx"));
        Assert.Contains("seven.onnx", ex.Message);
        Assert.Contains("'logits' float32 [1, 7]", ex.Message);
        Assert.Contains("[1, 5 or 21]", ex.Message);
    }

    [Fact]
    public void Named_output_must_exist()
    {
        var bytes = MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 3));
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.FromBytes(bytes, "m.onnx", new OnnxPolicyOptions { OutputName = "value" }));
        Assert.Contains("has no output 'value'", ex.Message);
        using var byAction = OnnxPolicy.FromBytes(bytes, "m.onnx", new OnnxPolicyOptions { OutputName = "action" });
        Assert.False(byAction.HasLogits);
        using var byLogits = OnnxPolicy.FromBytes(bytes, "m.onnx", new OnnxPolicyOptions { OutputName = "logits" });
        var obs = TestData.ReferenceObservation1;
        Assert.Equal(byLogits.Decide(obs, Context).Action, byAction.Decide(obs, Context).Action);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "model.onnx");
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void Corrupt_file_is_an_error_naming_the_path()
    {
        using var dir = new TestData.TempDirectory();
        var path = dir.File("corrupt.onnx");
        File.WriteAllBytes(path, "this is not a protobuf model"u8.ToArray());
        var ex = Assert.Throws<PolicyModelException>(() => OnnxPolicy.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("could not be loaded", ex.Message);

        var truncated = dir.File("truncated.onnx");
        var bytes = MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 1));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains(truncated, Assert.Throws<PolicyModelException>(() => OnnxPolicy.Load(truncated)).Message);

        var empty = dir.File("empty.onnx");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", Assert.Throws<PolicyModelException>(() => OnnxPolicy.Load(empty)).Message);
    }

    [Fact]
    public void Loads_from_a_file()
    {
        using var dir = new TestData.TempDirectory();
        var path = dir.File("m.onnx");
        var net = TestData.RandomNetwork(seed: 9);
        MlpOnnxExporter.Save(net, path);
        using var policy = OnnxPolicy.Load(path);
        Assert.Equal(path, policy.Source);
        Assert.Equal("5", policy.Metadata[MlpOnnxExporter.ActionCountKey]);
        var expected = new float[5];
        net.Forward(TestData.ReferenceObservation1, expected);
        Assert.Equal(MlpNetwork.ArgMax(expected), policy.Decide(TestData.ReferenceObservation1, Context).Action);
    }

    [Fact]
    public void Observation_of_the_wrong_length_is_refused()
    {
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 1)), "m");
        var ex = Assert.Throws<ArgumentException>(() => policy.Decide(new float[51], Context));
        Assert.Contains("52", ex.Message);
    }

    [Fact]
    public void Disposed_policy_refuses_to_decide()
    {
        var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 1)), "m");
        policy.Dispose();
        policy.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => policy.Decide(TestData.ReferenceObservation1, Context));
    }

    [Fact]
    public void Decide_does_not_allocate()
    {
        using var policy = OnnxPolicy.FromBytes(MlpOnnxExporter.ToBytes(TestData.RandomNetwork(seed: 5)), "m");
        var obs = (float[])TestData.ReferenceObservation1.Clone();
        var context = new DecisionContext("KXTEST-1", Quantity.FromContracts(3));
        int sink = 0;
        for (int i = 0; i < 100; i++) sink += policy.Decide(obs, context).Action; // warm-up (JIT, ORT arenas)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            obs[ObservationLayout.YesSideImbalance] = (i % 21 - 10) / 10f;
            var decision = policy.Decide(obs, context);
            sink += decision.Action + (int)decision.Logits[0];
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"10,000 decisions allocated {allocated} bytes (sink {sink})");
    }
}
