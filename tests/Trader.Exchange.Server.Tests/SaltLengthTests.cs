using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Trader.Exchange.Server.Auth;
using Trader.Exchange.Server.Tests.Infrastructure;
using Trader.Kalshi.Signing;

namespace Trader.Exchange.Server.Tests;

/// <summary>
/// Clients that sign with another PSS salt length than Kalshi's samples (Python's <c>PSS.MAX_LENGTH</c>, as the original
/// kalshiflow trader does) work against Kalshi, so they must work against the simulated exchange too. The signatures are
/// made here with an independent EMSA-PSS encoder (RFC 8017 §9.1.1) and the raw RSA private operation, since .NET only
/// signs with a 32-byte salt.
/// </summary>
public sealed class SaltLengthTests
{
    private static readonly RSA Key = RSA.Create(2048);

    /// <summary>RSASSA-PSS with SHA-256 and MGF1-SHA-256 and a chosen salt length.</summary>
    private static byte[] SignWithSalt(RSA key, byte[] message, int saltLength)
    {
        var p = key.ExportParameters(true);
        var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(p.D, isUnsigned: true, isBigEndian: true);
        int emBits = (int)n.GetBitLength() - 1, emLen = (emBits + 7) / 8, hLen = 32;

        var salt = RandomNumberGenerator.GetBytes(saltLength);
        var mPrime = new byte[8 + hLen + saltLength];
        SHA256.HashData(message).CopyTo(mPrime, 8);
        salt.CopyTo(mPrime, 8 + hLen);
        var h = SHA256.HashData(mPrime);

        var db = new byte[emLen - hLen - 1];
        db[emLen - saltLength - hLen - 2] = 0x01;
        salt.CopyTo(db, emLen - saltLength - hLen - 1);
        var mask = new byte[db.Length];
        for (int counter = 0, done = 0; done < mask.Length; counter++, done += hLen)
        {
            var block = SHA256.HashData([.. h, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]);
            block.AsSpan(0, Math.Min(hLen, mask.Length - done)).CopyTo(mask.AsSpan(done));
        }
        for (int i = 0; i < db.Length; i++) db[i] ^= mask[i];
        db[0] &= (byte)(0xFF >> (8 * emLen - emBits));
        byte[] em = [.. db, .. h, 0xBC];

        var s = BigInteger.ModPow(new BigInteger(em, isUnsigned: true, isBigEndian: true), d, n);
        var signature = new byte[p.Modulus!.Length];
        s.TryWriteBytes(signature.AsSpan(signature.Length - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return signature;
    }

    private static RSA PublicHalf(RSA key)
    {
        var pub = RSA.Create();
        pub.ImportParameters(key.ExportParameters(false));
        return pub;
    }

    [Theory]
    [InlineData(32)]  // Kalshi's samples: the digest length
    [InlineData(222)] // PSS.MAX_LENGTH for a 2048-bit key: 256 − 32 − 2
    [InlineData(0)]
    [InlineData(20)]
    public void Any_salt_length_verifies_and_nothing_else_does(int saltLength)
    {
        using var pub = PublicHalf(Key);
        var verifier = new PssAnySaltVerifier(pub);
        var message = Encoding.UTF8.GetBytes(KalshiSignature.Message(1703123456789, "GET", "/trade-api/v2/portfolio/balance"));
        var signature = SignWithSalt(Key, message, saltLength);

        Assert.True(verifier.Verify(message, signature));
        // .NET checks only the digest-length salt, which is why the exchange needs more than it.
        Assert.Equal(saltLength == 32, pub.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));

        var otherMessage = Encoding.UTF8.GetBytes(KalshiSignature.Message(1703123456790, "GET", "/trade-api/v2/portfolio/balance"));
        Assert.False(verifier.Verify(otherMessage, signature));
        var flipped = (byte[])signature.Clone();
        flipped[100] ^= 0x01;
        Assert.False(verifier.Verify(message, flipped));
        Assert.False(verifier.Verify(message, signature.AsSpan(1).ToArray()));
        using var other = RSA.Create(2048);
        Assert.False(new PssAnySaltVerifier(other).Verify(message, signature));
        // PKCS#1 v1.5 is not PSS, whatever the salt.
        Assert.False(verifier.Verify(message, Key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public async Task A_client_signing_with_the_maximum_salt_length_is_authenticated_like_at_kalshi()
    {
        await using var sim = await Sim.StartAsync();
        using var pub = PublicHalf(Key);
        sim.Server.RegisterKey("max-salt-key", sim.Server.DemoUserId, pub);

        async Task<(int Status, string Body)> Balance(Func<byte[], byte[]> tamper)
        {
            long ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var message = Encoding.UTF8.GetBytes(KalshiSignature.Message(ts, "GET", "/trade-api/v2/portfolio/balance"));
            var signature = tamper(SignWithSalt(Key, message, 222));
            var headers = new KalshiAuthHeaders("max-salt-key", ts.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToBase64String(signature));
            return await sim.SendAsync(HttpMethod.Get, "/portfolio/balance", headers: headers);
        }

        var ok = await Balance(s => s);
        Assert.Equal(200, ok.Status);
        Assert.Contains("balance_dollars", ok.Body);

        var refused = await Balance(s =>
        {
            s[^1] ^= 0x01;
            return s;
        });
        Assert.Equal(401, refused.Status);
        Assert.Contains("INCORRECT_API_KEY_SIGNATURE", refused.Body);
    }
}
