using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Trader.Kalshi.Api;
using Trader.Kalshi.Signing;

namespace Trader.Exchange.Server.Auth;

/// <summary>A registered API key: its id, the user it acts for, and the public half of its RSA key.</summary>
public sealed class ApiKey
{
    private readonly RSA _publicKey;
    private readonly PssAnySaltVerifier _anySalt;
    private readonly object _gate = new();

    public ApiKey(string keyId, string userId, RSA publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        KeyId = keyId;
        UserId = userId;
        _publicKey = publicKey ?? throw new ArgumentNullException(nameof(publicKey));
        _anySalt = new PssAnySaltVerifier(publicKey);
    }

    public string KeyId { get; }
    public string UserId { get; }

    /// <summary>
    /// Checks a signature of <c>timestamp + method + path</c> (one verification at a time per key): RSA-PSS with SHA-256
    /// and a salt of the digest's length, as Kalshi documents, or of any other length (a client signing with
    /// <c>PSS.MAX_LENGTH</c> works against Kalshi, so it works here; <see cref="PssAnySaltVerifier"/>).
    /// </summary>
    public bool Verify(string method, string path, long timestampMs, string signature)
    {
        lock (_gate)
        {
            if (KalshiSignature.Verify(_publicKey, timestampMs, method, path, signature)) return true;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(signature);
            }
            catch (FormatException)
            {
                return false;
            }
            return _anySalt.Verify(System.Text.Encoding.UTF8.GetBytes(KalshiSignature.Message(timestampMs, method, path)), bytes);
        }
    }

    public override string ToString() => $"key {KeyId} of user {UserId}";
}

/// <summary>The exchange's API keys, by key id (thread-safe).</summary>
public sealed class ApiKeyRegistry
{
    private readonly ConcurrentDictionary<string, ApiKey> _keys = new(StringComparer.Ordinal);

    public void Register(ApiKey key)
    {
        if (!_keys.TryAdd(key.KeyId, key)) throw new ArgumentException($"key id {key.KeyId} is already registered", nameof(key));
    }

    public ApiKey? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    public int Count => _keys.Count;
}

/// <summary>Who sent a request: a registered key (and its user), or a refusal in Kalshi's words.</summary>
public readonly record struct AuthOutcome(ApiKey? Key, KalshiError? Error)
{
    public bool IsAuthenticated => Key is not null;
}

/// <summary>
/// Kalshi's request authentication (kalshi-api.md §2): the three <c>KALSHI-ACCESS-*</c> headers, the key id looked up,
/// the timestamp within the window of the server's clock, and the RSA-PSS signature of <c>timestamp + METHOD + path</c>
/// (the path without its query string) verified with the key's public half. The refusals are Kalshi's 401 bodies
/// (§2.5), checked in this order:
/// <list type="number">
/// <item>a header missing or empty → <c>signature_is_missing_from_headers</c> (Kalshi's recorded body is for a missing
/// signature; the simulator gives it for any of the three, since they are sent together);</item>
/// <item>an unknown key id → <c>authentication_error</c> / <c>NOT_FOUND</c>;</item>
/// <item>a timestamp that is not an integer, or outside ±window → <c>header_timestamp_expired</c>;</item>
/// <item>a signature that does not verify (RSA-PSS, SHA-256, any salt length) → <c>authentication_error</c> /
/// <c>INCORRECT_API_KEY_SIGNATURE</c>.</item>
/// </list>
/// Pure: the clock reading and the registry are passed in.
/// </summary>
public static class RequestAuthenticator
{
    public static readonly KalshiError MissingSignature =
        new(401, "signature_is_missing_from_headers", "signature is missing from headers");

    public static readonly KalshiError UnknownKey =
        new(401, "authentication_error", "authentication_error", "NOT_FOUND");

    public static readonly KalshiError TimestampExpired =
        new(401, "header_timestamp_expired", "header timestamp expired");

    public static readonly KalshiError BadSignature =
        new(401, "authentication_error", "authentication_error", "INCORRECT_API_KEY_SIGNATURE");

    public static AuthOutcome Authenticate(ApiKeyRegistry keys, string method, string path, string? keyId, string? timestamp, string? signature,
        DateTimeOffset now, TimeSpan window)
    {
        if (string.IsNullOrWhiteSpace(keyId) || string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
            return new AuthOutcome(null, MissingSignature);
        var key = keys.Find(keyId.Trim());
        if (key is null) return new AuthOutcome(null, UnknownKey);
        if (!long.TryParse(timestamp.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long ts))
            return new AuthOutcome(null, TimestampExpired);
        long skew = ts - now.ToUnixTimeMilliseconds();
        if (Math.Abs(skew) > (long)window.TotalMilliseconds) return new AuthOutcome(null, TimestampExpired);
        if (!key.Verify(method.ToUpperInvariant(), KalshiSignature.SignedPath(path), ts, signature.Trim()))
            return new AuthOutcome(null, BadSignature);
        return new AuthOutcome(key, null);
    }
}
