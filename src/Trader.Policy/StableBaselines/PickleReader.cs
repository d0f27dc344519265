using System.Buffers.Binary;
using System.Text;

namespace Trader.Policy.StableBaselines;

/// <summary>
/// A safe reader for Python pickles (protocols 2–5, the binary opcodes) that <em>executes nothing</em>: it interprets
/// the opcodes on a stack of plain values (None, bool, long, double, string, byte[], <see cref="PickleTuple"/>,
/// <see cref="List{T}"/>, <see cref="PickleDict"/>, <see cref="PickleSet"/>, <see cref="PickleGlobal"/>). Globals are
/// only names. Calling one (<c>REDUCE</c>) is allowed only for the callables registered in the constructor, each
/// interpreted by C# code; any other call, <c>NEWOBJ</c>, <c>INST</c>/<c>OBJ</c>, extension codes and out-of-band
/// buffers are refused with a <see cref="PickleFormatException"/> naming the opcode or global and the offset.
/// <c>BUILD</c> is accepted on dicts (the state is kept in <see cref="PickleDict.State"/>) and on values implementing
/// <see cref="IPickleBuildable"/>. Persistent ids (<c>BINPERSID</c>) go to the persistent-load function, if any.
/// </summary>
public sealed class PickleReader
{
    private static readonly object Mark = new();

    private readonly IReadOnlyDictionary<PickleGlobal, Func<PickleTuple, object?>> _callables;
    private readonly Func<object?, object?>? _persistentLoad;

