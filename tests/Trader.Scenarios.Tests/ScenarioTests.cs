using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Core.Orders;
using static Trader.Scenarios.Tests.ScenarioTapes;

namespace Trader.Scenarios.Tests;

/// <summary>
/// Each scenario's tape replayed through the real actors (TestKit's calling-thread dispatcher, virtual time) and
/// checked against what the scenario is about: state transitions, status-log entries, orders sent, positions and P&amp;L.
/// Every replay here is also faithful: it made the requests the recorded trader made and got their recorded answers.
/// </summary>
public class ScenarioTests
{
    [Fact]
    public void Calibration_to_ready()
    {
        var r = Replayed(CalibrationReady);
        Assert.Equal([(TraderState.Idle, TraderState.Calibrating), (TraderState.Calibrating, TraderState.Ready)],
            r.Transitions.Select(t => (t.From, t.To)));
        Assert.Equal(["calibrating", "calibrating -> checking exchange", "calibrating -> health checks", "calibrating -> syncing state", "ready"],
            r.StatusLog.Entries.Select(e => e.Status));
        Assert.StartsWith("exchange: ✓", r.Entries("calibrating -> health checks").Single().Result);
        Assert.StartsWith("Balance: $1000.00 | Portfolio: $0.00 | Positions: 0 active | Settlements: 0 fetched", r.Entries("calibrating -> syncing state").Single().Result);
        Assert.Equal("cash $1000.00", r.Entries("ready").Single().Result);

        // The hold policy watched both books and never traded; what it saw is the counterparty's book.
        Assert.Empty(r.OrdersSent);
        Assert.All(r.Decisions, d => Assert.Equal("HOLD", d.ActionName));
        Assert.Equal([MarketB, MarketA], r.Decisions.Select(d => d.Ticker).Distinct().Order(StringComparer.Ordinal));
        var lastA = r.Decisions.Last(d => d.Ticker == MarketA);
        Assert.Equal(0.50f, lastA.Observation[ObservationLayout.BestYesBid], 4);
        Assert.Equal(0.52f, lastA.Observation[ObservationLayout.BestYesAsk], 4);
        Assert.Equal(0.02f, lastA.Observation[ObservationLayout.YesSpread], 4);
        Assert.Equal(ObservationLayout.Length, lastA.Observation.Length);

        Assert.Equal(TraderState.Ready, r.Final.State);
        Assert.Equal(Money.FromDollars(1000), r.Final.Trading.Cash);
        Assert.Empty(r.Positions);
        r.AssertFaithful();
    }

    [Fact]
    public void Orderbook_socket_refused_with_503_degrades_but_the_trader_trades()
    {
        var r = Replayed(Orderbook503);
        var lines = r.StatusLines();
        int down = lines.FindIndex(l => l.Contains("-> orderbook down connect failed") && l.Contains("503"));
        int ready = lines.FindIndex(l => l.StartsWith("ready cash $1000.00 | degraded: orderbook down"));
        int up = lines.IndexOf("ready -> orderbook up connected to 127.0.0.1");
        Assert.True(down >= 0 && ready > down && up > ready, string.Join("\n", lines));
        Assert.EndsWith("(optional: trading goes on, degraded)", lines[down]);
        Assert.DoesNotContain("orderbook: ✓", r.Entries("calibrating -> health checks").Single().Result); // ✗, or not known yet
        Assert.DoesNotContain(r.Transitions, t => t.To == TraderState.Error);

        // Once the stream is up the trader trades: one order, placed, 5 contracts held.
        var order = Assert.Single(r.OrdersSent);
        Assert.Equal((MarketA, BookSide.Bid, Price.Parse("0.52"), Quantity.FromContracts(5)), (order.Ticker, order.Side, order.YesPrice, order.Count));
        Assert.Equal(ActionOutcome.Placed, r.Decisions.Single(d => d.Result is not null).Result!.Outcome);
        Assert.True(r.Decisions.All(d => d.At >= r.StatusLog.Entries[up].Timestamp), "no decision while the order book was down");
        Assert.Equal(Quantity.FromContracts(5), r.Positions[MarketA].Contracts);
        Assert.Equal(Money.Parse("2.60"), r.Positions[MarketA].CostBasis);
        r.AssertFaithful();
    }

