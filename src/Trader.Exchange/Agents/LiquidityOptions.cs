using Trader.Core.Numbers;

namespace Trader.Exchange.Agents;

/// <summary>How the simulated exchange's own traders behave. Sizes are whole contracts, prices in 1/10,000 $ ticks.</summary>
public sealed record LiquidityOptions
{
    /// <summary>Seeds every choice of the agents: the same seed on the same exchange session gives the same trading.</summary>
    public int Seed { get; init; } = 1;

    public int MakersPerMarket { get; init; } = 2;

    /// <summary>Price levels each maker quotes on each side.</summary>
    public int LevelsPerSide { get; init; } = 4;

    /// <summary>Grid steps between the fair value and a maker's best quote (maker i quotes i steps wider).</summary>
    public int HalfSpreadSteps { get; init; } = 1;

    public int MinQuoteSize { get; init; } = 5;
    public int MaxQuoteSize { get; init; } = 25;

    /// <summary>A maker's risk limit: past this many contracts either way it stops quoting the side that would add to them.</summary>
    public int MaxPosition { get; init; } = 250;

    /// <summary>How far a maker leans its quotes against its inventory: ticks per contract held.</summary>
    public int SkewTicksPerContract { get; init; } = 2;

    /// <summary>Typical move of the fair value per step, in ticks at a 0.50 price (smaller near 0 and 1).</summary>
    public int VolatilityTicks { get; init; } = 40;

    /// <summary>Chance, in thousandths, that a taker crosses the spread in a market on a step.</summary>
    public int TakerChancePerMille { get; init; } = 350;

    public int MaxTakerSize { get; init; } = 10;

    /// <summary>Cash deposited for each agent.</summary>
    public Money AgentCash { get; init; } = Money.FromDollars(1_000_000);

    public void Validate()
    {
        if (MakersPerMarket < 0 || LevelsPerSide < 1 || HalfSpreadSteps < 1) throw new ArgumentOutOfRangeException(nameof(LevelsPerSide), "makers, levels and half spread must be positive");
        if (MinQuoteSize < 1 || MaxQuoteSize < MinQuoteSize) throw new ArgumentOutOfRangeException(nameof(MinQuoteSize), "quote sizes must be 1 ≤ min ≤ max");
        if (MaxPosition < 1 || MaxTakerSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxPosition), "risk and taker sizes must be positive");
        if (VolatilityTicks < 0 || SkewTicksPerContract < 0) throw new ArgumentOutOfRangeException(nameof(VolatilityTicks), "volatility and skew cannot be negative");
        if (TakerChancePerMille is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(TakerChancePerMille), "a chance is 0 to 1000 per mille");
        if (!AgentCash.IsPositive) throw new ArgumentOutOfRangeException(nameof(AgentCash), "agents need cash");
    }
}
