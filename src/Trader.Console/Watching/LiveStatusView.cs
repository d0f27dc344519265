using Microsoft.Extensions.Hosting;

namespace Trader.Console.Watching;

/// <summary>Where the live view draws: a writer, whether it is a terminal, and the terminal's size.</summary>
public sealed record TerminalOutput(TextWriter Writer, bool IsTerminal, Func<(int Width, int Height)> Size)
{
    /// <summary>
    /// Standard output; a terminal unless it is redirected (a file, a pipe, journald, a container log) or
    /// <c>TERM=dumb</c>.
    /// </summary>
    public static TerminalOutput Console() => new(System.Console.Out,
        !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb", ConsoleSize);

    private static (int, int) ConsoleSize()
    {
        try
        {
            int w = System.Console.WindowWidth, h = System.Console.WindowHeight;
            return (w > 0 ? w : 100, h > 0 ? h : 40);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return (100, 40);
        }
    }
}

/// <summary>Settings of the live view.</summary>
public sealed record LiveViewOptions
{
    /// <summary>Off: never draw (e.g. <c>--no-live-view</c>), even on a terminal.</summary>
    public bool Enabled { get; init; } = true;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TerminalOutput? Output { get; init; }

    /// <summary>The last line of the view.</summary>
    public string Footer { get; init; } = "Ctrl+C stops the trader · trader status prints this log for a bug report";
}

/// <summary>
/// The live status view in the terminal: about once a second it takes a <see cref="TraderSnapshot"/> and redraws it in
/// place (<see cref="StatusRenderer"/>) on the terminal's alternate screen, as <c>top</c> does, so the shell's screen
/// is left as it was. Each frame is written at once from the cursor's home position, every line clearing its own rest
/// and the screen below the frame cleared last: no full-screen clear, no flicker. The cursor is hidden while it draws
/// and restored on stop (also if the process exits without stopping the host).
/// <para>
/// When standard output is not a terminal (<see cref="Console.IsOutputRedirected"/>: systemd, Kubernetes, a pipe) it
/// does nothing at all and the host's plain log lines are the output. While it draws it owns the screen: the host
/// should then not write its log lines to the console (<see cref="WillDraw"/> tells it).
/// </para>
/// </summary>
public sealed class LiveStatusView : IHostedService, IDisposable
{
    private const string Escape = "\u001b[";
    internal const string EnterScreen = Escape + "?1049h" + Escape + "?25l" + Escape + "H" + Escape + "2J";
    internal const string LeaveScreen = Escape + "?25h" + Escape + "?1049l";
    private const string Home = Escape + "H";
    private const string ClearLine = Escape + "K";
    private const string ClearBelow = Escape + "J";

    private readonly TraderSnapshotSource _source;
    private readonly LiveViewOptions _options;
    private readonly TerminalOutput _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _writing = new();
    private Task? _loop;
    private bool _drawing;

    public LiveStatusView(TraderSnapshotSource source, LiveViewOptions options)
    {
        _source = source;
        _options = options;
        _output = options.Output ?? TerminalOutput.Console();
    }

    /// <summary>Whether a view with these options will draw (on for a terminal): the host sends its console logs elsewhere then.</summary>
    public static bool WillDraw(LiveViewOptions options) => options.Enabled && (options.Output ?? TerminalOutput.Console()).IsTerminal;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled || !_output.IsTerminal) return Task.CompletedTask;
        lock (_writing)
        {
            _drawing = true;
            _output.Writer.Write(EnterScreen);
            _output.Writer.Flush();
        }
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
    }

    public void Dispose()
    {
        Restore();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        try
        {
            do
            {
                await DrawAsync(ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task DrawAsync(CancellationToken ct)
    {
        string text;
        try
        {
            var snapshot = await _source.CaptureAsync(ct).ConfigureAwait(false);
            var (width, height) = _output.Size();
            text = StatusRenderer.Render(snapshot, new RenderOptions(width, height, _source.StatusTimeZone, _options.Footer));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text = $"The status view could not be drawn: {e.Message}";
        }
        var frame = Home + text.Replace("\n", ClearLine + "\n", StringComparison.Ordinal) + ClearLine + ClearBelow;
        lock (_writing)
        {
            if (!_drawing) return;
            _output.Writer.Write(frame);
            _output.Writer.Flush();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    /// <summary>Shows the cursor and leaves the alternate screen, once.</summary>
    private void Restore()
    {
        lock (_writing)
        {
            if (!_drawing) return;
            _drawing = false;
            _output.Writer.Write(LeaveScreen);
            _output.Writer.Flush();
        }
    }
}
