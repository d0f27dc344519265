using System.Globalization;
using Trader.Console.Commands;
using Trader.Policy.Networks;
using Trader.Policy.Tests.StableBaselines;

namespace Trader.Console.Tests.Models;

/// <summary><c>trader model</c>: info, decide and convert, on the project's model and on a generated SB3 zip.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trader-model-").FullName;
    private static readonly string DefaultModel = Path.Combine(AppContext.BaseDirectory, "models", "default.onnx");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Info_describes_the_projects_model()
    {
        var (code, output, _) = await Cli.Run("model", "info", DefaultModel);
        Assert.Equal(ModelCommand.Ok, code);
        Assert.Contains("input    [1, 52] float32", output);
        Assert.Contains("output   'logits': 5 action logits", output);
        Assert.Contains("actions  5: HOLD, BUY_YES, SELL_YES, BUY_NO, SELL_NO", output);
    }

    [Fact]
    public async Task A_file_that_is_no_model_is_refused_with_its_name()
    {
        var junk = Path.Combine(_dir, "junk.onnx");
        await File.WriteAllTextAsync(junk, "not a model");
        var (code, _, error) = await Cli.Run("model", "info", junk);
        Assert.Equal(ModelCommand.ModelFailed, code);
        Assert.Contains($"error: ONNX model '{junk}'", error);
    }

    [Fact]
    public async Task Convert_writes_a_model_that_decides_as_the_network_does()
    {
        var net = MlpNetwork.CreateRandom([52, 16, 16, 5], HiddenActivation.Tanh, seed: 9);
        var observation = Enumerable.Range(0, 52).Select(i => (float)Math.Sin(i) * 0.5f).ToArray();
        var builder = Sb3ZipBuilder.ForNetwork(net);
        builder.LastObservation = observation;
        var zip = builder.WriteTo(Path.Combine(_dir, "ppo.zip"));
        var onnx = Path.Combine(_dir, "ppo.onnx");

        var (code, output, error) = await Cli.Run("model", "convert", zip, onnx);
        Assert.True(code == ModelCommand.Ok, error);
        Assert.Contains("model   SB3", output);
        Assert.Contains("check   stored _last_obs → logits", output);
        Assert.True(File.Exists(onnx));

        var expected = new float[5];
        net.Forward(observation, expected);
        (code, output, _) = await Cli.Run(["model", "decide", onnx, .. observation.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]);
        Assert.Equal(ModelCommand.Ok, code);
        Assert.Contains($"action  {MlpNetwork.ArgMax(expected)} (", output);
    }

    [Fact]
    public async Task Decide_wants_52_numbers()
    {
        var (code, _, error) = await Cli.Run("model", "decide", DefaultModel, "1", "2");
        Assert.Equal(ModelCommand.BadInput, code);
        Assert.Contains("an observation has 52 values; got 2", error);
        (code, _, error) = await Cli.Run(["model", "decide", DefaultModel, "x", .. Enumerable.Repeat("0", 51)]);
        Assert.Equal(ModelCommand.BadInput, code);
        Assert.Contains("observation value 0 'x' is not a number", error);
    }

    [Fact]
    public async Task Help_explains_the_model_commands_with_examples()
    {
        var (code, output, _) = await Cli.Run("model", "--help");
        Assert.Equal(0, code);
        Assert.Contains("trader model convert my_ppo.zip models/my_ppo.onnx", output);
        Assert.Contains("info", output);
        Assert.Contains("decide", output);
    }
}
