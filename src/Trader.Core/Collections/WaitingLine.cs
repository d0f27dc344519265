namespace Trader.Core.Collections;

/// <summary>
/// A bounded first-in-first-out line of items waiting for their turn (the coordinator's actions that arrive while it
/// calibrates or acts), each with the time it joined. Nothing leaves silently: a full line refuses the newcomer
/// (<see cref="TryJoin"/> is false), an item that waited longer than the allowed age comes out marked stale, and
/// <see cref="Empty"/> hands back everything still waiting so each can be answered. Not thread-safe.
/// </summary>
public sealed class WaitingLine<T>(int capacity, TimeSpan maxAge)
{
    private readonly Queue<(T Item, DateTimeOffset Joined)> _line = new();

    public int Count => _line.Count;

    /// <summary>Adds <paramref name="item"/> at the back; false (and nothing added) when the line is full.</summary>
    public bool TryJoin(T item, DateTimeOffset now)
    {
        if (_line.Count >= capacity) return false;
        _line.Enqueue((item, now));
        return true;
    }

    /// <summary>The front item and how long it waited; <paramref name="stale"/> when that is longer than the allowed age.</summary>
    public bool TryNext(DateTimeOffset now, out T item, out TimeSpan waited, out bool stale)
    {
        if (!_line.TryDequeue(out var front))
        {
            (item, waited, stale) = (default!, TimeSpan.Zero, false);
            return false;
        }
        (item, waited) = (front.Item, now - front.Joined);
        stale = waited > maxAge;
        return true;
    }

    /// <summary>Takes everyone out, front first.</summary>
    public IReadOnlyList<T> Empty()
    {
        var all = _line.Select(w => w.Item).ToList();
        _line.Clear();
        return all;
    }
}
