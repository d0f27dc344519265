using CsCheck;
using Trader.Core.Numbers;
using Trader.Core.Orders;
using Trader.Core.Positions;

namespace Trader.Core.Tests.Positions;

public class PositionTests
{
    private static Price P(string s) => Price.Parse(s);
    private static Quantity C(long n) => Quantity.FromContracts(n);
    private static Money M(string s) => Money.Parse(s);

    [Fact]
    public void Open_add_reduce_close_long_yes()
    {
        var pos = new Position("M");
        pos = pos.ApplyFill(BookSide.Bid, P("0.40"), C(10), Money.Zero);   // BUY YES 10 @ 0.40
        Assert.Equal(C(10), pos.Contracts);
        Assert.Equal(M("4.00"), pos.CostBasis);
        Assert.Equal(0.40m, pos.AverageCost);

        pos = pos.ApplyFill(BookSide.Ask, P("0.55"), C(4), Money.Zero);    // SELL YES 4 @ 0.55
        Assert.Equal(C(6), pos.Contracts);
        Assert.Equal(M("0.60"), pos.RealizedPnl);                           // 4 × (0.55 − 0.40)
        Assert.Equal(M("2.40"), pos.CostBasis);

        pos = pos.ApplyFill(BookSide.Bid, P("0.50"), C(4), Money.Zero);    // add 4 @ 0.50
        Assert.Equal(C(10), pos.Contracts);
        Assert.Equal(M("4.40"), pos.CostBasis);

        pos = pos.ApplyFill(BookSide.Ask, P("0.60"), C(10), Money.Zero);   // close all @ 0.60
        Assert.True(pos.IsFlat);
        Assert.Equal(Money.Zero, pos.CostBasis);
        Assert.Equal(M("2.20"), pos.RealizedPnl);                           // 0.60 + (6.00 − 4.40)
        Assert.Null(pos.AverageCost);
    }

    [Fact]
    public void Buying_no_while_long_yes_nets_at_the_no_price_and_flips()
    {
        // original-system.md §2.1 worked example, with the intended (not the buggy) arithmetic:
        // long 6 YES costing 2.40; BUY NO 10 with fill YES price 0.30, i.e. NO at 0.70.
        var pos = new Position("M") { Contracts = C(6), CostBasis = M("2.40") };
        pos = pos.ApplyFill(BookSide.Ask, P("0.30"), C(10), Money.Zero);
        // 6 pairs of YES (0.40 each) + NO (0.70 each) pay $1: realized 6 × (1 − 0.70 − 0.40) = −0.60.
        Assert.Equal(M("-0.60"), pos.RealizedPnl);
        // The 4 beyond zero are long NO at their NO price 0.70 (not at zero cost, the original's flip bug).
        Assert.Equal(C(-4), pos.Contracts);
        Assert.Equal(M("2.80"), pos.CostBasis);
        Assert.Equal(ContractSide.No, pos.HeldSide);
        Assert.Equal(0.70m, pos.AverageCost);
    }

    [Fact]
    public void Long_no_is_costed_at_the_no_price_and_closed_by_buying_yes()
    {
        var pos = new Position("M").ApplyFill(BookSide.Ask, P("0.30"), C(10), Money.Zero); // BUY NO 10 @ 0.70
        Assert.Equal(C(-10), pos.Contracts);
        Assert.Equal(M("7.00"), pos.CostBasis);

        pos = pos.ApplyFill(BookSide.Bid, P("0.20"), C(4), Money.Zero);  // SELL NO 4 @ 0.80 (bid YES @ 0.20)
        Assert.Equal(C(-6), pos.Contracts);
        Assert.Equal(M("0.40"), pos.RealizedPnl);                         // 4 × (0.80 − 0.70)
        Assert.Equal(M("4.20"), pos.CostBasis);
    }

    [Fact]
    public void Flip_from_no_to_yes()
    {
        var pos = new Position("M").ApplyFill(BookSide.Ask, P("0.40"), C(5), Money.Zero); // long NO 5 @ 0.60 = 3.00
        pos = pos.ApplyFill(BookSide.Bid, P("0.30"), C(8), Money.Zero);                  // buy YES 8 @ 0.30
        Assert.Equal(M("0.50"), pos.RealizedPnl);   // 5 × (0.70 − 0.60)
        Assert.Equal(C(3), pos.Contracts);
        Assert.Equal(M("0.90"), pos.CostBasis);     // 3 × 0.30
    }

    [Fact]
    public void Unrealized_pnl_at_a_mark()
    {
        // original-system.md §15 L: BUY YES 10 @ 0.51 → cost 5.10, unrealized 0.90 at 0.60 and −1.10 at 0.40.
        var pos = new Position("M").ApplyFill(BookSide.Bid, P("0.51"), C(10), Money.Zero);
        Assert.Equal(M("5.10"), pos.CostBasis);
        Assert.Equal(M("0.90"), pos.UnrealizedAt(P("0.60")));
        Assert.Equal(M("-1.10"), pos.UnrealizedAt(P("0.40")));

        var no = new Position("M").ApplyFill(BookSide.Ask, P("0.40"), C(10), Money.Zero); // NO @ 0.60
        Assert.Equal(M("1.00"), no.UnrealizedAt(P("0.30")));   // NO worth 0.70
        Assert.Equal(Money.Zero, new Position("M").UnrealizedAt(P("0.5")));
    }

