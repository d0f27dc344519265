using Microsoft.ML.OnnxRuntime;
using Trader.Core.Observations;
using Trader.Policy.Networks;
using Trader.Policy.Onnx;

namespace Trader.Policy.Tests.Onnx;

public class OnnxModelWriterTests
{
    [Theory]
    [InlineData(HiddenActivation.Tanh, 64, 5)]
    [InlineData(HiddenActivation.Relu, 64, 5)]
    [InlineData(HiddenActivation.Tanh, 128, 21)]
    public void Written_mlp_computes_the_same_logits_as_the_csharp_forward_pass(HiddenActivation activation, int hidden, int actions)
    {
        var net = TestData.RandomNetwork(seed: 7, hidden, actions, activation);
        using var session = new InferenceSession(MlpOnnxExporter.ToBytes(net));
        var random = new Random(3);
        var expected = new float[actions];
        for (int trial = 0; trial < 50; trial++)
        {
            var obs = TestData.RandomObservation(random);
            net.Forward(obs, expected);
            using var input = OrtValue.CreateTensorValueFromMemory(obs, [1, ObservationLayout.Length]);
            using var results = session.Run(new RunOptions(), ["obs"], [input], ["logits", "action"]);
            var logits = results[0].GetTensorDataAsSpan<float>();
            Assert.Equal(actions, logits.Length);
            for (int i = 0; i < actions; i++) Assert.Equal(expected[i], logits[i], 1e-5f);
            Assert.Equal(MlpNetwork.ArgMax(expected), results[1].GetTensorDataAsSpan<long>()[0]);
        }
    }

    [Fact]
    public void Model_declares_its_inputs_outputs_and_metadata()
    {
        var net = TestData.RandomNetwork(seed: 1);
        using var session = new InferenceSession(MlpOnnxExporter.ToBytes(net, new MlpOnnxExportOptions { Description = "test model", Metadata = new Dictionary<string, string> { ["origin"] = "unit test" } }));
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("obs", input.Key);
        Assert.Equal([1, 52], input.Value.Dimensions);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([1, 5], session.OutputMetadata["logits"].Dimensions);
        Assert.Equal(typeof(long), session.OutputMetadata["action"].ElementType);
        var meta = session.ModelMetadata;
        Assert.Equal("Trader.Policy", meta.ProducerName);
        Assert.Equal("test model", meta.Description);
        Assert.Equal("52", meta.CustomMetadataMap[MlpOnnxExporter.ObservationLengthKey]);
        Assert.Equal("5", meta.CustomMetadataMap[MlpOnnxExporter.ActionCountKey]);
        Assert.Equal("tanh", meta.CustomMetadataMap[MlpOnnxExporter.ActivationKey]);
        Assert.Equal("unit test", meta.CustomMetadataMap["origin"]);
    }

    [Fact]
    public void Dynamic_batch_scores_many_observations_at_once()
    {
        var net = TestData.RandomNetwork(seed: 11);
        using var session = new InferenceSession(MlpOnnxExporter.ToBytes(net, new MlpOnnxExportOptions { DynamicBatch = true, ActionName = null }));
        Assert.Equal(-1, session.InputMetadata["obs"].Dimensions[0]);
        Assert.Equal("batch", session.InputMetadata["obs"].SymbolicDimensions[0]);
        Assert.False(session.OutputMetadata.ContainsKey("action"));

        var random = new Random(5);
        const int batch = 8;
        var data = new float[batch * ObservationLayout.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        using var input = OrtValue.CreateTensorValueFromMemory(data, [batch, ObservationLayout.Length]);
        using var results = session.Run(new RunOptions(), ["obs"], [input], ["logits"]);
        var logits = results[0].GetTensorDataAsSpan<float>();
        var expected = new float[5];
        for (int row = 0; row < batch; row++)
        {
            net.Forward(data.AsSpan(row * ObservationLayout.Length, ObservationLayout.Length), expected);
            for (int i = 0; i < 5; i++) Assert.Equal(expected[i], logits[row * 5 + i], 1e-5f);
        }
    }

    [Fact]
    public void Network_without_hidden_layers_is_a_single_gemm()
    {
        var output = new DenseLayer(52, 5, Enumerable.Range(0, 260).Select(i => (i % 7 - 3) / 10f).ToArray(), [0.1f, 0.2f, 0.3f, 0.4f, 0.5f]);
        var net = new MlpNetwork([], output, HiddenActivation.Tanh);
        using var session = new InferenceSession(MlpOnnxExporter.ToBytes(net));
        var obs = TestData.RandomObservation(new Random(1));
        var expected = new float[5];
        net.Forward(obs, expected);
        using var input = OrtValue.CreateTensorValueFromMemory(obs, [1, 52]);
        using var results = session.Run(new RunOptions(), ["obs"], [input], ["logits"]);
        var logits = results[0].GetTensorDataAsSpan<float>();
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], logits[i], 1e-5f);
    }

    [Fact]
    public void Builder_refuses_dangling_names_and_wrong_initializer_sizes()
    {
        var builder = new OnnxModelBuilder("g");
        builder.AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(2));
        builder.AddNode("Tanh", ["y"], ["z"]);
        builder.AddOutput("z", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(2));
        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("'y'", ex.Message);

        var missingOutput = new OnnxModelBuilder("g");
        missingOutput.AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(1));
        missingOutput.AddOutput("out", OnnxElementType.Float, OnnxDimension.Fixed(1));
        Assert.Contains("'out' is not produced", Assert.Throws<InvalidOperationException>(() => missingOutput.Build()).Message);

        var sizes = Assert.Throws<ArgumentException>(() => new OnnxModelBuilder("g").AddInitializer("w", new float[5], 2, 3));
        Assert.Contains("needs 6 values; got 5", sizes.Message);
    }

    [Fact]
    public void Hand_built_graph_with_attributes_runs()
    {
        // y = ArgMax(Gemm(x, W, b, alpha = 2, transB = 1)) written with the low-level builder.
        var builder = new OnnxModelBuilder("tiny");
        builder.AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(2));
        builder.AddInitializer("W", [1f, 0f, 0f, 1f, 1f, 1f], 3, 2);
        builder.AddInitializer("b", [0f, 0f, -10f], 3);
        builder.AddNode("Gemm", ["x", "W", "b"], ["g"], OnnxAttribute.Float("alpha", 2f), OnnxAttribute.Int("transB", 1));
        builder.AddNode("ArgMax", ["g"], ["a"], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        builder.AddOutput("g", OnnxElementType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(3));
        builder.AddOutput("a", OnnxElementType.Int64, OnnxDimension.Fixed(1));
        using var session = new InferenceSession(builder.Build());
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f, 3f }, [1, 2]);
        using var results = session.Run(new RunOptions(), ["x"], [input], ["g", "a"]);
        Assert.Equal([2f, 6f, -2f], results[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal(1L, results[1].GetTensorDataAsSpan<long>()[0]);
    }

    [Fact]
    public void Save_writes_a_loadable_file()
    {
        using var dir = new TestData.TempDirectory();
        var path = dir.File("sub/model.onnx");
        MlpOnnxExporter.Save(TestData.RandomNetwork(seed: 2), path);
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
        using var session = new InferenceSession(path);
        Assert.Contains("logits", session.OutputMetadata.Keys);
    }
}
