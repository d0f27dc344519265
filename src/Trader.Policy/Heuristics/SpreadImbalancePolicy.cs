using Trader.Core.Actions;
using System.Globalization;
using Trader.Core.Numbers;
using Trader.Core.Observations;

namespace Trader.Policy.Heuristics;

/// <summary>Settings of <see cref="SpreadImbalancePolicy"/>.</summary>
public sealed record SpreadImbalanceOptions
{
    /// <summary>
    /// The widest YES spread, in dollars (feature <see cref="ObservationLayout.YesSpread"/>), at which the policy trades.
    /// Must be below 0.10: the observation reports a one-sided or empty book as a 10¢ spread (§9.2), so a limit under
    /// 10¢ also keeps the policy out of books it cannot cross. Default 3¢.
    /// </summary>
    public float MaxSpread { get; init; } = 0.03f;

    /// <summary>
    /// The smallest |YES side imbalance| (feature <see cref="ObservationLayout.YesSideImbalance"/>,
    /// (YES bid volume − YES ask volume) / total, in [−1, 1]) that counts as pressure. Default 0.25.
    /// </summary>
    public float MinImbalance { get; init; } = 0.25f;

    /// <summary>
    /// How far, in dollars, the YES microprice must sit from the YES mid on the side of the imbalance
    /// (<see cref="ObservationLayout.YesMicroprice"/> − <see cref="ObservationLayout.YesMidPrice"/>). Default 0: the
    /// microprice must merely agree in direction.
    /// </summary>
    public float MinMicropriceEdge { get; init; }

    /// <summary>The largest position (either side) the policy builds; at the cap it stops adding. Default 20 contracts.</summary>
    public Quantity MaxPosition { get; init; } = Quantity.FromContracts(20);

    /// <summary>The action space to answer in: 5, or 21 (then <see cref="SizeIndex"/> picks the size). Default 5.</summary>
    public int ActionCount { get; init; } = PolicyActions.SimpleCount;

    /// <summary>In the 21-action space, the size index (0–4) of every trade. Default 0.</summary>
    public int SizeIndex { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(MaxSpread > 0f && MaxSpread < 0.10f))
            throw new ArgumentException($"MaxSpread must be in (0, 0.10) dollars; got {MaxSpread.ToString(CultureInfo.InvariantCulture)}");
        if (!(MinImbalance > 0f && MinImbalance <= 1f))
            throw new ArgumentException($"MinImbalance must be in (0, 1]; got {MinImbalance.ToString(CultureInfo.InvariantCulture)}");
        if (!(MinMicropriceEdge >= 0f && MinMicropriceEdge < 0.5f))
            throw new ArgumentException($"MinMicropriceEdge must be in [0, 0.5) dollars; got {MinMicropriceEdge.ToString(CultureInfo.InvariantCulture)}");
        if (MaxPosition <= Quantity.Zero)
            throw new ArgumentException($"MaxPosition must be positive; got {MaxPosition}");
        PolicyActions.ValidateCount(ActionCount, "heuristic policy");
        if (ActionCount == PolicyActions.SizedCount && (uint)SizeIndex >= PolicyActions.SizesPerKind)
            throw new ArgumentException($"SizeIndex must be in [0, {PolicyActions.SizesPerKind - 1}]; got {SizeIndex}");
        if (ActionCount == PolicyActions.SimpleCount && SizeIndex != 0)
            throw new ArgumentException($"SizeIndex must be 0 in the {PolicyActions.SimpleCount}-action space; got {SizeIndex}");
    }
}

/// <summary>
/// A deterministic order-book heuristic that replaces the original's QuantHardCoded policy (which was random and read
/// stale feature indices, original-system.md §10.2). It reads the features by their <see cref="ObservationLayout"/>
/// names and decides, in this order:
/// <list type="number">
/// <item><b>Tradable book.</b> If the YES spread (<see cref="ObservationLayout.YesSpread"/>) is wider than
/// <see cref="SpreadImbalanceOptions.MaxSpread"/> (or not a number) → HOLD. Crossing a wide spread costs more than the
/// signal is worth, and a one-sided book reads as a 10¢ spread, so it is excluded too.</item>
/// <item><b>Pressure.</b> The YES side imbalance (<see cref="ObservationLayout.YesSideImbalance"/>) is the signal:
/// ≥ +<see cref="SpreadImbalanceOptions.MinImbalance"/> is buying pressure (YES likely to rise),
/// ≤ −MinImbalance is selling pressure. The microprice must agree: YES microprice − YES mid must exceed
/// <see cref="SpreadImbalanceOptions.MinMicropriceEdge"/> in the same direction. Otherwise → HOLD.</item>
/// <item><b>Position.</b> With buying pressure: if long NO, SELL_NO (close the position that is losing before
/// turning around); else if long YES at <see cref="SpreadImbalanceOptions.MaxPosition"/> or more, HOLD; else BUY_YES.
/// With selling pressure, the mirror image: long YES → SELL_YES; long NO at the cap → HOLD; else BUY_NO.</item>
/// </list>
/// Because it exits on a reversal and stops at a position cap, it does not repeat one action forever. Stateless and
/// thread-safe; it has no logits (the decision's <see cref="PolicyDecision.Logits"/> is empty).
/// </summary>
public sealed class SpreadImbalancePolicy : IPolicy
{
    private readonly SpreadImbalanceOptions _options;
    private readonly int _buyYes, _sellYes, _buyNo, _sellNo;

    public SpreadImbalancePolicy(SpreadImbalanceOptions? options = null)
    {
        _options = options ?? new SpreadImbalanceOptions();
        _options.Validate();
        int n = _options.ActionCount, size = _options.SizeIndex;
        _buyYes = PolicyActions.IndexOf(TradeAction.BuyYes, size, n);
        _sellYes = PolicyActions.IndexOf(TradeAction.SellYes, size, n);
        _buyNo = PolicyActions.IndexOf(TradeAction.BuyNo, size, n);
        _sellNo = PolicyActions.IndexOf(TradeAction.SellNo, size, n);
        Name = string.Create(CultureInfo.InvariantCulture,
            $"heuristic(spread<={_options.MaxSpread * 100:0.##}c, imbalance>={_options.MinImbalance:0.##}, max position {_options.MaxPosition} contracts)");
    }

    public string Name { get; }

    public int ActionCount => _options.ActionCount;

    public SpreadImbalanceOptions Options => _options;

    public PolicyDecision Decide(scoped ReadOnlySpan<float> observation, scoped in DecisionContext context)
    {
        ObservationGuard.CheckLength(observation);

        float spread = observation[ObservationLayout.YesSpread];
        if (!(spread <= _options.MaxSpread)) return new PolicyDecision(PolicyActions.Hold);

        float imbalance = observation[ObservationLayout.YesSideImbalance];
        float edge = observation[ObservationLayout.YesMicroprice] - observation[ObservationLayout.YesMidPrice];
        bool buying = imbalance >= _options.MinImbalance && edge > _options.MinMicropriceEdge;
        bool selling = imbalance <= -_options.MinImbalance && -edge > _options.MinMicropriceEdge;

        var position = context.Position;
        var cap = _options.MaxPosition;
        int action;
        if (buying)
            action = position < Quantity.Zero ? _sellNo : position >= cap ? PolicyActions.Hold : _buyYes;
        else if (selling)
            action = position > Quantity.Zero ? _sellYes : -position >= cap ? PolicyActions.Hold : _buyNo;
        else
            action = PolicyActions.Hold;
        return new PolicyDecision(action);
    }
}
