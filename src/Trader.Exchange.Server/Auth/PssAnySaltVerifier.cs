using System.Numerics;
using System.Security.Cryptography;

namespace Trader.Exchange.Server.Auth;

/// <summary>
/// RSA-PSS (SHA-256, MGF1-SHA-256) verification that accepts any salt length, as Kalshi's servers appear to: Kalshi's
/// own samples sign with a 32-byte salt (what .NET's <see cref="RSASignaturePadding.Pss"/> makes and checks), but
/// clients written with Python's <c>padding.PSS.MAX_LENGTH</c> — the original kalshiflow trader among them — sign with
/// the longest salt the key allows and work against Kalshi (kalshi-api.md §2.3). .NET verifies only the 32-byte form,
/// so this is EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with the salt length read from the encoded message, over the public
/// key's modulus and exponent. Only the simulated exchange uses it, after the strict check has failed.
/// </summary>
public sealed class PssAnySaltVerifier
{
    private const int HashLength = 32;
    private readonly BigInteger _modulus;
    private readonly BigInteger _exponent;
    private readonly int _modulusBytes;
    private readonly int _emBits;

    public PssAnySaltVerifier(RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var p = publicKey.ExportParameters(false);
        _modulus = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        _exponent = new BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true);
        _modulusBytes = p.Modulus!.Length;
        _emBits = (int)_modulus.GetBitLength() - 1;
    }

    /// <summary>True when <paramref name="signature"/> is an RSA-PSS SHA-256 signature of <paramref name="message"/> with any salt length.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != _modulusBytes) return false;
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= _modulus) return false;
        var m = BigInteger.ModPow(s, _exponent, _modulus);

        int emLen = (_emBits + 7) / 8;
        if (emLen < HashLength + 2) return false;
        int mBytes = m.GetByteCount(isUnsigned: true);
        if (mBytes > emLen) return false;
        var em = new byte[emLen];
        m.TryWriteBytes(em.AsSpan(emLen - mBytes), out _, isUnsigned: true, isBigEndian: true);
        if (em[^1] != 0xBC) return false;

        int dbLength = emLen - HashLength - 1;
        var maskedDb = em.AsSpan(0, dbLength);
        var h = em.AsSpan(dbLength, HashLength);
        int zeroBits = 8 * emLen - _emBits;
        byte topMask = (byte)(0xFF >> zeroBits);
        if ((maskedDb[0] & ~topMask) != 0) return false;

        var db = Mgf1(h, dbLength);
        for (int i = 0; i < dbLength; i++) db[i] ^= maskedDb[i];
        db[0] &= topMask;

        int separator = 0;
        while (separator < dbLength && db[separator] == 0) separator++;
        if (separator == dbLength || db[separator] != 0x01) return false;
        var salt = db.AsSpan(separator + 1);

        Span<byte> mPrime = new byte[8 + HashLength + salt.Length];
        SHA256.HashData(message, mPrime.Slice(8, HashLength));
        salt.CopyTo(mPrime[(8 + HashLength)..]);
        Span<byte> expected = stackalloc byte[HashLength];
        SHA256.HashData(mPrime, expected);
        return CryptographicOperations.FixedTimeEquals(expected, h);
    }

    /// <summary>MGF1 with SHA-256 (RFC 8017 §B.2.1).</summary>
    internal static byte[] Mgf1(ReadOnlySpan<byte> seed, int length)
    {
        var mask = new byte[length];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        Span<byte> block = stackalloc byte[HashLength];
        for (int counter = 0, done = 0; done < length; counter++, done += HashLength)
        {
            input[^4] = (byte)(counter >> 24);
            input[^3] = (byte)(counter >> 16);
            input[^2] = (byte)(counter >> 8);
            input[^1] = (byte)counter;
            SHA256.HashData(input, block);
            block[..Math.Min(HashLength, length - done)].CopyTo(mask.AsSpan(done));
        }
        return mask;
    }
}
