using Trader.Core.Observations;

namespace Trader.Policy.Training;

/// <summary>
/// (observation, action) pairs to imitate: e.g. observations recorded from the simulated exchange labelled with the
/// heuristic policy's decisions. Observations are stored contiguously (no per-sample arrays).
/// </summary>
public sealed class BehaviourCloningDataset
{
    private readonly List<float> _observations = [];
    private readonly List<int> _actions = [];

    public BehaviourCloningDataset(int observationLength = ObservationLayout.Length)
    {
        if (observationLength < 1) throw new ArgumentOutOfRangeException(nameof(observationLength), observationLength, "observations need at least one feature");
        ObservationLength = observationLength;
    }

    public int ObservationLength { get; }

    public int Count => _actions.Count;

    /// <summary>Adds one example. The observation must have <see cref="ObservationLength"/> finite values; the action must be ≥ 0.</summary>
    public void Add(ReadOnlySpan<float> observation, int action)
    {
        if (observation.Length != ObservationLength)
            throw new ArgumentException($"an observation must have {ObservationLength} features; got {observation.Length}", nameof(observation));
        for (int i = 0; i < observation.Length; i++)
        {
            if (!float.IsFinite(observation[i]))
                throw new ArgumentException($"observation {Count} has a non-finite value ({observation[i]}) at feature {i}", nameof(observation));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        foreach (var v in observation) _observations.Add(v);
        _actions.Add(action);
    }

    public ReadOnlySpan<float> Observation(int index) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_observations).Slice(index * ObservationLength, ObservationLength);

    public int Action(int index) => _actions[index];

    /// <summary>How many examples carry each action, for actions 0 … <paramref name="actionCount"/> − 1.</summary>
    public int[] ActionCounts(int actionCount)
    {
        var counts = new int[actionCount];
        foreach (var a in _actions)
        {
            if (a >= actionCount) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, $"the dataset has action {a}, outside [0, {actionCount - 1}]");
            counts[a]++;
        }
        return counts;
    }
}
