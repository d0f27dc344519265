using Akka.Configuration;
using Trader.Core.Numbers;
using Trader.Core.Observations;

namespace Trader.Actors.Decisions;

/// <summary>The decision loop's settings (<c>trader.decisions</c> in <c>hocon/trader.conf</c>).</summary>
public sealed record DecisionSettings
{
    /// <summary>Policy name for <c>PolicyFactory</c>: <c>hold</c>, <c>heuristic</c>, <c>onnx</c>, <c>position-aware:&lt;inner&gt;</c>.</summary>
    public string Policy { get; init; } = "position-aware:onnx";

    /// <summary>The ONNX model for <c>onnx</c> policies; see <see cref="ResolveModelPath"/>.</summary>
    public string? ModelPath { get; init; } = "models/default.onnx";

    /// <summary>
    /// The model file to load: an absolute path as it is; a relative one from the working directory if it exists
    /// there, else from the program's directory (where the project's default model ships). Null when no model is set.
    /// </summary>
    public string? ResolveModelPath()
    {
        if (ModelPath is null) return null;
        if (Path.IsPathRooted(ModelPath) || File.Exists(ModelPath)) return Path.GetFullPath(ModelPath);
        var beside = Path.Combine(AppContext.BaseDirectory, ModelPath);
        return File.Exists(beside) ? beside : Path.GetFullPath(ModelPath);
    }

    /// <summary>
    /// Contracts per order in the 5-action space (the original hard-coded 5; its model card says 20). The action space
    /// itself follows the policy: 5 actions, or 21 (sizes 5, 10, 20, 50, 100) for a policy with 21 outputs.
    /// </summary>
    public Quantity Contracts { get; init; } = Quantity.FromContracts(5);

    /// <summary>No new decision in a market this soon after its last order (the original's RL_ACTOR_THROTTLE_MS).</summary>
    public TimeSpan Throttle { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A market whose decisions fail more than this many times in a row is disabled…</summary>
    public int ErrorsBeforeDisable { get; init; } = 10;

    /// <summary>…for this long.</summary>
    public TimeSpan DisableFor { get; init; } = TimeSpan.FromSeconds(300);

    public TemporalInputs TemporalInputs { get; init; } = TemporalInputs.Computed;

    /// <summary>The action space matching a policy's output size.</summary>
    public Core.Actions.ActionSpace ActionSpaceFor(int actionCount) => actionCount switch
    {
        5 => Core.Actions.ActionSpace.FiveActions(Contracts),
        21 => Core.Actions.ActionSpace.TwentyOneActions(),
        _ => throw new SettingsException("trader.decisions.policy", Policy, $"answers in {actionCount} actions; the trader knows 5 and 21"),
    };

    public static DecisionSettings FromConfig(Config config)
    {
        var d = config.GetConfig("trader.decisions");
        if (d is null) return new DecisionSettings();
        var contractsText = d.GetString("contracts", "5");
        if (!Quantity.TryParse(contractsText.AsSpan(), out var contracts) || !contracts.IsPositive)
            throw new SettingsException("trader.decisions.contracts", contractsText, "must be a positive number of contracts");
        var policy = d.GetString("policy", "position-aware:onnx");
        if (string.IsNullOrWhiteSpace(policy)) throw new SettingsException("trader.decisions.policy", policy ?? "", "must name a policy");
        var model = d.GetString("model", "");
        int errors = d.GetInt("errors-before-disable", 10);
        if (errors <= 0) throw new SettingsException("trader.decisions.errors-before-disable", errors.ToString(), "must be positive");
        var temporal = d.GetString("temporal-inputs", "computed");
        return new DecisionSettings
        {
            Policy = policy,
            ModelPath = string.IsNullOrWhiteSpace(model) ? null : model,
            Contracts = contracts,
            Throttle = Positive(d, "throttle"),
            ErrorsBeforeDisable = errors,
            DisableFor = Positive(d, "disable-for"),
            TemporalInputs = temporal switch
            {
                "computed" => TemporalInputs.Computed,
                "original-live" => TemporalInputs.OriginalLive,
                _ => throw new SettingsException("trader.decisions.temporal-inputs", temporal, "must be computed or original-live"),
            },
        };
    }

    private static TimeSpan Positive(Config c, string path) => SettingsReader.Duration(c, path, "trader.decisions." + path);
}