    [Fact]
    public void Fills_and_partial_fills_make_positions_and_realized_pnl()
    {
        var r = Replayed(Fills);
        Assert.Equal([(BookSide.Bid, "0.5200", "5.00"), (BookSide.Ask, "0.5800", "5.00")],
            r.OrdersSent.Select(o => (o.Side, o.YesPrice.ToWireString(), o.Count.ToWireString())));
        Assert.Equal(2, r.Decisions.Count(d => d.Result?.Outcome == ActionOutcome.Placed));

        // 2 of the 5 bought at once (the partial fill), the other 3 when the counterparty sold more, then all 5 sold.
        Assert.Equal(["2.00", "5.00", "0.00"], r.PositionHistory.Where(p => p.Ticker == MarketA).Select(p => p.Contracts.ToWireString()));

        var position = r.Positions[MarketA];
        Assert.True(position.IsFlat);
        Assert.Equal(Money.Parse("0.30"), position.RealizedPnl); // (0.58 − 0.52) × 5
        Assert.True(position.FeesPaid.IsPositive);
        // The exchange's balance agrees with the trader's own P&L to the micro-dollar.
        Assert.Equal(Money.FromDollars(1000) + position.NetRealizedPnl, r.Final.Trading.Cash);
        Assert.DoesNotContain(r.StatusLines(), l => l.Contains("position") && l.Contains("differs"));
        r.AssertFaithful();
    }

    [Fact]
    public void A_sequence_gap_invalidates_the_book_and_a_snapshot_restores_it()
    {
        var r = Replayed(SequenceGap);
        var gap = Assert.IsType<BookGapDetected>(Assert.Single(r.MarketEvents, e => e is BookGapDetected));
        Assert.Equal(MarketA, gap.Ticker);
        Assert.Equal(gap.Expected + 1, gap.Received);
        Assert.Contains(r.MarketEvents, e => e is MarketStale s && s.Ticker == MarketA && s.Reason.StartsWith("sequence gap"));

        // The trader asked for a fresh snapshot, got the book as it really was, and decided on it again.
        Assert.Contains(r.CommandsSent, c => c.Stream == "orderbook" && c.Frame.Contains("\"get_snapshot\"") && c.Frame.Contains(MarketA));
        var resnapshot = r.MarketEvents.OfType<BookSnapshotApplied>().Single(s => s.At >= gap.At);
        Assert.Equal(["0.4000 × 10.00", "0.4100 × 5.00"], resnapshot.YesBids.Select(l => $"{l.Price.ToWireString()} × {l.Size.ToWireString()}"));
        var after = r.Decisions.Where(d => d.At >= resnapshot.At).ToList();
        Assert.NotEmpty(after);
        Assert.Equal(0.41f, after[0].Observation[ObservationLayout.BestYesBid], 4);
        Assert.Empty(r.OrdersSent);
        Assert.Equal(TraderState.Ready, r.Final.State);
        r.AssertFaithful();
    }

    [Fact]
    public void Reconnect_mid_session_resubscribes_and_gets_a_fresh_book_while_staying_ready()
    {
        var r = Replayed(Reconnect);
        Assert.EndsWith(".jsonl.gz", r.Tape.Path); // the suite's compressed tape
        var lines = r.StatusLines();
        foreach (var stream in new[] { "orderbook", "user-stream" })
        {
            int down = lines.FindIndex(l => l.StartsWith($"ready -> {stream} down connection lost"));
            int up = lines.FindIndex(l => l.StartsWith($"ready -> {stream} up"));
            Assert.True(down >= 0 && up > down, string.Join("\n", lines));
        }
        Assert.Equal(2, r.CommandsSent.Count(c => c.Stream == "orderbook" && c.Frame.Contains("\"subscribe\"")));
        // The account stream subscribed to both channels at once; on the new connection each durable subscription is restored.
        Assert.Equal(3, r.CommandsSent.Count(c => c.Stream == "user-stream" && c.Frame.Contains("\"subscribe\"")));
        Assert.Contains(r.MarketEvents, e => e is MarketStale s && s.Reason.StartsWith("orderbook stream down"));

        var reconnected = r.StatusLog.Entries.First(e => e.Status == "ready -> orderbook up").Timestamp;
        var snapshot = r.MarketEvents.OfType<BookSnapshotApplied>().Last();
        Assert.True(snapshot.At >= reconnected);
        Assert.Equal(["0.4000 × 10.00"], snapshot.YesBids.Select(l => $"{l.Price.ToWireString()} × {l.Size.ToWireString()}"));
        Assert.Contains(r.Decisions, d => d.At >= snapshot.At);
        Assert.Equal([(TraderState.Idle, TraderState.Calibrating), (TraderState.Calibrating, TraderState.Ready)],
            r.Transitions.Select(t => (t.From, t.To)));
        r.AssertFaithful();
    }

