using Trader.Core.Numbers;

namespace Trader.Exchange.Agents;

/// <summary>
/// A market's hidden fair YES price, a bounded random walk in ticks (1/10,000 $): each step moves it by the sum of
/// three uniform draws of ±<c>volatility</c> (close to a normal step), scaled by 2·√(p(1 − p)) so it moves less near 0
/// and 1, and kept within [0.01, 0.99]. Integer arithmetic on a seeded source: reproducible.
/// </summary>
internal sealed class FairValue(Price start, int volatilityTicks)
{
    private const int Floor = 100;
    private const int Ceiling = 9_900;

    public int Ticks { get; private set; } = Math.Clamp(start.Ticks, Floor, Ceiling);

    public Price Price => Price.FromTicks(Ticks);

    public void Step(Random random)
    {
        double p = Ticks / (double)Price.TicksPerDollar;
        int v = Math.Max(1, (int)Math.Round(volatilityTicks * 2 * Math.Sqrt(p * (1 - p))));
        int move = random.Next(-v, v + 1) + random.Next(-v, v + 1) + random.Next(-v, v + 1);
        Ticks = Math.Clamp(Ticks + move, Floor, Ceiling);
    }
}
