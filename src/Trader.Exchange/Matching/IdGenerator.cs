namespace Trader.Exchange.Matching;

/// <summary>
/// Order, trade and market ids in Kalshi's form (version-4 UUID strings), drawn from a seeded random source so that
/// the same seed and the same calls give the same ids.
/// </summary>
internal sealed class IdGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's byte layout: the version sits in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
