using System.Security.Cryptography;
using Trader.Kalshi.Signing;

namespace Trader.Kalshi.Tests.Signing;

/// <summary>§9.1: the strings to sign, and signatures verified with the public key (PSS differs every time).</summary>
public class SigningTests
{
    private const long Ts = 1703123456789;
    private static readonly RSA Key = RSA.Create(2048);

    [Theory]
    [InlineData("GET", "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/balance", "1703123456789GET/trade-api/v2/portfolio/balance")]
    [InlineData("GET", "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/orders?limit=5", "1703123456789GET/trade-api/v2/portfolio/orders")]
    [InlineData("GET", "https://api.elections.kalshi.com/trade-api/v2/portfolio/orders?status=resting&cursor=abc", "1703123456789GET/trade-api/v2/portfolio/orders")]
    [InlineData("POST", "https://external-api.kalshi.com/trade-api/v2/portfolio/events/orders", "1703123456789POST/trade-api/v2/portfolio/events/orders")]
    [InlineData("DELETE", "https://external-api.kalshi.com/trade-api/v2/portfolio/events/orders/2597b999-f887-4195-8bac-c3f97a1f2021?market_ticker=KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP", "1703123456789DELETE/trade-api/v2/portfolio/events/orders/2597b999-f887-4195-8bac-c3f97a1f2021")]
    [InlineData("GET", "wss://external-api-ws.kalshi.com/trade-api/ws/v2", "1703123456789GET/trade-api/ws/v2")]
    [InlineData("get", "/trade-api/v2/portfolio/orders?limit=5", "1703123456789GET/trade-api/v2/portfolio/orders")]
    public void The_string_to_sign_drops_the_host_and_the_query(string method, string url, string expected)
    {
        Assert.Equal(expected, KalshiSignature.Message(Ts, method, url));
        Assert.Equal(expected, KalshiSignature.Message(Ts, method, KalshiSignature.SignedPath(new Uri(url, UriKind.RelativeOrAbsolute))));
    }

    [Theory]
    [InlineData("GET", "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/balance")]
    [InlineData("GET", "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/orders?limit=5")]
    [InlineData("DELETE", "https://external-api.kalshi.com/trade-api/v2/portfolio/events/orders/2597b999-f887-4195-8bac-c3f97a1f2021?market_ticker=X")]
    [InlineData("GET", "wss://external-api-ws.kalshi.com/trade-api/ws/v2")]
    public void Signatures_verify_with_the_public_key(string method, string url)
    {
        using var credentials = new KalshiCredentials("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", CopyOf(Key));
        var headers = credentials.Sign(method, url, Ts);
        Assert.Equal("1703123456789", headers.TimestampMs);
        Assert.Equal(13, headers.TimestampMs.Length);
        Assert.Equal(256, Convert.FromBase64String(headers.Signature).Length);

        using var pub = KalshiSignature.ImportPublicKeyPem(credentials.ExportPublicKeyPem());
        string path = KalshiSignature.SignedPath(new Uri(url));
        Assert.True(KalshiSignature.Verify(pub, Ts, method, path, headers.Signature));
        Assert.True(KalshiSignature.Verify(pub, method, url, headers.TimestampMs, headers.Signature));
        Assert.False(KalshiSignature.Verify(pub, Ts + 1, method, path, headers.Signature));
        Assert.False(KalshiSignature.Verify(pub, Ts, method == "GET" ? "POST" : "GET", path, headers.Signature));

        // PSS is randomized: a second signature differs and verifies too.
        var again = credentials.Sign(method, url, Ts);
        Assert.NotEqual(headers.Signature, again.Signature);
        Assert.True(KalshiSignature.Verify(pub, Ts, method, path, again.Signature));
    }

    [Fact]
    public void A_signature_over_the_query_string_does_not_verify_against_the_canonical_string()
    {
        // What a buggy client signs: the path with its query.
        byte[] wrong = System.Text.Encoding.UTF8.GetBytes("1703123456789GET/trade-api/v2/portfolio/orders?limit=5");
        string signature = Convert.ToBase64String(Key.SignData(wrong, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.False(KalshiSignature.Verify(Key, Ts, "GET", "/trade-api/v2/portfolio/orders", signature));
    }

    [Fact]
    public void Pkcs1_v15_signatures_and_garbage_do_not_verify()
    {
        byte[] message = System.Text.Encoding.UTF8.GetBytes(KalshiSignature.Message(Ts, "GET", "/trade-api/v2/portfolio/balance"));
        string pkcs1 = Convert.ToBase64String(Key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(KalshiSignature.Verify(Key, Ts, "GET", "/trade-api/v2/portfolio/balance", pkcs1));
        Assert.False(KalshiSignature.Verify(Key, Ts, "GET", "/trade-api/v2/portfolio/balance", "not base64!"));
        Assert.False(KalshiSignature.Verify(Key, "GET", "/trade-api/v2/portfolio/balance", "1703123456", pkcs1));
    }

    [Fact]
    public void Credentials_never_show_the_key()
    {
        using var credentials = new KalshiCredentials("key-id", CopyOf(Key));
        Assert.Equal("Kalshi key key-id", credentials.ToString());
        var headers = credentials.Sign("GET", "/trade-api/v2/portfolio/balance", Ts);
        Assert.DoesNotContain(headers.Signature, headers.ToString());
    }

    internal static RSA CopyOf(RSA key)
    {
        var copy = RSA.Create();
        copy.ImportParameters(key.ExportParameters(true));
        return copy;
    }
}
