using Trader.Core.Numbers;
using Trader.Exchange.Markets;

namespace Trader.Exchange.Agents;

/// <summary>
/// The exchange trading by itself: for every market, a fair value on a random walk, <see cref="LiquidityOptions.MakersPerMarket"/>
/// market makers quoting around it (each a step wider than the last) and a taker crossing now and then, so books
/// move, trades print and a user's resting order can fill. Nothing happens between calls to <see cref="Step"/>:
/// the server calls it on a timer, tests call it in a loop. One step = each open market's fair value moves once, its
/// makers re-quote, its taker maybe trades. Deterministic: the same seed on the same exchange session (same
/// options, same time, same calls) gives the same events.
/// </summary>
public sealed class LiquiditySimulation
{
    private readonly SimulatedExchange _exchange;
    private readonly Random _random;
    private readonly List<(string Ticker, FairValue Fair, List<LiquidityAgent> Agents)> _markets = [];

    public LiquiditySimulation(SimulatedExchange exchange, LiquidityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Options = options ?? new LiquidityOptions();
        Options.Validate();
        _exchange = exchange;
        _random = new Random(Options.Seed);
        foreach (var market in exchange.GetMarkets())
        {
            var definition = exchange.GetMarketDefinition(market.Ticker)!;
            var fair = new FairValue(definition.FairValue ?? Price.FromCents(50), Options.VolatilityTicks);
            var agents = new List<LiquidityAgent>();
            for (int i = 0; i < Options.MakersPerMarket; i++)
            {
                string id = $"agent-mm{i + 1}-{market.Ticker}";
                exchange.Deposit(id, Options.AgentCash);
                agents.Add(new MarketMaker(exchange, id, market.Ticker, definition.Grid, Options.HalfSpreadSteps + i, Options, $"m{_markets.Count}mm{i + 1}"));
            }
            string taker = $"agent-taker-{market.Ticker}";
            exchange.Deposit(taker, Options.AgentCash);
            agents.Add(new NoiseTaker(exchange, taker, market.Ticker, definition.Grid, Options, $"m{_markets.Count}tk"));
            _markets.Add((market.Ticker, fair, agents));
        }
    }

    public LiquidityOptions Options { get; }

    /// <summary>The user ids of every agent (for filtering them out of a view, or watching them).</summary>
    public IEnumerable<string> AgentUserIds => _markets.SelectMany(m => m.Agents).Select(a => a.UserId);

    /// <summary>The market's current fair YES price; null for an unknown ticker.</summary>
    public Price? FairValueOf(string ticker) => _markets.FirstOrDefault(m => m.Ticker == ticker).Fair?.Price;

    /// <summary>One round of trading at the exchange's current time.</summary>
    public void Step()
    {
        _exchange.AdvanceTime();
        foreach (var (ticker, fair, agents) in _markets)
        {
            if (_exchange.GetMarket(ticker).Value.Status != MarketStatus.Active.ToWire()) continue;
            fair.Step(_random);
            foreach (var agent in agents) agent.Act(fair, _random);
        }
    }
}
