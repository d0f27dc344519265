using Trader.Core.Observations;
using Trader.Policy.Networks;

namespace Trader.Policy.Tests;

/// <summary>Shared observations and helpers.</summary>
internal static class TestData
{
    /// <summary>original-system.md §9.7: the first reference observation (shared: clone it before changing it).</summary>
    public static readonly float[] ReferenceObservation1 =
    [
        0.45f, 0.47f, 0.53f, 0.55f, 0.46f, 0.54f, 0.02f, 0.02f, 0.0434783f, 0.0370370f, 0.25f, 0.25f, 0.02f, 0.02f, 0.7501004f, 0.0f, 0.2f, -0.2f, 0.0f, 0.0f,
        0.462f, 0.538f, 0.2f, 0.2f, 0.9f, 0.9f,
        0.0f, 0.7142857f, 0.0f, 0.0f, 0.1f, 0.0f, 0.0f, 0.0f, 0.1f, 0.5f,
        1.0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0,
    ];

    /// <summary>§9.7: the same book with a 5-contract YES position and an open SELL (features 36–51 replaced).</summary>
    public static float[] ReferenceObservation2()
    {
        var obs = (float[])ReferenceObservation1.Clone();
        float[] tail = [0.809354f, 0.190646f, 0.1f, 0.005f, 1, 0, 0.761594f, 0.186590f, 0.005f, -1.0f, 0.093295f, 0, 1, 0.1f, 0, 0];
        tail.CopyTo(obs, ObservationLayout.PortfolioStart);
        return obs;
    }

    /// <summary>A random observation in [-2, 2] (the clip range of §9.1).</summary>
    public static float[] RandomObservation(Random random)
    {
        var obs = new float[ObservationLayout.Length];
        for (int i = 0; i < obs.Length; i++) obs[i] = (float)(random.NextDouble() * 4 - 2);
        return obs;
    }

    /// <summary>A 52→h→h→n network with random weights and non-zero biases.</summary>
    public static MlpNetwork RandomNetwork(int seed, int hidden = 64, int actions = 5, HiddenActivation activation = HiddenActivation.Tanh)
    {
        var net = MlpNetwork.CreateRandom([ObservationLayout.Length, hidden, hidden, actions], activation, seed);
        var random = new Random(seed + 1000);
        foreach (var layer in net.Hidden.Append(net.Output))
        {
            for (int i = 0; i < layer.Bias.Length; i++) layer.Bias[i] = (float)(random.NextDouble() - 0.5);
        }
        return net;
    }

    /// <summary>A fresh empty directory under the system temp folder, deleted on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trader-policy-tests-" + Guid.NewGuid().ToString("N"));

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
