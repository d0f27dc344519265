using Trader.Policy.StableBaselines;

namespace Trader.Policy.Tests.StableBaselines;

public class PickleReaderTests
{
    private static object? Read(PickleBuilder p) => new PickleReader().Read(p.ToArray());

    [Fact]
    public void Reads_numbers_strings_and_constants()
    {
        var value = Read(new PickleBuilder().Proto(2).Mark()
            .Int(7).Int(300).Int(-5).Int(70_000).Int(long.MinValue + 1).Float(-1.25).Str("héllo").ShortStr("x").None().Bool(true).Bool(false)
            .Tuple().Stop());
        var t = Assert.IsType<PickleTuple>(value);
        Assert.Equal([7L, 300L, -5L, 70_000L, long.MinValue + 1, -1.25, "héllo", "x", null, true, false], t.Items);
    }

    [Fact]
    public void Reads_long1_integers_of_any_width_with_sign()
    {
        Assert.Equal(0L, Read(new PickleBuilder().Proto(2).Op(0x8a).Raw(0).Stop()));
        Assert.Equal(-1L, Read(new PickleBuilder().Proto(2).Op(0x8a).Raw(1, 0xff).Stop()));
        Assert.Equal(255L, Read(new PickleBuilder().Proto(2).Op(0x8a).Raw(2, 0xff, 0x00).Stop()));
        Assert.Equal(-32768L, Read(new PickleBuilder().Proto(2).Op(0x8a).Raw(2, 0x00, 0x80).Stop()));
        var tooBig = Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Op(0x8a).Raw(9, 0, 0, 0, 0, 0, 0, 0, 0, 1).Stop()));
        Assert.Contains("does not fit in 64 bits", tooBig.Message);
    }

    [Fact]
    public void Reads_containers_and_the_memo()
    {
        var value = Read(new PickleBuilder().Proto(2)
            .EmptyDict().Put(0)
            .Mark()
                .Str("list").EmptyList().Put(1).Mark().Int(1).Int(2).Appends()
                .Str("again").Get(1)
                .Str("pair").Int(1).Str("b").Tuple2()
            .SetItems()
            .Stop());
        var dict = Assert.IsType<PickleDict>(value);
        Assert.Equal(3, dict.Count);
        Assert.True(dict.TryGetValue("list", out var list));
        Assert.Equal([1L, 2L], Assert.IsType<List<object?>>(list));
        Assert.True(dict.TryGetValue("again", out var again));
        Assert.Same(list, again);
        Assert.True(dict.TryGetValue("pair", out var pair));
        Assert.Equal([1L, "b"], Assert.IsType<PickleTuple>(pair).Items);
    }

    [Fact]
    public void Reads_sets_bytes_and_protocol_0_text_opcodes()
    {
        // EMPTY_SET + ADDITEMS, FROZENSET, SHORT_BINBYTES, and the text opcodes INT / PUT / GET of protocol 0.
        var value = Read(new PickleBuilder().Proto(4).Mark()
            .Op(0x8f).Mark().Int(1).Int(2).Op(0x90)
            .Mark().Str("a").Op(0x91)
            .Op('C').Raw(3, 1, 2, 3)
            .Op('I').Raw("01\n"u8.ToArray())
            .Op('I').Raw("-42\n"u8.ToArray()).Op('p').Raw("5\n"u8.ToArray())
            .Op('g').Raw("5\n"u8.ToArray())
            .Tuple().Stop());
        var t = Assert.IsType<PickleTuple>(value);
        Assert.Equal([1L, 2L], Assert.IsType<PickleSet>(t[0]).Items);
        Assert.Equal(["a"], Assert.IsType<PickleSet>(t[1]).Items);
        Assert.Equal(new byte[] { 1, 2, 3 }, t[2]);
        Assert.Equal(true, t[3]);
        Assert.Equal(-42L, t[4]);
        Assert.Equal(-42L, t[5]);
    }

    [Fact]
    public void Globals_are_names_and_allowed_calls_are_interpreted()
    {
        Assert.Equal(new PickleGlobal("stable_baselines3.common.policies", "ActorCriticPolicy"),
            Read(new PickleBuilder().Proto(5).StackGlobal("stable_baselines3.common.policies", "ActorCriticPolicy").Memoize().Stop()));
        var od = Read(new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Stop());
        Assert.IsType<PickleDict>(od);
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    public void Calling_any_other_global_is_refused_without_running_it(string module, string name)
    {
        var p = new PickleBuilder().Proto(2).Global(module, name).Str("echo pwned").Tuple1().Reduce().Stop();
        var ex = Assert.Throws<PickleFormatException>(() => Read(p));
        Assert.Contains($"calls {module}.{name}", ex.Message);
        Assert.Contains("does not interpret", ex.Message);
    }

    [Fact]
    public void Object_construction_opcodes_are_refused()
    {
        // NEWOBJ: cls.__new__(cls, *args)
        var newobj = new PickleBuilder().Proto(2).Global("os", "system").EmptyTuple().Op(0x81).Stop();
        Assert.Contains("opcode 0x81", Assert.Throws<PickleFormatException>(() => Read(newobj)).Message);
        // INST (protocol 0)
        var inst = new PickleBuilder().Mark().Op('i').Raw("os\nsystem\n"u8.ToArray()).Stop();
        Assert.Contains("('i')", Assert.Throws<PickleFormatException>(() => Read(inst)).Message);
        // BUILD on something that is not a dict
        var build = new PickleBuilder().Proto(2).EmptyList().EmptyDict().Build().Stop();
        Assert.Contains("BUILD", Assert.Throws<PickleFormatException>(() => Read(build)).Message);
        // persistent ids without a resolver
        var persid = new PickleBuilder().Proto(2).Str("x").BinPersId().Stop();
        Assert.Contains("persistent id", Assert.Throws<PickleFormatException>(() => Read(persid)).Message);
    }

    [Fact]
    public void Malformed_pickles_are_clear_errors()
    {
        Assert.Contains("without a STOP", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Int(1))).Message);
        Assert.Contains("truncated", Assert.Throws<PickleFormatException>(() => new PickleReader().Read(new byte[] { 0x80, 2, (byte)'X', 10, 0, 0, 0, (byte)'a' })).Message);
        Assert.Contains("underflow", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Tuple2().Stop())).Message);
        Assert.Contains("memo slot 9", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Get(9).Stop())).Message);
        Assert.Contains("exactly one", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Int(1).Int(2).Stop())).Message);
        Assert.Contains("MARK", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(2).Tuple().Stop())).Message);
        Assert.Contains("protocol 6", Assert.Throws<PickleFormatException>(() => Read(new PickleBuilder().Proto(6).None().Stop())).Message);
    }

    [Fact]
    public void Numpy_arrays_decode_without_numpy()
    {
        float[] values = [0.25f, -1.5f, 3f];
        var value = new PickleReader(NumpyArray.Callables).Read(Sb3ZipBuilder.NumpyPickle(values));
        var array = Assert.IsType<NumpyArray>(value);
        Assert.Equal([1L, 3L], array.Shape);
        Assert.Equal('<', array.DType.ByteOrder);
        Assert.Equal(values, array.ToFloat32());
        // Without the NumPy callables the same pickle is refused.
        Assert.Throws<PickleFormatException>(() => new PickleReader().Read(Sb3ZipBuilder.NumpyPickle(values)));
    }
}
