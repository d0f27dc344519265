using Trader.Policy.Heuristics;
using Trader.Policy.Onnx;

namespace Trader.Policy;

/// <summary>
/// What policy to run, as configuration gives it. <see cref="Name"/> is one of
/// <list type="bullet">
/// <item><c>hold</c> — never trade (<see cref="HoldPolicy"/>);</item>
/// <item><c>heuristic</c> — the spread/imbalance rule (<see cref="SpreadImbalancePolicy"/>, settings in <see cref="Heuristic"/>);</item>
/// <item><c>onnx</c> — an ONNX model (<see cref="OnnxPolicy"/>); <see cref="ModelPath"/> is required;</item>
/// <item><c>position-aware:&lt;inner&gt;</c> — <see cref="PositionAwarePolicy"/> around any of these, e.g.
/// <c>position-aware:onnx</c> or <c>position-aware:heuristic</c>.</item>
/// </list>
/// Names are case-insensitive.
/// </summary>
public sealed record PolicyConfiguration
{
    public required string Name { get; init; }

    /// <summary>The <c>.onnx</c> file for <c>onnx</c> (relative paths are resolved against the current directory).</summary>
    public string? ModelPath { get; init; }

    /// <summary>Settings of the <c>heuristic</c> policy (defaults when null).</summary>
    public SpreadImbalanceOptions? Heuristic { get; init; }

    /// <summary>Settings of the <c>onnx</c> policy (defaults when null).</summary>
    public OnnxPolicyOptions? Onnx { get; init; }

    /// <summary>The action space of the <c>hold</c> policy: 5 (default) or 21.</summary>
    public int HoldActionCount { get; init; } = PolicyActions.SimpleCount;
}

/// <summary>A policy configuration that names no known policy or lacks what the policy needs.</summary>
public sealed class PolicyConfigurationException : Exception
{
    public PolicyConfigurationException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Builds a policy from a <see cref="PolicyConfiguration"/>. Unlike the original selector factory (original-system.md
/// §10.2), which fell back to an always-trading selector for an unknown or missing name, an unknown name or a missing
/// model path is an error (<see cref="PolicyConfigurationException"/>); a model that cannot be used is a
/// <see cref="PolicyModelException"/>. The caller owns the result: dispose it if it is <see cref="IDisposable"/>.
/// </summary>
public static class PolicyFactory
{
    public const string Hold = "hold", Heuristic = "heuristic", Onnx = "onnx", PositionAwarePrefix = "position-aware:";

    /// <summary>The names <see cref="Create(PolicyConfiguration)"/> accepts.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = [Hold, Heuristic, Onnx, PositionAwarePrefix + "<inner>"];

    /// <summary>Shorthand for <c>Create(new PolicyConfiguration { Name = name, ModelPath = modelPath })</c>.</summary>
    public static IPolicy Create(string name, string? modelPath = null) =>
        Create(new PolicyConfiguration { Name = name, ModelPath = modelPath });

    public static IPolicy Create(PolicyConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Create(configuration.Name, configuration);
    }

    private static IPolicy Create(string? rawName, PolicyConfiguration configuration)
    {
        var name = rawName?.Trim() ?? "";
        if (name.Length == 0)
            throw new PolicyConfigurationException($"no policy name given; known policies: {string.Join(", ", KnownNames)}");

        if (name.StartsWith(PositionAwarePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var inner = name[PositionAwarePrefix.Length..];
            if (inner.Trim().Length == 0)
                throw new PolicyConfigurationException($"policy '{name}' names no inner policy; write e.g. '{PositionAwarePrefix}{Onnx}' or '{PositionAwarePrefix}{Heuristic}'");
            return new PositionAwarePolicy(Create(inner, configuration));
        }

        switch (name.ToLowerInvariant())
        {
            case Hold:
                return new HoldPolicy(configuration.HoldActionCount);
            case Heuristic:
                return new SpreadImbalancePolicy(configuration.Heuristic);
            case Onnx:
                if (string.IsNullOrWhiteSpace(configuration.ModelPath))
                    throw new PolicyConfigurationException($"policy '{Onnx}' needs a model path (the .onnx file to run); none was given");
                return OnnxPolicy.Load(configuration.ModelPath, configuration.Onnx);
            case "position-aware":
                throw new PolicyConfigurationException($"policy 'position-aware' names no inner policy; write e.g. '{PositionAwarePrefix}{Onnx}' or '{PositionAwarePrefix}{Heuristic}'");
            default:
                throw new PolicyConfigurationException($"unknown policy '{name}'; known policies: {string.Join(", ", KnownNames)}");
        }
    }
}
