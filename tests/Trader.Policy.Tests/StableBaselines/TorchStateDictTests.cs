using System.Buffers.Binary;
using System.IO.Compression;
using Trader.Policy.StableBaselines;

namespace Trader.Policy.Tests.StableBaselines;

public class TorchStateDictTests
{
    private static MemoryStream Checkpoint(byte[] pickle, params (string Key, float[] Values)[] storages)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("model/data.pkl").Open()) s.Write(pickle);
            using (var s = zip.CreateEntry("model/byteorder").Open()) s.Write("little"u8);
            foreach (var (key, values) in storages)
            {
                var raw = new byte[values.Length * 4];
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
                using var s = zip.CreateEntry($"model/data/{key}").Open();
                s.Write(raw);
            }
        }
        buffer.Position = 0;
        return buffer;
    }

    [Fact]
    public void Reads_tensors_by_name_with_shapes_in_order()
    {
        var pickle = Sb3ZipBuilder.StateDictPickle([("a.weight", [2, 3], "0", 0, 6), ("a.bias", [2], "1", 0, 2)]);
        using var stream = Checkpoint(pickle, ("0", [1, 2, 3, 4, 5, 6]), ("1", [7, 8]));
        var state = TorchStateDict.Read(stream, "test.pth");
        Assert.Equal(["a.weight", "a.bias"], state.Keys);
        Assert.Equal("[2, 3]", state["a.weight"].ShapeText);
        Assert.Equal([1f, 2, 3, 4, 5, 6], state.GetFloat32("a.weight"));
        Assert.Equal([7f, 8], state.GetFloat32("a.bias"));
        Assert.Contains("no tensor 'nope'", Assert.Throws<PolicyModelException>(() => state["nope"]).Message);
    }

    [Fact]
    public void Applies_strides_and_storage_offsets()
    {
        // A [2, 3] tensor stored transposed (strides (1, 2)) after two unrelated elements (offset 2), sharing storage 0.
        var pickle = Sb3ZipBuilder.StateDictPickle(
            [("t", [2, 3], "0", 2, 8), ("head", [2], "0", 0, 8)],
            strides: shape => shape.Length == 2 ? [1, 2] : [1]);
        using var stream = Checkpoint(pickle, ("0", [100, 101, 1, 4, 2, 5, 3, 6]));
        var state = TorchStateDict.Read(stream, "strided.pth");
        Assert.Equal([1f, 2, 3, 4, 5, 6], state.GetFloat32("t"));
        Assert.Equal([100f, 101], state.GetFloat32("head"));
    }

    [Fact]
    public void Refuses_views_past_the_end_of_their_storage()
    {
        var pickle = Sb3ZipBuilder.StateDictPickle([("t", [4], "0", 1, 4)]);
        using var stream = Checkpoint(pickle, ("0", [1, 2, 3, 4]));
        var state = TorchStateDict.Read(stream, "short.pth");
        Assert.Contains("reaches element 4 of a storage of 4", Assert.Throws<PolicyModelException>(() => state.GetFloat32("t")).Message);
    }

    [Fact]
    public void Missing_storage_and_non_float_storages_are_errors()
    {
        var pickle = Sb3ZipBuilder.StateDictPickle([("t", [2], "0", 0, 2)]);
        using (var stream = Checkpoint(pickle))
        {
            Assert.Contains("storage '0'", Assert.Throws<PolicyModelException>(() => TorchStateDict.Read(stream, "x.pth")).Message);
        }
        var longs = Sb3ZipBuilder.StateDictPickle([("steps", [1], "0", 0, 1)], storageType: "LongStorage");
        using (var stream = Checkpoint(longs, ("0", [0, 0])))
        {
            var state = TorchStateDict.Read(stream, "x.pth");
            Assert.Contains("torch.LongStorage", Assert.Throws<PolicyModelException>(() => state.GetFloat32("steps")).Message);
        }
    }

    [Fact]
    public void Not_a_zip_or_no_data_pkl_is_an_error()
    {
        using (var notZip = new MemoryStream("not a zip"u8.ToArray()))
        {
            Assert.Contains("not a PyTorch zip", Assert.Throws<PolicyModelException>(() => TorchStateDict.Read(notZip, "x.pth")).Message);
        }
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true)) zip.CreateEntry("other.txt");
        buffer.Position = 0;
        Assert.Contains("data.pkl", Assert.Throws<PolicyModelException>(() => TorchStateDict.Read(buffer, "x.pth")).Message);
    }

    [Fact]
    public void A_pickle_that_calls_something_else_is_refused()
    {
        var evil = new PickleBuilder().Proto(2).Global("os", "system").Str("rm -rf /").Tuple1().Reduce().Stop().ToArray();
        using var stream = Checkpoint(evil);
        var ex = Assert.Throws<PolicyModelException>(() => TorchStateDict.Read(stream, "evil.pth"));
        Assert.Contains("os.system", ex.Message);
    }
}
