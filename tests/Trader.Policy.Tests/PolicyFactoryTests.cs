using Trader.Policy.Heuristics;
using Trader.Policy.Onnx;

namespace Trader.Policy.Tests;

public class PolicyFactoryTests
{
    [Fact]
    public void Builds_each_named_policy()
    {
        Assert.IsType<HoldPolicy>(PolicyFactory.Create("hold"));
        Assert.IsType<SpreadImbalancePolicy>(PolicyFactory.Create(" Heuristic "));

        using var dir = new TestData.TempDirectory();
        var path = dir.File("m.onnx");
        MlpOnnxExporter.Save(TestData.RandomNetwork(seed: 1), path);
        using var onnx = Assert.IsType<OnnxPolicy>(PolicyFactory.Create("onnx", path));
        Assert.Equal(path, onnx.Source);

        using var wrapped = Assert.IsType<PositionAwarePolicy>(PolicyFactory.Create("position-aware:onnx", path));
        Assert.IsType<OnnxPolicy>(wrapped.Inner);
        Assert.Equal("position-aware(onnx(m.onnx))", wrapped.Name);
        var heuristic = Assert.IsType<PositionAwarePolicy>(PolicyFactory.Create("POSITION-AWARE:heuristic"));
        Assert.IsType<SpreadImbalancePolicy>(heuristic.Inner);
    }

    [Fact]
    public void Passes_settings_through()
    {
        var policy = PolicyFactory.Create(new PolicyConfiguration { Name = "heuristic", Heuristic = new SpreadImbalanceOptions { MaxSpread = 0.05f } });
        Assert.Equal(0.05f, Assert.IsType<SpreadImbalancePolicy>(policy).Options.MaxSpread);
        Assert.Equal(21, PolicyFactory.Create(new PolicyConfiguration { Name = "hold", HoldActionCount = 21 }).ActionCount);
    }

    [Theory]
    [InlineData("quant_hardcoded")]
    [InlineData("hardcoded")]
    [InlineData("disabled")]
    [InlineData("rl_model")]
    public void Unknown_names_are_errors_not_a_trading_fallback(string name)
    {
        var ex = Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create(name));
        Assert.Contains($"unknown policy '{name}'", ex.Message);
        Assert.Contains("hold, heuristic, onnx, position-aware:<inner>", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_name_is_an_error(string name) =>
        Assert.Contains("no policy name", Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create(name)).Message);

    [Theory]
    [InlineData("position-aware")]
    [InlineData("position-aware:")]
    public void Position_aware_needs_an_inner_policy(string name) =>
        Assert.Contains("names no inner policy", Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create(name)).Message);

    [Fact]
    public void Onnx_without_a_model_path_is_an_error()
    {
        Assert.Contains("needs a model path", Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create("onnx")).Message);
        Assert.Contains("needs a model path", Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create("position-aware:onnx", " ")).Message);
        Assert.Contains("unknown policy 'nope'", Assert.Throws<PolicyConfigurationException>(() => PolicyFactory.Create("position-aware:nope")).Message);
    }

    [Fact]
    public void Onnx_with_a_missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".onnx");
        Assert.Contains(path, Assert.Throws<PolicyModelException>(() => PolicyFactory.Create("onnx", path)).Message);
    }
}
