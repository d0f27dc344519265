using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;
using Trader.Exchange.Agents;
using Trader.Kalshi.Api;
using static Trader.Exchange.Tests.ExchangeFixture;

namespace Trader.Exchange.Tests;

/// <summary>
/// Accounting invariants after random order flow from several users and the liquidity agents, settlement included:
/// money is conserved (deposits = Σ cash + Σ fees + $1 × contracts outstanding), each user's position equals the sum
/// of that user's signed fills, positions net to zero across users, no available balance is negative, and no book
/// is crossed at rest.
/// </summary>
public sealed class AccountingPropertyTests
{
    private static readonly string[] Users = ["u1", "u2", "u3", "u4"];
    private static readonly string[] Tickers = [Ticker, MakerFeeTicker, SubPennyTicker];

    // One step of flow: what (0–5 create, 6 cancel, 7 amend, 8 decrease, 9 agents step, 10 time passes), who, where,
    // side, price (ticks), count (1/100 contract), time in force, flags.
    private static readonly Gen<(int What, int User, int Market, bool Bid, int Ticks, int Units, int Tif, int Flags)> GenStep =
        Gen.Select(Gen.Int[0, 10], Gen.Int[0, Users.Length - 1], Gen.Int[0, Tickers.Length - 1], Gen.Bool, Gen.Int[1, 999], Gen.Int[1, 2500], Gen.Int[0, 2], Gen.Int[0, 15]);

    [Fact]
    public void Random_flow_conserves_money_and_positions_equal_their_fills() =>
        Gen.Select(GenStep.Array[20, 120], Gen.Int[0, 1000], Gen.Bool).Sample((steps, seed, settleYes) =>
        {
            var f = new ExchangeFixture(new ExchangeOptions { Seed = seed });
            var deposits = Money.Zero;
            foreach (var u in Users)
            {
                f.User(u, 300m);
                deposits += M("300");
            }
            var agents = new LiquiditySimulation(f.Exchange, new LiquidityOptions { Seed = seed, MakersPerMarket = 1, LevelsPerSide = 2 });
            deposits += agents.Options.AgentCash * agents.AgentUserIds.Count();
            var everyone = Users.Concat(agents.AgentUserIds).ToList();
            var random = new Random(seed);

            foreach (var s in steps)
            {
                string user = Users[s.User];
                string ticker = Tickers[s.Market];
                var grid = f.Exchange.GetMarketDefinition(ticker)!.Grid;
                var price = Price.FromTicks(s.Ticks * 10 / grid.FinestStepTicks * grid.FinestStepTicks);
                if (!grid.IsValidOrderPrice(price)) price = Price.FromCents(Math.Clamp(s.Ticks / 10, 1, 99));
                var open = f.Exchange.GetOrders(user, new OrderQuery(Status: ExchangeOrderStatus.Resting)).Value;
                switch (s.What)
                {
                    case <= 5:
                        f.Exchange.CreateOrder(user, new CreateOrderRequest(ticker, $"p{random.Next()}", s.Bid ? BookSide.Bid : BookSide.Ask, price,
                            Quantity.FromUnits(s.Units), (TimeInForce)s.Tif,
                            (s.Flags & 1) != 0 ? SelfTradePrevention.Maker : SelfTradePrevention.TakerAtCross,
                            PostOnly: (s.Flags & 2) != 0 && s.Tif == 0, ReduceOnly: (s.Flags & 4) != 0,
                            ExpirationTime: (s.Flags & 8) != 0 && s.Tif == 0 ? f.Time.GetUtcNow().AddSeconds(s.Units % 30 + 1) : null));
                        break;
                    case 6 when open.Count > 0:
                        f.Exchange.CancelOrder(user, open[s.Units % open.Count].OrderId);
                        break;
                    case 7 when open.Count > 0:
                        var o = open[s.Units % open.Count];
                        var g = f.Exchange.GetMarketDefinition(o.Ticker)!.Grid;
                        var p = g.IsValidOrderPrice(price) ? price : o.YesPrice;
                        f.Exchange.AmendOrder(user, new AmendOrderRequest(o.OrderId, o.Ticker, o.Side, p, o.FillCount + Quantity.FromUnits(s.Units)));
                        break;
                    case 8 when open.Count > 0:
                        var d = open[s.Units % open.Count];
                        f.Exchange.DecreaseOrder(user, new DecreaseOrderRequest(d.OrderId, Quantity.FromUnits(s.Units % 300 + 1), null));
                        break;
                    case 9:
                        agents.Step();
                        break;
                    default:
                        f.Time.Advance(TimeSpan.FromSeconds(s.Units % 20 + 1));
                        f.Exchange.AdvanceTime();
                        break;
                }
                f.Events.Drain();
                AssertReservationsMatchARecount(f);
            }
            AssertInvariants(f, everyone, deposits);

            f.Exchange.DetermineMarket(Ticker, settleYes ? MarketResult.Yes : MarketResult.No);
            f.Exchange.SettleMarket(Ticker);
            AssertInvariants(f, everyone, deposits);
            foreach (var u in everyone) Assert.Empty(f.Exchange.GetPositions(u, Ticker).Value);
        }, iter: 100);