    /// <param name="callables">The globals that may be called, and what calling them means (in C#).</param>
    /// <param name="persistentLoad">Resolves persistent ids (PyTorch uses them for tensor storages); null refuses them.</param>
    public PickleReader(IReadOnlyDictionary<PickleGlobal, Func<PickleTuple, object?>>? callables = null, Func<object?, object?>? persistentLoad = null)
    {
        var all = new Dictionary<PickleGlobal, Func<PickleTuple, object?>>
        {
            [new("collections", "OrderedDict")] = NewOrderedDict,
        };
        if (callables is not null)
        {
            foreach (var (global, callable) in callables) all[global] = callable;
        }
        _callables = all;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickle and returns the value it builds.</summary>
    public object? Read(ReadOnlySpan<byte> data)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        int pos = 0;

        while (true)
        {
            if (pos >= data.Length) throw new PickleFormatException($"pickle ends at offset {pos} without a STOP opcode");
            int at = pos;
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    {
                        int version = ReadByte(data, ref pos);
                        if (version > 5) throw new PickleFormatException($"pickle protocol {version} at offset {at} is newer than 5");
                        break;
                    }
                case 0x95: // FRAME (8-byte length; framing is only a hint)
                    Take(data, ref pos, 8);
                    break;
                case (byte)'.': // STOP
                    if (stack.Count != 1 || ReferenceEquals(stack[0], Mark))
                        throw new PickleFormatException($"pickle stops at offset {at} with {stack.Count} values on the stack; expected exactly one");
                    return stack[0];

                // --- constants and numbers
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)ReadByte(data, ref pos)); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(data, ref pos, 2))); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4))); break;
                case 0x8a: // LONG1
                    stack.Add(ReadLong(Take(data, ref pos, ReadByte(data, ref pos)), at));
                    break;
                case 0x8b: // LONG4
                    stack.Add(ReadLong(Take(data, ref pos, ReadLength(Take(data, ref pos, 4), at)), at));
                    break;
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(data, ref pos, 8))); break;
                case (byte)'I': // INT (text): also True/False as I01/I00
                    {
                        var text = ReadLine(data, ref pos, at);
                        stack.Add(text switch
                        {
                            "01" => true,
                            "00" => false,
                            _ => long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v)
                                ? v : throw new PickleFormatException($"INT opcode at offset {at} has a bad value '{text}'"),
                        });
                        break;
                    }

                // --- strings and bytes
                case (byte)'X': stack.Add(Utf8(Take(data, ref pos, ReadLength(Take(data, ref pos, 4), at)), at)); break;
                case 0x8c: stack.Add(Utf8(Take(data, ref pos, ReadByte(data, ref pos)), at)); break;
                case 0x8d: stack.Add(Utf8(Take(data, ref pos, ReadLength8(Take(data, ref pos, 8), at)), at)); break;
                case (byte)'T': stack.Add(Latin1(Take(data, ref pos, ReadLength(Take(data, ref pos, 4), at)))); break; // BINSTRING (py2 str)
                case (byte)'U': stack.Add(Latin1(Take(data, ref pos, ReadByte(data, ref pos)))); break;             // SHORT_BINSTRING
                case (byte)'B': stack.Add(Take(data, ref pos, ReadLength(Take(data, ref pos, 4), at)).ToArray()); break;
                case (byte)'C': stack.Add(Take(data, ref pos, ReadByte(data, ref pos)).ToArray()); break;
                case 0x8e: stack.Add(Take(data, ref pos, ReadLength8(Take(data, ref pos, 8), at)).ToArray()); break; // BINBYTES8
                case 0x96: stack.Add(Take(data, ref pos, ReadLength8(Take(data, ref pos, 8), at)).ToArray()); break; // BYTEARRAY8

                // --- containers
                case (byte)'(': stack.Add(Mark); break;
                case (byte)')': stack.Add(new PickleTuple([])); break;
                case 0x85: stack.Add(new PickleTuple([Pop(stack, at)])); break;
                case 0x86: { var b = Pop(stack, at); var a = Pop(stack, at); stack.Add(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(stack, at); var b = Pop(stack, at); var a = Pop(stack, at); stack.Add(new PickleTuple([a, b, c])); break; }
                case (byte)'t': stack.Add(new PickleTuple(PopToMark(stack, at).ToArray())); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)'l': stack.Add(PopToMark(stack, at)); break;
                case (byte)'a': { var item = Pop(stack, at); AsList(Peek(stack, at), at).Add(item); break; }
                case (byte)'e': { var items = PopToMark(stack, at); AsList(Peek(stack, at), at).AddRange(items); break; }
                case (byte)'}': stack.Add(new PickleDict()); break;
                case (byte)'d':
                    {
                        var items = PopToMark(stack, at);
                        var dict = new PickleDict();
                        SetItems(dict, items, at);
                        stack.Add(dict);
                        break;
                    }
                case (byte)'s':
                    {
                        var value = Pop(stack, at);
                        var key = Pop(stack, at);
                        AsDict(Peek(stack, at), at).Set(key, value);
                        break;
                    }
                case (byte)'u':
                    {
                        var items = PopToMark(stack, at);
                        SetItems(AsDict(Peek(stack, at), at), items, at);
                        break;
                    }
                case 0x8f: stack.Add(new PickleSet([])); break; // EMPTY_SET
                case 0x90: // ADDITEMS
                    {
                        var items = PopToMark(stack, at);
                        if (Peek(stack, at) is not PickleSet set) throw new PickleFormatException($"ADDITEMS at offset {at} needs a set");
                        set.AddRange(items);
                        break;
                    }
                case 0x91: stack.Add(new PickleSet(PopToMark(stack, at))); break; // FROZENSET

                // --- stack and memo
                case (byte)'0': Pop(stack, at); break;
                case (byte)'1': PopToMark(stack, at); break;
                case (byte)'2': stack.Add(Peek(stack, at)); break;
                case (byte)'q': memo[ReadByte(data, ref pos)] = Peek(stack, at); break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4))] = Peek(stack, at); break;
                case 0x94: memo[memo.Count] = Peek(stack, at); break; // MEMOIZE
                case (byte)'p': memo[ParseIndex(ReadLine(data, ref pos, at), at)] = Peek(stack, at); break;
                case (byte)'h': stack.Add(GetMemo(memo, ReadByte(data, ref pos), at)); break;
                case (byte)'j': stack.Add(GetMemo(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4)), at)); break;
                case (byte)'g': stack.Add(GetMemo(memo, ParseIndex(ReadLine(data, ref pos, at), at), at)); break;

                // --- globals, calls, state
                case (byte)'c': // GLOBAL "module\nname\n"
                    {
                        var module = ReadLine(data, ref pos, at);
                        var name = ReadLine(data, ref pos, at);
                        stack.Add(new PickleGlobal(module, name));
                        break;
                    }
                case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop(stack, at) as string ?? throw new PickleFormatException($"STACK_GLOBAL at offset {at} needs a string name");
                        var module = Pop(stack, at) as string ?? throw new PickleFormatException($"STACK_GLOBAL at offset {at} needs a string module");
                        stack.Add(new PickleGlobal(module, name));
                        break;
                    }
                case (byte)'R': // REDUCE
                    {
                        var args = Pop(stack, at) as PickleTuple ?? throw new PickleFormatException($"REDUCE at offset {at} needs an argument tuple");
                        var callable = Pop(stack, at);
                        if (callable is not PickleGlobal global)
                            throw new PickleFormatException($"REDUCE at offset {at} calls something that is not a global ({Describe(callable)})");
                        if (!_callables.TryGetValue(global, out var interpret))
                            throw new PickleFormatException($"the pickle calls {global} (offset {at}), which this reader does not interpret; only {string.Join(", ", _callables.Keys)} are allowed");
                        stack.Add(interpret(args));
                        break;
                    }
                case (byte)'b': // BUILD
                    {
                        var state = Pop(stack, at);
                        var target = Peek(stack, at);
                        switch (target)
                        {
                            case PickleDict dict: dict.State = state; break;
                            case IPickleBuildable buildable: buildable.SetState(state); break;
                            default: throw new PickleFormatException($"BUILD at offset {at} sets state on {Describe(target)}, which this reader does not support");
                        }
                        break;
                    }
                case (byte)'Q': // BINPERSID
                    {
                        var pid = Pop(stack, at);
                        if (_persistentLoad is null) throw new PickleFormatException($"the pickle uses a persistent id at offset {at}, which this reader does not resolve");
                        stack.Add(_persistentLoad(pid));
                        break;
                    }

                default:
                    throw new PickleFormatException($"pickle opcode 0x{op:x2}{(op >= 0x20 && op < 0x7f ? $" ('{(char)op}')" : "")} at offset {at} is not supported by this safe reader");
            }
        }
    }

    private static object? NewOrderedDict(PickleTuple args)
    {
        if (args.Count != 0) throw new PickleFormatException($"collections.OrderedDict called with {args.Count} arguments; expected none");
        return new PickleDict();
    }

    private static void SetItems(PickleDict dict, List<object?> items, int at)
    {
        if (items.Count % 2 != 0) throw new PickleFormatException($"dict items at offset {at} are not key/value pairs");
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private static byte ReadByte(ReadOnlySpan<byte> data, ref int pos) => Take(data, ref pos, 1)[0];

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int pos, long count)
    {
        if (count < 0 || count > data.Length - pos)
            throw new PickleFormatException($"pickle is truncated: {count} bytes needed at offset {pos}, {data.Length - pos} left");
        var slice = data.Slice(pos, (int)count);
        pos += (int)count;
        return slice;
    }

    private static int ReadLength(ReadOnlySpan<byte> bytes, int at)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (length > int.MaxValue) throw new PickleFormatException($"length {length} at offset {at} is too large");
        return (int)length;
    }

    private static long ReadLength8(ReadOnlySpan<byte> bytes, int at)
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > int.MaxValue) throw new PickleFormatException($"length {length} at offset {at} is too large");
        return (long)length;
    }

    private static long ReadLong(ReadOnlySpan<byte> bytes, int at)
    {
        if (bytes.Length == 0) return 0;
        if (bytes.Length > 8) throw new PickleFormatException($"integer of {bytes.Length} bytes at offset {at} does not fit in 64 bits");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        int unused = 64 - 8 * bytes.Length;
        return unused == 0 ? value : (value << unused) >> unused; // sign-extend two's complement
    }

    private static string ReadLine(ReadOnlySpan<byte> data, ref int pos, int at)
    {
        int end = data[pos..].IndexOf((byte)'\n');
        if (end < 0) throw new PickleFormatException($"pickle is truncated: a line opened at offset {at} never ends");
        var text = Encoding.ASCII.GetString(data.Slice(pos, end));
        pos += end + 1;
        return text;
    }

    private static long ParseIndex(string text, int at) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new PickleFormatException($"bad memo index '{text}' at offset {at}");

    private static string Utf8(ReadOnlySpan<byte> bytes, int at)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PickleFormatException($"string at offset {at} is not valid UTF-8");
        }
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private static object? Pop(List<object?> stack, int at)
    {
        if (stack.Count == 0 || ReferenceEquals(stack[^1], Mark)) throw new PickleFormatException($"pickle stack underflow at offset {at}");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private static object? Peek(List<object?> stack, int at)
    {
        if (stack.Count == 0 || ReferenceEquals(stack[^1], Mark)) throw new PickleFormatException($"pickle stack underflow at offset {at}");
        return stack[^1];
    }

    private static List<object?> PopToMark(List<object?> stack, int at)
    {
        int mark = stack.FindLastIndex(v => ReferenceEquals(v, Mark));
        if (mark < 0) throw new PickleFormatException($"pickle opcode at offset {at} needs a MARK that is not there");
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private static object? GetMemo(Dictionary<long, object?> memo, long index, int at) =>
        memo.TryGetValue(index, out var value) ? value : throw new PickleFormatException($"pickle reads memo slot {index} at offset {at}, which was never stored");

    private static List<object?> AsList(object? value, int at) =>
        value as List<object?> ?? throw new PickleFormatException($"append at offset {at} targets {Describe(value)}, not a list");

    private static PickleDict AsDict(object? value, int at) =>
        value as PickleDict ?? throw new PickleFormatException($"set-item at offset {at} targets {Describe(value)}, not a dict");

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.ToString(),
        string s => $"'{s}'",
        _ => value.GetType().Name,
    };
}

/// <summary>A value built by a registered callable that accepts a <c>BUILD</c> state (e.g. a NumPy dtype).</summary>
public interface IPickleBuildable
{
    void SetState(object? state);
}
