namespace Trader.Core.Collections;

/// <summary>
/// A set of the most recent ids (trade ids, for de-duplicating fills) with a fixed capacity: when full, the oldest id
/// is forgotten. Memory stays bounded however long the trader runs. Not thread-safe.
/// </summary>
public sealed class RecentIds(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _ids.Count;

    public bool Contains(string id) => _ids.Contains(id);

    /// <summary>Adds the id; false when it was already there.</summary>
    public bool Add(string id)
    {
        if (!_ids.Add(id)) return false;
        _order.Enqueue(id);
        while (_order.Count > capacity) _ids.Remove(_order.Dequeue());
        return true;
    }
}