    /// <summary>The incrementally kept reservation of every user in every market equals the model recomputed from scratch.</summary>
    private static void AssertReservationsMatchARecount(ExchangeFixture f)
    {
        foreach (var account in f.Exchange.State.Accounts.Values)
        {
            var sum = Money.Zero;
            foreach (var holding in account.Markets)
            {
                var fees = f.Exchange.GetMarketDefinition(holding.Ticker)!.Fees;
                var expected = ReservationModel.Required(holding.Position.Contracts, holding.OpenOrders, fees, f.Exchange.Options.BalancePrecision);
                Assert.Equal(expected, holding.Reserved);
                Assert.Equal(expected, holding.Collateral.Required(holding.Position.Contracts));
                sum += expected;
            }
            Assert.Equal(sum, account.Reserved);
            Assert.True(account.Cash >= account.Reserved, $"{account.UserId}: cash {account.Cash} < reserved {account.Reserved}");
        }
    }

    private static void AssertInvariants(ExchangeFixture f, IReadOnlyList<string> users, Money deposits)
    {
        var totals = f.Exchange.GetLedgerTotals();
        Assert.Equal(deposits, totals.Deposits);

        // fees: the sum of every fill's fee; collateral: $1 per long contract, counted from the positions
        var fees = Money.Zero;
        var outstanding = Quantity.Zero;
        foreach (var ticker in Tickers)
        {
            var net = Quantity.Zero;
            foreach (var u in users)
            {
                var position = f.Exchange.GetPositions(u, ticker).Value.SingleOrDefault();
                if (position is null) continue;
                var fills = f.Exchange.GetFills(u, new FillQuery(Ticker: ticker)).Value;
                var signed = fills.Aggregate(Quantity.Zero, (sum, x) => sum + x.SignedCount);
                Assert.Equal(signed, position.Position);
                Assert.Equal(fills.Aggregate(Money.Zero, (sum, x) => sum + x.Fee), position.FeesPaid);
                if (position.Position.IsPositive) outstanding += position.Position;
                net += position.Position;
            }
            Assert.Equal(Quantity.Zero, net);

            var book = f.Book(ticker);
            if (book.YesBids.Count > 0 && book.NoBids.Count > 0)
                Assert.True(book.YesBids[^1].Price.Ticks + book.NoBids[^1].Price.Ticks < Price.TicksPerDollar, $"{ticker} is crossed");
        }
        foreach (var u in users)
        {
            foreach (var fill in f.Exchange.GetFills(u).Value) fees += fill.Fee;
            Assert.False(f.Available(u).IsNegative, $"{u} has a negative available balance {f.Available(u)}");
        }
        Assert.Equal(Price.One * outstanding, totals.Collateral);
        Assert.Equal(fees, totals.FeesCollected);
        Assert.Equal(deposits, totals.Cash + fees + Price.One * outstanding);
    }
}
