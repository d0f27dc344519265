using System.Collections.Immutable;
using Akka.Hosting;
using Trader.Actors;
using Trader.Actors.Monitoring;
using Trader.Actors.Status;
using Trader.Console.Watching;
using Trader.Core.Books;
using Trader.Core.Numbers;

namespace Trader.Console.Tests.Watching;

/// <summary>The pure renderer of the live view.</summary>
public sealed class StatusRendererTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 15, 45, 14, TimeSpan.Zero);

    private static TraderSnapshot Snapshot() => new()
    {
        At = At,
        State = "ready",
        StateSince = At.AddSeconds(-133),
        TimeInState = TimeSpan.FromSeconds(133),
        Calibrations = 3,
        LastCalibration = At.AddSeconds(-45),
        Balances = new BalancesView(Money.Parse("987.40"), Money.Parse("1012.15"), Money.Parse("985.00"), Money.Parse("2.40"), At.AddSeconds(-2)),
        Positions =
        [
            new PositionView("KXBTCD-26DEC01-T100000", Quantity.FromContracts(5), "yes", Money.Parse("2.35"), Money.Zero, Money.Parse("0.09"),
                Money.Parse("-0.09"), Price.Parse("0.4650"), false, Money.Parse("-0.025"), Money.Parse("2.325")),
            new PositionView("KXFED-26DEC-H0", Quantity.FromContracts(-3), "no", Money.Parse("1.50"), Money.Parse("0.30"), Money.Parse("0.05"),
                Money.Parse("0.25"), null, false, null, null),
        ],
        Pnl = new PnlView { Realized = Money.Parse("0.30"), Unrealized = Money.Parse("-0.025"), Fees = Money.Parse("0.14"), Unmarked = 1 },
        OpenOrders =
        [
            new OpenOrderView("c1", "o1", "KXBTCD-26DEC01-T100000", "buy_yes", Price.Parse("0.45"), Price.Parse("0.45"), Quantity.FromContracts(5),
                Quantity.Zero, Quantity.FromContracts(5), "accepted", At.AddSeconds(-12)),
        ],
        MarketData = new MarketDataView
        {
            Status = "degraded",
            Streams = [new StreamView("orderbook", true, false, "connected to 127.0.0.1")],
            StaleMarkets = 1,
            Markets =
            [
                new MarketBookView("KXBTCD-26DEC01-T100000", "live", false, new BookLevel(Price.Parse("0.45"), Quantity.FromContracts(10)),
                    new BookLevel(Price.Parse("0.48"), Quantity.FromContracts(150)), Price.Parse("0.03"), Price.Parse("0.465"), At.AddSeconds(-0.3),
                    TimeSpan.FromSeconds(0.3), 42, null, null, 0, new ActionView("KXBTCD-26DEC01-T100000:9", At.AddSeconds(-0.3), "HOLD", "hold", null, null, null),
                    [new ActionView("KXBTCD-26DEC01-T100000:7", At.AddSeconds(-12), "BUY_YES×5.00", "BUY_YES 5.00 @ 0.4500", "placed", null, "placed")]),
                new MarketBookView("KXFED-26DEC-H0", "invalidated", true, null, null, null, null, At.AddSeconds(-50), TimeSpan.FromSeconds(50), 7,
                    At.AddSeconds(-45), "sequence gap: expected 8, received 10", 1, null, []),
            ],
        },
        Decisions = new DecisionsView("position-aware:onnx", 1234,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("buy_yes", 12L), KeyValuePair.Create("hold", 1222L)]),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("stale", 40L)]),
            ImmutableSortedDictionary<string, DateTimeOffset>.Empty),
        StatusLog = new StatusLogView
        {
            CurrentState = "ready",
            History =
            [
                new StatusEntryView(At.AddSeconds(-140), "calibrating", "startup", null, TimeSpan.Zero),
                new StatusEntryView(At.AddSeconds(-139), "calibrating -> syncing state", "Balance: $987.40 (unchanged)", TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1)),
                new StatusEntryView(At.AddSeconds(-133), "ready", "cash $987.40", null, TimeSpan.Zero),
            ],
        },
    };

    [Fact]
    public void Shows_state_balances_positions_orders_markets_and_the_status_log_newest_first()
    {
        var text = StatusRenderer.Render(Snapshot(), new RenderOptions(160));
        var lines = text.Split('\n');
        Assert.StartsWith("TRADER  READY for 2m13s · calibrations 3, last 45s ago · 15:45:14", lines[0]);
        Assert.Equal("cash $987.40 · available $985.00 · portfolio $1012.15", lines[1]);
        Assert.Equal("P&L realized +$0.30 · unrealized -$0.03 (1 unmarked) · fees $0.14 · net +$0.14", lines[2]);
        Assert.Contains("market data: degraded · orderbook ✓ · 1 of 2 markets stale", text);
        Assert.Contains("decisions 1,234 (buy_yes 12, hold 1,222) · skipped: stale 40 · policy position-aware:onnx", text);

        Assert.Matches(@"KXBTCD-26DEC01-T100000\s+5\.00 YES\s+\$2\.35\s+0\.4650\s+-\$0\.03\s+\$0\.00\s+\$0\.09", text);
        Assert.Matches(@"KXFED-26DEC-H0\s+3\.00 NO\s+\$1\.50\s+–\s+–\s+\+\$0\.30\s+\$0\.05", text);
        Assert.Matches(@"KXBTCD-26DEC01-T100000\s+BUY_YES\s+0\.4500\s+5\.00\s+0\.00\s+accepted\s+12s", text);
        Assert.Matches(@"KXBTCD-26DEC01-T100000\s+live\s+0\.4500×10\s+0\.4800×150\s+0\.0300\s+0\.3s ago\s+BUY_YES×5\.00 placed 12s ago", text);
        Assert.Matches(@"KXFED-26DEC-H0\s+stale 45s\s+–\s+–\s+–\s+50s ago", text);
        Assert.Contains("  ↳ sequence gap: expected 8, received 10", lines);

        int status = Array.IndexOf(lines, "STATUS LOG  newest first, 3 of 3");
        Assert.True(status > 0, text);
        Assert.Equal(["3:43:01 PM ready cash $987.40", "3:42:55 PM calibrating -> syncing state Balance: $987.40 (unchanged) (0.8s)",
            "3:42:54 PM calibrating startup"], lines[(status + 1)..]);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(200)]
    public void No_line_is_wider_than_the_terminal(int width)
    {
        var lines = StatusRenderer.Render(Snapshot(), new RenderOptions(width)).Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        if (width == 40) Assert.Contains(lines, l => l.EndsWith('…'));
    }

    [Fact]
    public void A_short_terminal_keeps_the_footer_and_gives_the_status_log_what_is_left()
    {
        var full = StatusRenderer.Render(Snapshot(), new RenderOptions(160)).Split('\n');
        int height = full.Length - 1; // one status line less than everything
        var lines = StatusRenderer.Render(Snapshot(), new RenderOptions(160, height, Footer: "Ctrl+C stops the trader")).Split('\n');
        Assert.Equal(height, lines.Length);
        Assert.Equal("Ctrl+C stops the trader", lines[^1]);
        Assert.Contains("STATUS LOG  newest first, 1 of 3", lines);
        Assert.Equal("3:43:01 PM ready cash $987.40", lines[^2]);

        var tiny = StatusRenderer.Render(Snapshot(), new RenderOptions(160, 5, Footer: "footer")).Split('\n');
        Assert.Equal(5, tiny.Length);
        Assert.Equal("footer", tiny[^1]);
    }

    [Fact]
    public void An_unknown_trader_says_what_did_not_answer()
    {
        var text = StatusRenderer.Render(new TraderSnapshot
        {
            At = At,
            State = "unknown",
            Unavailable = ["coordinator: no answer within 2s"],
        }, new RenderOptions(100));
        Assert.StartsWith("TRADER  UNKNOWN · calibrations 0", text);
        Assert.Contains("not answering: coordinator: no answer within 2s", text);
        Assert.Contains("balance: not known yet", text);
        Assert.Contains("POSITIONS  none", text);
        Assert.Contains("OPEN ORDERS  none", text);
        Assert.Contains("decisions: no decision loop", text);
        Assert.Contains("STATUS LOG  (empty)", text);
    }
}

