namespace Trader.Policy.StableBaselines;

/// <summary>
/// A reference to a Python global (<c>module.name</c>) as a pickle names it. The reader never imports or calls
/// anything: a global is only a name, and only the few callables a <see cref="PickleReader"/> is told about are
/// interpreted (by C# code) when the pickle applies them.
/// </summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python tuple.</summary>
public sealed class PickleTuple(object?[] items)
{
    public IReadOnlyList<object?> Items { get; } = items;
    public int Count => Items.Count;
    public object? this[int index] => Items[index];
}

/// <summary>
/// A Python dict (or <c>collections.OrderedDict</c>), in insertion order. Keys are compared with
/// <see cref="object.Equals(object?, object?)"/> (strings and numbers by value). <see cref="State"/> holds what a
/// <c>BUILD</c> opcode set on it (PyTorch stores the state dict's <c>_metadata</c> there).
/// </summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;
    public int Count => _items.Count;
    public object? State { get; internal set; }

    internal void Set(object? key, object? value)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (Equals(_items[i].Key, key))
            {
                _items[i] = new(key, value);
                return;
            }
        }
        _items.Add(new(key, value));
    }

    public bool TryGetValue(object? key, out object? value)
    {
        foreach (var item in _items)
        {
            if (Equals(item.Key, key))
            {
                value = item.Value;
                return true;
            }
        }
        value = null;
        return false;
    }
}

/// <summary>A Python set or frozenset.</summary>
public sealed class PickleSet(List<object?> items)
{
    private readonly List<object?> _items = items;

    public IReadOnlyList<object?> Items => _items;

    internal void AddRange(IEnumerable<object?> values) => _items.AddRange(values);
}

/// <summary>A malformed pickle, or one that asks for something this reader does not interpret.</summary>
public sealed class PickleFormatException(string message) : Exception(message);
