using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Agents;

/// <summary>
/// Quotes <c>levels</c> post-only prices a side around the fair value, <c>halfSpread</c> grid steps away from it, each
/// level a random size. Its quotes lean against its inventory (the fair it quotes around moves by
/// <see cref="LiquidityOptions.SkewTicksPerContract"/> per contract held), and past its risk limit it stops quoting
/// the side that would add to the position. Each step it keeps the quotes still wanted (time priority stays),
/// cancels the others and places the missing ones.
/// </summary>
internal sealed class MarketMaker(SimulatedExchange exchange, string userId, string ticker, TickGrid grid, int halfSpreadSteps,
    LiquidityOptions options, string clientPrefix) : LiquidityAgent(exchange, userId, ticker, clientPrefix)
{
    private readonly Dictionary<(BookSide Side, Price Price), string> _quotes = [];

    public override void Act(FairValue fair, Random random)
    {
        var position = Position;
        int center = Math.Clamp(fair.Ticks - (int)(position.ToWholeContracts() * options.SkewTicksPerContract), 1, Price.TicksPerDollar - 1);
        var wanted = new HashSet<(BookSide, Price)>();
        if (position.ToWholeContracts() < options.MaxPosition) AddLevels(wanted, BookSide.Bid, center);
        if (position.ToWholeContracts() > -options.MaxPosition) AddLevels(wanted, BookSide.Ask, center);

        foreach (var (key, orderId) in _quotes.ToList())
        {
            bool resting = Exchange.GetOrder(UserId, orderId) is { IsSuccess: true } o && o.Value.Status == ExchangeOrderStatus.Resting;
            if (resting && wanted.Contains(key)) continue;
            if (resting) Exchange.CancelOrder(UserId, orderId, Ticker);
            _quotes.Remove(key);
        }
        foreach (var key in wanted.OrderBy(k => k.Item1).ThenBy(k => k.Item2))
        {
            if (_quotes.ContainsKey(key)) continue;
            var result = Send(key.Item1, key.Item2, random.Next(options.MinQuoteSize, options.MaxQuoteSize + 1), TimeInForce.GoodTillCanceled, postOnly: true);
            if (result.IsSuccess && result.Value.RemainingCount.IsPositive) _quotes[key] = result.Value.OrderId;
        }
    }

    private void AddLevels(HashSet<(BookSide, Price)> wanted, BookSide side, int center)
    {
        Price? price = null;
        int ticks = center;
        for (int i = 0; i < halfSpreadSteps - 1 + options.LevelsPerSide; i++)
        {
            price = side == BookSide.Bid ? GridSteps.Below(grid, ticks) : GridSteps.Above(grid, ticks);
            if (price is null) return;
            ticks = price.Value.Ticks;
            if (i >= halfSpreadSteps - 1) wanted.Add((side, price.Value));
        }
    }
}
