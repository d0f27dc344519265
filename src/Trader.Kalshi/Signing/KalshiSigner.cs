using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trader.Kalshi.Signing;

/// <summary>The three authentication headers of a Kalshi request (kalshi-api.md §2.2).</summary>
public sealed record KalshiAuthHeaders(string KeyId, string TimestampMs, string Signature)
{
    public const string KeyHeader = "KALSHI-ACCESS-KEY";
    public const string TimestampHeader = "KALSHI-ACCESS-TIMESTAMP";
    public const string SignatureHeader = "KALSHI-ACCESS-SIGNATURE";

    public IEnumerable<KeyValuePair<string, string>> AsPairs()
    {
        yield return new(KeyHeader, KeyId);
        yield return new(TimestampHeader, TimestampMs);
        yield return new(SignatureHeader, Signature);
    }

    /// <summary>Never prints the signature (it authenticates a request for a few seconds).</summary>
    public override string ToString() => $"KalshiAuthHeaders {{ KeyId = {KeyId}, TimestampMs = {TimestampMs}, Signature = <redacted> }}";
}

/// <summary>
/// What Kalshi signs and how (§2.3): <c>timestamp_ms + METHOD + path</c>, the path starting at <c>/trade-api/</c> and
/// without the query string, signed with RSA-PSS / SHA-256 / MGF1-SHA-256 / salt 32 bytes, base64. The WebSocket
/// upgrade signs <c>GET /trade-api/ws/v2</c>. <see cref="Verify"/> checks a signature with the public key (the simulated
/// exchange authenticates requests with it; tests use it since PSS signatures differ every time).
/// </summary>
public static class KalshiSignature
{
    /// <summary>The WebSocket upgrade's signed path.</summary>
    public const string WebSocketPath = "/trade-api/ws/v2";

    /// <summary>The path part of a request target: everything before <c>?</c> (and <c>#</c>), as sent on the wire.</summary>
    public static string SignedPath(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (Uri.TryCreate(pathAndQuery, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "ws" or "wss")
            return absolute.AbsolutePath;
        int cut = pathAndQuery.IndexOfAny(['?', '#']);
        return cut < 0 ? pathAndQuery : pathAndQuery[..cut];
    }

    /// <summary>The path of a request URI (never <see cref="Uri.PathAndQuery"/>).</summary>
    public static string SignedPath(Uri uri) => uri.IsAbsoluteUri ? uri.AbsolutePath : SignedPath(uri.OriginalString);

    /// <summary>The string to sign: <c>1703123456789GET/trade-api/v2/portfolio/balance</c>.</summary>
    public static string Message(long timestampMs, string method, string path) =>
        timestampMs.ToString(CultureInfo.InvariantCulture) + method.ToUpperInvariant() + SignedPath(path);

    public static string Sign(RSA privateKey, long timestampMs, string method, string path)
    {
        byte[] message = Encoding.UTF8.GetBytes(Message(timestampMs, method, path));
        return Convert.ToBase64String(privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    /// <summary>
    /// True when <paramref name="signatureBase64"/> is a valid RSA-PSS/SHA-256 signature, by the key whose public half
    /// is <paramref name="publicKey"/>, of <c>timestamp + method + path</c> (the query string of <paramref name="path"/>
    /// is dropped first). False for a malformed base64 or a signature of anything else.
    /// </summary>
    public static bool Verify(RSA publicKey, long timestampMs, string method, string path, string signatureBase64)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64);
        }
        catch (FormatException)
        {
            return false;
        }
        byte[] message = Encoding.UTF8.GetBytes(Message(timestampMs, method, path));
        return publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>Verifies a request's three headers; <paramref name="timestampMs"/> is parsed from the timestamp header.</summary>
    public static bool Verify(RSA publicKey, string method, string path, string timestampHeader, string signatureHeader) =>
        long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long ts)
        && Verify(publicKey, ts, method, path, signatureHeader);

    /// <summary>Reads a public key from PEM (<c>BEGIN PUBLIC KEY</c> or <c>BEGIN RSA PUBLIC KEY</c>), for verification.</summary>
    public static RSA ImportPublicKeyPem(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A Kalshi API key: the key id and the RSA private key. Signs requests with a fresh timestamp from the
/// <see cref="TimeProvider"/>. The key is never exposed, logged or printed (<see cref="ToString"/> shows the id only).
/// </summary>
public sealed class KalshiCredentials : IDisposable
{
    private readonly RSA _key;

    public KalshiCredentials(string keyId, RSA privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(privateKey);
        KeyId = keyId.Trim();
        _key = privateKey;
    }

    public string KeyId { get; }

    /// <summary>Loads the key from a PEM file (see <see cref="KalshiKeyLoader.FromFile"/>).</summary>
    public static KalshiCredentials FromFile(string keyId, string path) => new(keyId, KalshiKeyLoader.FromFile(path));

    /// <summary>Loads the key from an environment variable (see <see cref="KalshiKeyLoader.FromEnvironment"/>).</summary>
    public static KalshiCredentials FromEnvironment(string keyId, string variable) => new(keyId, KalshiKeyLoader.FromEnvironment(variable));

    /// <summary>The three headers for a request made at <paramref name="timestampMs"/>.</summary>
    public KalshiAuthHeaders Sign(string method, string path, long timestampMs) =>
        new(KeyId, timestampMs.ToString(CultureInfo.InvariantCulture), KalshiSignature.Sign(_key, timestampMs, method, path));

    /// <summary>The three headers for a request made now.</summary>
    public KalshiAuthHeaders Sign(string method, string path, TimeProvider time) =>
        Sign(method, path, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The public half of the key, as PEM (safe to show: it is what Kalshi holds).</summary>
    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public void Dispose() => _key.Dispose();

    public override string ToString() => $"Kalshi key {KeyId}";
}
