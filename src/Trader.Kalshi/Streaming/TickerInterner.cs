using System.Text;

namespace Trader.Kalshi.Streaming;

/// <summary>
/// Turns the UTF-8 bytes of a market ticker into a shared string without allocating once the ticker has been seen:
/// the hot frames (orderbook deltas) repeat the same few tickers millions of times. Not thread-safe: one per receive
/// loop. Bounded: past <see cref="MaxEntries"/> distinct tickers new ones are allocated but not kept.
/// </summary>
public sealed class TickerInterner
{
    public const int MaxEntries = 100_000;
    private const int StackLimit = 256;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TickerInterner() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _strings.Count;

    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackLimit) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[StackLimit];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        var span = chars[..n];
        if (_lookup.TryGetValue(span, out var existing)) return existing;
        string s = new(span);
        if (_strings.Count < MaxEntries) _strings[s] = s;
        return s;
    }

    public string Intern(string s)
    {
        if (_strings.TryGetValue(s, out var existing)) return existing;
        if (_strings.Count < MaxEntries) _strings[s] = s;
        return s;
    }
}