    [Fact]
    public void Exchange_down_goes_to_error_and_recovers_by_itself()
    {
        var r = Replayed(ExchangeDown);
        var errors = r.Entries("error");
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("calibration failed: exchange status: HTTP 503 service_unavailable", e.Result));
        Assert.EndsWith("retry in 2s", errors[0].Result);
        Assert.EndsWith("retry in 4s", errors[1].Result); // the backoff doubles
        Assert.Contains(r.StatusLines(), l => l.StartsWith("calibrating") && l.Contains("periodic (3s elapsed)"));
        Assert.Contains("calibrating recovery (attempt 2)", r.StatusLines());

        var states = r.Transitions.Select(t => t.To).ToList();
        Assert.Equal(2, states.Count(s => s == TraderState.Error));
        Assert.Equal(TraderState.Ready, states[^1]);
        int firstError = states.IndexOf(TraderState.Error);
        Assert.Equal(TraderState.Calibrating, states[firstError + 1]); // retried, not left in ERROR
        Assert.Equal(TraderState.Ready, r.Final.State);
        Assert.Equal(0, r.Final.Trading.Positions.Count(p => !p.Value.IsZero));
        r.AssertFaithful();
    }

    [Fact]
    public void An_ambiguous_create_is_resolved_by_client_order_id_without_a_duplicate()
    {
        var r = Replayed(AmbiguousCreate);
        var order = Assert.Single(r.OrdersSent); // never sent twice
        var decision = r.Decisions.Single(d => d.Result is not null);
        Assert.Equal(ActionOutcome.Unknown, decision.Result!.Outcome);
        Assert.Equal(order.ClientOrderId, decision.Result.ClientOrderId);
        Assert.Contains(r.StatusLines(), l => l.StartsWith($"ready -> order outcome unknown BUY_YES 5.00 @ 0.5200 on {MarketA}"));

        // The lookup by client order id found the order: 2 filled at once, 3 resting; the market is no longer blocked.
        Assert.Empty(r.Final.Trading.Blocked);
        Assert.Equal(1, r.Final.Trading.OpenOrders[MarketA]);
        Assert.Equal(Quantity.FromContracts(2), r.Positions[MarketA].Contracts);
        Assert.Empty(r.Unanswered);
        r.AssertFaithful();
    }

    [Fact]
    public void Settlement_of_a_held_market_closes_the_position_and_pays_out()
    {
        var r = Replayed(Settlement);
        var order = Assert.Single(r.OrdersSent);
        Assert.Equal((BookSide.Bid, "0.5200", "5.00"), (order.Side, order.YesPrice.ToWireString(), order.Count.ToWireString()));
        Assert.Equal(["5.00", "0.00"], r.PositionHistory.Where(p => p.Ticker == MarketA).Select(p => p.Contracts.ToWireString()));

        var sync = r.Entries("calibrating -> syncing state").Last().Result!;
        Assert.Contains("(Δ +$5.00)", sync); // 5 contracts paid $1.00 each
        Assert.Contains("Positions: 1 → 0 (Δ -1) | Settlements: 1 fetched", sync);
        Assert.DoesNotContain(r.StatusLines(), l => l.Contains("position differs"));
        Assert.DoesNotContain(r.Positions, p => !p.Value.IsFlat);
        Assert.Equal(TraderState.Ready, r.Final.State);
        r.AssertFaithful();
    }
}
