using System.Buffers.Binary;
using System.Text;

namespace Trader.Policy.Tests.StableBaselines;

/// <summary>Writes pickle opcodes by hand, for tests: the same opcodes torch.save and cloudpickle emit.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Op(char op) { _bytes.Add((byte)op); return this; }
    public PickleBuilder Op(byte op) { _bytes.Add(op); return this; }
    public PickleBuilder Proto(byte version) => Op(0x80).Raw(version);
    public PickleBuilder Mark() => Op('(');
    public PickleBuilder Stop() => Op('.');
    public PickleBuilder None() => Op('N');
    public PickleBuilder Bool(bool value) => Op(value ? (byte)0x88 : (byte)0x89);

    public PickleBuilder Int(long value)
    {
        if (value is >= 0 and < 256) return Op('K').Raw((byte)value);
        if (value is >= 0 and < 65536) return Op('M').Raw((byte)value, (byte)(value >> 8));
        if (value is >= int.MinValue and <= int.MaxValue) return Op('J').Le32((int)value);
        Op(0x8a).Raw(8);
        for (int i = 0; i < 8; i++) _bytes.Add((byte)(value >> (8 * i)));
        return this;
    }

    public PickleBuilder Float(double value)
    {
        Op('G');
        var b = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, value);
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>BINUNICODE (protocol 2).</summary>
    public PickleBuilder Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Op('X').Le32(b.Length);
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>SHORT_BINUNICODE (protocol 4+).</summary>
    public PickleBuilder ShortStr(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Op(0x8c).Raw((byte)b.Length);
        _bytes.AddRange(b);
        return this;
    }

    public PickleBuilder ByteArray8(byte[] data)
    {
        Op(0x96);
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)data.Length);
        _bytes.AddRange(len);
        _bytes.AddRange(data);
        return this;
    }

    /// <summary>GLOBAL 'module\nname\n' (protocol 2).</summary>
    public PickleBuilder Global(string module, string name)
    {
        Op('c');
        _bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        return this;
    }

    /// <summary>STACK_GLOBAL with two short strings (protocol 4+).</summary>
    public PickleBuilder StackGlobal(string module, string name) => ShortStr(module).ShortStr(name).Op(0x93);

    public PickleBuilder Put(byte slot) => Op('q').Raw(slot);
    public PickleBuilder Get(byte slot) => Op('h').Raw(slot);
    public PickleBuilder Memoize() => Op(0x94);
    public PickleBuilder Tuple() => Op('t');
    public PickleBuilder Tuple1() => Op(0x85);
    public PickleBuilder Tuple2() => Op(0x86);
    public PickleBuilder Tuple3() => Op(0x87);
    public PickleBuilder EmptyTuple() => Op(')');
    public PickleBuilder EmptyDict() => Op('}');
    public PickleBuilder EmptyList() => Op(']');
    public PickleBuilder SetItem() => Op('s');
    public PickleBuilder SetItems() => Op('u');
    public PickleBuilder Appends() => Op('e');
    public PickleBuilder Reduce() => Op('R');
    public PickleBuilder Build() => Op('b');
    public PickleBuilder BinPersId() => Op('Q');

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    private PickleBuilder Le32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        _bytes.AddRange(b);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
