using Trader.Core.Markets;
using Trader.Core.Numbers;

namespace Trader.Exchange.Agents;

/// <summary>Walking a market's tick grid: the valid order prices next to a price.</summary>
internal static class GridSteps
{
    /// <summary>The highest valid order price strictly below <paramref name="ticks"/>, or null.</summary>
    public static Price? Below(TickGrid grid, int ticks)
    {
        int step = grid.FinestStepTicks;
        for (int t = (ticks - 1) / step * step; t > 0; t -= step)
        {
            var p = Price.FromTicks(t);
            if (grid.IsValidOrderPrice(p)) return p;
        }
        return null;
    }

    /// <summary>The lowest valid order price strictly above <paramref name="ticks"/>, or null.</summary>
    public static Price? Above(TickGrid grid, int ticks)
    {
        int step = grid.FinestStepTicks;
        for (int t = (ticks / step + 1) * step; t < Price.TicksPerDollar; t += step)
        {
            var p = Price.FromTicks(t);
            if (grid.IsValidOrderPrice(p)) return p;
        }
        return null;
    }
}
