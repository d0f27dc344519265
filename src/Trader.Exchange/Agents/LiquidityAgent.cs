using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Kalshi.Api;

namespace Trader.Exchange.Agents;

/// <summary>
/// One of the exchange's own traders in one market. It trades through <see cref="SimulatedExchange"/>'s public API
/// like any user (same refusals, same fees, same accounting), under its own account. Its client order ids are
/// <c>{clientPrefix}-{n}</c> (tickers may hold characters a client order id may not, such as '.').
/// </summary>
internal abstract class LiquidityAgent(SimulatedExchange exchange, string userId, string ticker, string clientPrefix)
{
    private int _orders;

    protected SimulatedExchange Exchange { get; } = exchange;
    public string UserId { get; } = userId;
    public string Ticker { get; } = ticker;

    /// <summary>One decision, given the market's current fair value.</summary>
    public abstract void Act(FairValue fair, Random random);

    protected Quantity Position => Exchange.GetPositions(UserId, Ticker).Value.FirstOrDefault()?.Position ?? Quantity.Zero;

    protected ExchangeResult<OrderAck> Send(BookSide side, Price price, int contracts, TimeInForce tif, bool postOnly) =>
        Exchange.CreateOrder(UserId, new CreateOrderRequest(Ticker, $"{clientPrefix}-{++_orders}", side, price, Quantity.FromContracts(contracts),
            tif, SelfTradePrevention.Maker, postOnly));
}