/// <summary>The live view's hosted service: silent without a terminal, in place on one, terminal restored on stop.</summary>
public sealed class LiveStatusViewTests
{
    /// <summary>A source with no actors: its snapshots say the trader is not running, which is enough to draw.</summary>
    private static TraderSnapshotSource Source() =>
        new(new ActorRegistry(), new StatusLogStore(), new TraderSettings { StatusTimeZone = TimeZoneInfo.Utc }, new TraderMetrics());

    [Fact]
    public async Task Without_a_terminal_it_writes_nothing()
    {
        var writer = new StringWriter();
        var view = new LiveStatusView(Source(), new LiveViewOptions { Output = new TerminalOutput(writer, IsTerminal: false, () => (80, 24)) });
        await view.StartAsync(CancellationToken.None);
        await view.StopAsync(CancellationToken.None);
        view.Dispose();
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public async Task Switched_off_it_writes_nothing_even_on_a_terminal()
    {
        var writer = new StringWriter();
        var options = new LiveViewOptions { Enabled = false, Output = new TerminalOutput(writer, IsTerminal: true, () => (80, 24)) };
        Assert.False(LiveStatusView.WillDraw(options));
        var view = new LiveStatusView(Source(), options);
        await view.StartAsync(CancellationToken.None);
        await view.StopAsync(CancellationToken.None);
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public async Task On_a_terminal_it_redraws_in_place_and_restores_the_terminal_on_stop()
    {
        var writer = new FrameWriter(frames: 2);
        var options = new LiveViewOptions
        {
            Interval = TimeSpan.FromMilliseconds(20),
            Output = new TerminalOutput(writer, IsTerminal: true, () => (60, 30)),
            Footer = "Ctrl+C stops the trader",
        };
        Assert.True(LiveStatusView.WillDraw(options));
        using var view = new LiveStatusView(Source(), options);
        await view.StartAsync(CancellationToken.None);
        await writer.Drawn.WaitAsync(TimeSpan.FromSeconds(20));
        await view.StopAsync(CancellationToken.None);

        var text = writer.ToString();
        Assert.StartsWith(LiveStatusView.EnterScreen, text);              // alternate screen, cursor hidden
        Assert.EndsWith(LiveStatusView.LeaveScreen, text);                // cursor shown, screen restored
        var frames = text[LiveStatusView.EnterScreen.Length..^LiveStatusView.LeaveScreen.Length].Split("\u001b[H", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(frames.Length >= 2);
        foreach (var frame in frames)
        {
            Assert.EndsWith("\u001b[K\u001b[J", frame);                    // the rest of the screen cleared after each frame
            Assert.DoesNotContain("\u001b[2J", frame);                     // never a full clear: no flicker
            var lines = frame[..^"\u001b[K\u001b[J".Length].Split("\u001b[K\n");
            Assert.StartsWith("TRADER  UNKNOWN", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("not answering: coordinator: not running"));
            Assert.Equal("Ctrl+C stops the trader", lines[^1]);
            Assert.True(lines.Length <= 30);
            Assert.All(lines, l => Assert.True(l.Length <= 60, l));
        }

        // Stopped: nothing more is written.
        int length = writer.ToString().Length;
        await view.StopAsync(CancellationToken.None);
        Assert.Equal(length, writer.ToString().Length);
    }

    /// <summary>Collects what is written; <see cref="Drawn"/> completes once the given number of frames has been flushed.</summary>
    private sealed class FrameWriter(int frames) : StringWriter
    {
        private readonly TaskCompletionSource _drawn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _flushes;

        public Task Drawn => _drawn.Task;

        public override void Flush()
        {
            base.Flush();
            // The first flush is the screen switch; each later one is a frame.
            if (Interlocked.Increment(ref _flushes) > frames) _drawn.TrySetResult();
        }
    }
}
