using System.Text;

namespace Trader.Console.Tests;

/// <summary>
/// A thread-safe writer that collects what a command prints and lets a test wait (with a timeout) until a given text
/// has appeared — how tests follow a running command without sleeping.
/// </summary>
public sealed class WatchedWriter : StringWriter
{
    private readonly Lock _gate = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waits = [];

    public WatchedWriter()
    {
    }

    /// <summary>A writer whose <see cref="Seen"/> completes once <paramref name="marker"/> has been written.</summary>
    public WatchedWriter(string marker) => Seen = WaitForAsync(marker);

    public Task Seen { get; } = Task.CompletedTask;

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Completes when the collected text contains <paramref name="marker"/> (at once if it already does).</summary>
    public Task WaitForAsync(string marker)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (GetStringBuilder().ToString().Contains(marker, StringComparison.Ordinal)) seen.SetResult();
            else _waits.Add((marker, seen));
        }
        return seen.Task;
    }

    public override void Write(char value)
    {
        lock (_gate) base.Write(value);
        if (value == '\n') Check();
    }

    public override void Write(string? value)
    {
        lock (_gate) base.Write(value);
        Check();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate) base.Write(buffer, index, count);
        Check();
    }

    public override void WriteLine(string? value)
    {
        lock (_gate) base.WriteLine(value);
        Check();
    }

    public override string ToString()
    {
        lock (_gate) return base.ToString();
    }

    private void Check()
    {
        lock (_gate)
        {
            if (_waits.Count == 0) return;
            var text = GetStringBuilder().ToString();
            for (int i = _waits.Count - 1; i >= 0; i--)
            {
                if (!text.Contains(_waits[i].Marker, StringComparison.Ordinal)) continue;
                _waits[i].Seen.TrySetResult();
                _waits.RemoveAt(i);
            }
        }
    }
}
