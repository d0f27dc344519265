using Trader.Core.Actions;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Core.Orders;
using Trader.Exchange;
using Trader.Exchange.Agents;
using Trader.Kalshi.Api;
using Trader.Policy;
using Trader.Policy.Training;

namespace Trader.Training;

/// <summary>How a simulated session is run to collect (observation, action) pairs.</summary>
public sealed record ImitationOptions
{
    /// <summary>Seeds the exchange's markets and its liquidity agents: the same seed gives the same session.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Simulation steps; each moves every market and asks the teacher once per market.</summary>
    public int Steps { get; init; } = 4_000;

    /// <summary>Simulated time between steps.</summary>
    public TimeSpan StepInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Contracts per order of the learner account.</summary>
    public Quantity Contracts { get; init; } = Quantity.FromContracts(5);

    public Money StartingCash { get; init; } = Money.FromDollars(10_000);
}

/// <summary>What a session produced: the data and how the actions were spread.</summary>
public sealed record ImitationSession(BehaviourCloningDataset Data, int[] ActionCounts, int Orders, int Fills);

/// <summary>
/// Runs the simulated exchange (its default markets and seeded liquidity agents) in process and lets a teacher policy
/// trade one account in it, as the trader would: each step, for each open market, the market's book and the account's
/// portfolio become the 52-feature observation (Core's <see cref="ObservationBuilder"/>, training semantics), the
/// teacher decides, and a non-HOLD action is sent as an immediate-or-cancel order at the best opposite price
/// (<see cref="ActionPricing"/>), so positions, cash and the portfolio features evolve as they would live. Every
/// (observation, action) pair is recorded for behaviour cloning. Deterministic for a given seed.
/// </summary>
public static class SimulatorImitation
{
    public const string Learner = "learner";

    public static ImitationSession Collect(IPolicy teacher, ImitationOptions options)
    {
        var time = new SteppedTime(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero));
        var exchange = SimulatedExchange.WithDefaultMarkets(time, new ExchangeOptions { Seed = options.Seed });
        var agents = new LiquiditySimulation(exchange, new LiquidityOptions { Seed = options.Seed });
        exchange.Deposit(Learner, options.StartingCash);

        var space = ActionSpace.FiveActions(options.Contracts);
        var builder = new ObservationBuilder();
        var data = new BehaviourCloningDataset();
        var observation = new float[ObservationLayout.Length];
        var counts = new int[space.Count];
        var books = new Dictionary<string, OrderBook>(StringComparer.Ordinal);
        long sequence = 0;
        int orders = 0, fills = 0, nextOrder = 0;

        for (int step = 0; step < options.Steps; step++)
        {
            time.Advance(options.StepInterval);
            agents.Step();
            exchange.Events?.Drain();

            var balance = exchange.GetBalance(Learner).Value!;
            var positions = exchange.GetPositions(Learner, nonZeroOnly: true).Value!;
            var snapshots = positions.Select(p => new PositionSnapshot(p.Ticker, p.Position, Money.Abs(p.MarketExposure))).ToArray();

            foreach (var market in exchange.GetMarkets(new MarketQuery(Status: "open")))
            {
                var snapshot = exchange.GetOrderBook(market.Ticker).Value!;
                if (!books.TryGetValue(market.Ticker, out var book))
                    books[market.Ticker] = book = new OrderBook(market.Ticker, market.Grid, SequenceCheck.Monotonic);
                book.ApplySnapshot(++sequence, snapshot.YesBids.ToArray(), snapshot.NoBids.ToArray());

                var position = positions.FirstOrDefault(p => p.Ticker == market.Ticker)?.Position ?? Quantity.Zero;
                // Cash plus the positions, as the live trader values them (the balance's portfolio_value is the positions alone).
                var portfolio = PortfolioInput.CashPlusPositions(balance.Cash, snapshots, book);
                builder.Build(book, time.GetUtcNow(), portfolio, default, observation);

                int action = teacher.Decide(observation, new DecisionContext(market.Ticker, position)).Action;
                data.Add(observation, action);
                counts[action]++;

                var proposal = ActionPricing.Propose(space.Decode(action), book);
                if (proposal.Order is not { } order) continue;
                var ack = exchange.CreateOrder(Learner, new CreateOrderRequest(market.Ticker, $"learner-{nextOrder++}", order.Side, order.YesPrice,
                    order.Count, TimeInForce.ImmediateOrCancel));
                orders++;
                if (ack.Value is { } a && a.FillCount.IsPositive) fills++;
            }
        }
        return new ImitationSession(data, counts, orders, fills);
    }
}