    [Fact]
    public void Round_trip_realizes_the_difference()
    {
        // §15 L: BUY 100 @ 0.41 then SELL 100 @ 0.60 → realized 19.00.
        var pos = new Position("M").ApplyFill(BookSide.Bid, P("0.41"), C(100), Money.Zero)
            .ApplyFill(BookSide.Ask, P("0.60"), C(100), Money.Zero);
        Assert.Equal(M("19.00"), pos.RealizedPnl);
        Assert.True(pos.IsFlat);
    }

    [Fact]
    public void Wire_fills_golden_position_and_settlement()
    {
        // kalshi-api.md §9.6: three YES buys 0.52 + 0.99 + 0.99 → exposure 2.50, fees 0.0189, position +3;
        // the market resolves YES → realized 3.00 − 2.50 = 0.50, net of fees 0.4811.
        var pos = new Position("KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP")
            .ApplyFill(BookSide.Bid, P("0.9900"), C(1), M("0.000700"))
            .ApplyFill(BookSide.Bid, P("0.9900"), C(1), M("0.000700"))
            .ApplyFill(BookSide.Bid, P("0.5200"), C(1), M("0.017500"));
        Assert.Equal(Quantity.Parse("3.00"), pos.Contracts);
        Assert.Equal(M("2.500000"), pos.CostBasis);
        Assert.Equal(M("0.018900"), pos.FeesPaid);
        Assert.Equal(Quantity.Parse("3.00"), pos.Volume);

        var settled = pos.Settle(MarketResult.Yes);
        Assert.True(settled.IsFlat);
        Assert.Equal(M("0.50"), settled.RealizedPnl);
        Assert.Equal(M("0.4811"), settled.NetRealizedPnl);
    }

    [Fact]
    public void Settlement_of_no_result_and_of_a_short_position()
    {
        var longYes = new Position("M").ApplyFill(BookSide.Bid, P("0.30"), C(10), Money.Zero);
        Assert.Equal(M("-3.00"), longYes.Settle(MarketResult.No).RealizedPnl);

        var longNo = new Position("M").ApplyFill(BookSide.Ask, P("0.30"), C(10), Money.Zero); // NO @ 0.70
        Assert.Equal(M("3.00"), longNo.Settle(MarketResult.No).RealizedPnl);
        Assert.Equal(M("-7.00"), longNo.Settle(MarketResult.Yes).RealizedPnl);

        // scalar settlement value 0.25 per YES contract
        Assert.Equal(M("-0.50"), longYes.Settle(P("0.25")).RealizedPnl);
        var flat = new Position("M");
        Assert.Same(flat, flat.Settle(MarketResult.Yes));
    }

    [Fact]
    public void Fractional_contracts_are_exact()
    {
        var pos = new Position("M").ApplyFill(BookSide.Bid, P("0.3301"), Quantity.Parse("0.03"), Money.Zero);
        Assert.Equal(M("0.009903"), pos.CostBasis);
    }

    [Fact]
    public void Position_equals_the_sum_of_signed_fills_and_money_is_conserved() =>
        Gen.Select(Gen.Bool, Gen.Int[1, 9999], Gen.Int[1, 5000]).Array[1, 60].Sample(fills =>
        {
            var pos = new Position("M");
            long signed = 0;
            long cashMicros = 0; // cash paid out for fills (buys on either leg cost the leg price)
            foreach (var (bid, ticks, units) in fills)
            {
                var side = bid ? BookSide.Bid : BookSide.Ask;
                var price = Price.FromTicks(ticks);
                var count = Quantity.FromUnits(units);
                pos = pos.ApplyFill(side, price, count, Money.Zero);
                signed += bid ? units : -units;
                // Kalshi nets pairs, but in money terms every fill costs its leg price:
                // a bid pays the YES price per contract, an ask pays the NO price.
                cashMicros += (bid ? price : price.Complement).Ticks * (long)units;
            }
            Assert.Equal(signed, pos.Contracts.Units);
            Assert.False(pos.CostBasis.IsNegative);

            // Value at settlement is the same whichever way the market goes once both payouts are counted:
            // realized + cost basis of what is held + paid-out cash for closed pairs = total spent.
            // Check: settle YES and NO; the difference between the two equals the value of the net position.
            var yes = pos.Settle(MarketResult.Yes).RealizedPnl;
            var no = pos.Settle(MarketResult.No).RealizedPnl;
            Assert.Equal(Money.FromMicros(pos.Contracts.Units * 10_000), yes - no);

            // Conservation: every closed pair paid $1, so P&L after settling = payouts − cash spent.
            long pairsUnits = (fills.Sum(f => (long)f.Item3) - Math.Abs(signed)) / 2;
            long payoutYes = pairsUnits * 10_000 + Math.Max(signed, 0) * 10_000;
            Assert.Equal(payoutYes - cashMicros, yes.Micros);
        }, iter: 500);
}
