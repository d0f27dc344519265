using Trader.Actors.Coordinator;
using Trader.Core.Orders;
using Trader.Policy;
using Trader.Replay.Replaying;
using static Trader.Scenarios.Tests.ScenarioTapes;

namespace Trader.Scenarios.Tests;

/// <summary>
/// The same tape with another policy: the market data is the recording's; orders the recording never sent get no
/// answer, and the replay says so instead of inventing one.
/// </summary>
public class PolicyOverrideTests
{
    [Fact]
    public void Replayed_with_hold_a_trading_session_sends_nothing_and_says_which_recorded_orders_it_did_not_send()
    {
        var r = Replayed(Fills, new ReplayOptions { Policy = "hold" });
        Assert.Equal("hold", r.Policy);
        Assert.NotEmpty(r.Decisions);
        Assert.All(r.Decisions, d => Assert.Equal("HOLD", d.ActionName));
        Assert.Empty(r.OrdersSent);
        Assert.Empty(r.UnansweredOrders);
        var note = Assert.Single(r.Notes, n => n.StartsWith("the recording sent 2 orders this replay did not:"));
        Assert.Contains($"bid (buy YES / sell NO) 5.00 @ 0.5200 YES on {MarketA}", note);
        Assert.Contains($"ask (sell YES / buy NO) 5.00 @ 0.5800 YES on {MarketA}", note);
        Assert.DoesNotContain(r.Notes, n => n.Contains("never answered"));
    }

    [Fact]
    public void Replayed_with_a_trading_policy_a_watching_session_reports_the_orders_the_tape_never_answered()
    {
        var r = Replayed(CalibrationReady, new ReplayOptions { Policy = "heuristic" });
        var unanswered = Assert.Single(r.UnansweredOrders);
        Assert.Contains($"\"ticker\":\"{MarketA}\"", unanswered.Body);
        var sent = Assert.Single(r.OrdersSent);
        Assert.Equal((BookSide.Bid, "0.5200", "5.00"), (sent.Side, sent.YesPrice.ToWireString(), sent.Count.ToWireString()));

        // Inside the replay the order's outcome is unknown — never an invented fill or refusal — and the market is blocked.
        var decision = r.Decisions.Single(d => d.Result is not null);
        Assert.Equal(ActionOutcome.Unknown, decision.Result!.Outcome);
        Assert.Contains(r.StatusLines(), l => l.StartsWith($"ready -> order outcome unknown BUY_YES 5.00 @ 0.5200 on {MarketA}"));
        Assert.Empty(r.Positions);
        var note = Assert.Single(r.Notes, n => n.StartsWith("the replayed policy sent 1 order the tape never answered:"));
        Assert.Contains($"bid (buy YES / sell NO) 5.00 @ 0.5200 YES on {MarketA}", note);
        Assert.Contains("unknown outcome", note);
        Assert.Contains("never answered by the tape", ReplayReport.Text(r));
    }

    [Fact]
    public void A_model_without_an_onnx_policy_and_an_unknown_policy_are_refused()
    {
        var model = Assert.Throws<PolicyConfigurationException>(() => Replayed(Fills, new ReplayOptions { ModelPath = "models/default.onnx" }));
        Assert.Contains("the policy 'heuristic' does not use one", model.Message);
        Assert.Throws<PolicyConfigurationException>(() => Replayed(Fills, new ReplayOptions { Policy = "clairvoyant" }));
        Assert.Throws<PolicyModelException>(() => Replayed(Fills, new ReplayOptions { Policy = "onnx", ModelPath = "/no/such/model.onnx" }));
    }
}
