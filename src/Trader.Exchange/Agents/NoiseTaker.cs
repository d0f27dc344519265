using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Exchange.Agents;

/// <summary>
/// Now and then crosses the spread with an immediate-or-cancel order of a few contracts, a couple of grid steps
/// through the touch: buying when the fair value is above the mid more often than not (and selling when below), and
/// past its risk limit only in the direction that reduces its position.
/// </summary>
internal sealed class NoiseTaker(SimulatedExchange exchange, string userId, string ticker, TickGrid grid, LiquidityOptions options,
    string clientPrefix) : LiquidityAgent(exchange, userId, ticker, clientPrefix)
{
    public override void Act(FairValue fair, Random random)
    {
        if (random.Next(1000) >= options.TakerChancePerMille) return;
        var market = Exchange.GetMarket(Ticker).Value;
        if (market.YesBid is not { } bid || market.YesAsk is not { } ask) return;
        int mid = (bid.Ticks + ask.Ticks) / 2;
        int buyChance = fair.Ticks > mid ? 700 : fair.Ticks < mid ? 300 : 500;
        var side = random.Next(1000) < buyChance ? BookSide.Bid : BookSide.Ask;
        var position = Position.ToWholeContracts();
        if (position >= options.MaxPosition) side = BookSide.Ask;
        if (position <= -options.MaxPosition) side = BookSide.Bid;

        Price? limit = side == BookSide.Bid ? ask : bid;
        for (int i = 0; i < 2 && limit is { } l; i++)
        {
            var next = side == BookSide.Bid ? GridSteps.Above(grid, l.Ticks) : GridSteps.Below(grid, l.Ticks);
            if (next is null) break;
            limit = next;
        }
        Send(side, limit!.Value, random.Next(1, options.MaxTakerSize + 1), TimeInForce.ImmediateOrCancel, postOnly: false);
    }
}
