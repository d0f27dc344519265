using Trader.Policy.Networks;

namespace Trader.Policy.StableBaselines;

/// <summary>
/// What <see cref="Sb3ModelReader"/> found in a Stable-Baselines3 zip: the actor network (the policy's
/// <c>mlp_extractor.policy_net</c> layers and its <c>action_net</c> head) and the facts it was checked against.
/// </summary>
public sealed class Sb3PolicyModel
{
    /// <summary>The zip the model was read from.</summary>
    public required string Source { get; init; }

    /// <summary>The SB3 version that saved it (<c>_stable_baselines3_version</c>), if recorded.</summary>
    public string? Sb3Version { get; init; }

    /// <summary>The policy class, e.g. <c>stable_baselines3.common.policies.ActorCriticPolicy</c>.</summary>
    public required string PolicyClass { get; init; }

    /// <summary>The length of the observation vector (the Box space's shape).</summary>
    public required int ObservationLength { get; init; }

    /// <summary>The number of discrete actions (<c>Discrete(n)</c>).</summary>
    public required int ActionCount { get; init; }

    /// <summary>
    /// The actor: <c>action_net(act(… act(W1·x + b1) …))</c>. Its output is the action logits; the deterministic
    /// action (<c>model.predict(obs, deterministic=True)</c>) is their argmax.
    /// </summary>
    public required MlpNetwork Network { get; init; }

    /// <summary>
    /// The first environment's last observation stored in the zip (<c>_last_obs</c>), if it could be decoded; useful as
    /// a sanity check because SB3 saved it alongside the weights.
    /// </summary>
    public float[]? LastObservation { get; init; }

    /// <summary>Why <see cref="LastObservation"/> is null, when it is.</summary>
    public string? LastObservationNote { get; init; }

    /// <summary>Every tensor in <c>policy.pth</c> with its shape (for diagnostics).</summary>
    public required IReadOnlyList<(string Name, string Shape)> Tensors { get; init; }

    /// <summary>A one-line description, e.g. <c>SB3 2.7.1 ActorCriticPolicy 52→64→64→5 (tanh)</c>.</summary>
    public string Describe() =>
        $"SB3 {Sb3Version ?? "?"} {PolicyClass.Split('.')[^1]} {string.Join("→", new[] { ObservationLength }.Concat(Network.Hidden.Select(l => l.OutputSize)).Append(ActionCount))} ({(Network.Activation == HiddenActivation.Tanh ? "tanh" : "relu")})";
}
