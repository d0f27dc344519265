using Trader.Actors.Coordinator;
using Trader.Actors.MarketData;
using Trader.Core.Numbers;
using Trader.Replay.Replaying;
using Trader.Replay.Tapes;
using static Trader.Scenarios.Tests.ScenarioTapes;

namespace Trader.Scenarios.Tests;

/// <summary>A cut tape still replays: it calibrates, has its books, and the trader is in the state the exchange confirmed.</summary>
public sealed class CutReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cut-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Cut_after_a_periodic_calibration_starts_there_with_the_position_and_the_book_as_they_stood()
    {
        var tape = Read(Settlement);
        // The second calibration confirmed the 5 contracts bought; the market settles after it. Cut from just after it.
        var statuses = tape.Entries.Where(e => e.Path?.EndsWith("/exchange/status") == true).ToList();
        var from = statuses[1].At.AddMilliseconds(200);
        var cut = TapeCutter.Cut(tape, new TapeCutOptions { From = from });
        var path = Path.Combine(_dir, "cut.jsonl.gz");
        TapeWriter.Save(cut.Tape, path);
        var back = TapeReader.Read(path);
        Assert.StartsWith("cut from settlement.jsonl: starts at the last calibration before", back.Header.Note);
        Assert.Equal(statuses[1].Sent, back.Entries.First(e => e.Kind == TapeEntryKind.Http).Sent);
        Assert.True(back.Entries.Count < tape.Entries.Count);

        var r = Replayer.Run(back);
        Assert.Equal(TraderState.Ready, r.Transitions[1].To);
        Assert.Equal("exchange: ✓ | orderbook: ✓ | user-stream: ✓", r.Entries("calibrating -> health checks").First().Result); // streams carried over
        // The replay starts from the exchange's word: 5 contracts held (their fills were in that calibration's reads).
        Assert.Contains("Balance: $997.31 | Portfolio: $2.60 | Positions: 1 active", r.Entries("calibrating -> syncing state").First().Result);
        Assert.Equal(Trader.Core.Numbers.Quantity.FromContracts(5), r.PositionHistory[0].Contracts);
        // The order book came back as it stood: the counterparty's bid; the ask the trader took is gone.
        var snapshot = r.MarketEvents.OfType<BookSnapshotApplied>().First();
        Assert.Equal(["0.5000 × 100.00"], snapshot.YesBids.Select(l => $"{l.Price.ToWireString()} × {l.Size.ToWireString()}"));
        Assert.Empty(snapshot.NoBids);
        // Then the market settles, as recorded.
        Assert.Contains("(Δ +$5.00)", r.Entries("calibrating -> syncing state").Last().Result);
        Assert.Equal(["5.00", "0.00"], r.PositionHistory.Select(p => p.Contracts.ToWireString()));
        Assert.Empty(r.OrdersSent);
        Assert.Equal(Replayed(Settlement).Final.Trading.Cash, r.Final.Trading.Cash);
        r.AssertFaithful();
    }

    [Fact]
    public void Cut_to_one_market_replays_that_market_only()
    {
        var tape = Read(CalibrationReady);
        var cut = TapeCutter.Cut(tape, new TapeCutOptions { Markets = [MarketB] });
        Assert.Equal([MarketB], cut.Tape.Header.Markets);
        Assert.DoesNotContain(cut.Tape.Entries, e => e.Frame?.Contains(MarketA) == true && e.Kind == TapeEntryKind.WsReceive);

        var r = Replayer.Run(cut.Tape);
        Assert.Equal(TraderState.Ready, r.Final.State);
        Assert.NotEmpty(r.Decisions);
        Assert.All(r.Decisions, d => Assert.Equal(MarketB, d.Ticker));
        Assert.Empty(r.MarketEvents.OfType<BookGapDetected>()); // renumbered: no hole where market A's frames were
        r.AssertFaithful();
    }
}
