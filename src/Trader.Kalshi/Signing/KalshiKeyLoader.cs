using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Trader.Kalshi.Signing;

/// <summary>What is wrong with a private key.</summary>
public enum KeyProblem
{
    /// <summary>The file does not exist, or the environment variable is unset or empty.</summary>
    Missing,

    /// <summary>The file exists but cannot be read (permissions, a directory, an I/O error).</summary>
    Unreadable,

    /// <summary>The key is protected by a passphrase; Kalshi keys are downloaded unencrypted.</summary>
    Encrypted,

    /// <summary>The text is not an RSA private key in PEM (or base64 DER): damaged, a public key, a certificate, …</summary>
    Malformed,
}

/// <summary>
/// A private key could not be loaded. The message says what is wrong and where (the file path or the environment
/// variable's name) and never contains any of the key's content.
/// </summary>
public sealed class KalshiKeyException(KeyProblem problem, string source, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public KeyProblem Problem { get; } = problem;

    /// <summary>Where the key was looked for: <c>key file '/path/key.pem'</c> or <c>environment variable KALSHI_KEY</c>.</summary>
    public string KeySource { get; } = source;
}

/// <summary>
/// Loads a Kalshi RSA private key from a PEM file or an environment variable. Accepts PKCS#1
/// (<c>BEGIN RSA PRIVATE KEY</c>) and PKCS#8 (<c>BEGIN PRIVATE KEY</c>), and repairs what users do to keys stored in
/// environment variables: literal <c>\n</c> instead of line breaks, surrounding quotes, the whole PEM on one line, or
/// the header lines missing (bare base64).
/// </summary>
public static partial class KalshiKeyLoader
{
    public static RSA FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string source = $"key file '{path}'";
        if (Directory.Exists(path))
            throw new KalshiKeyException(KeyProblem.Unreadable, source, $"The {source} is a directory, not a PEM file.");
        if (!File.Exists(path))
            throw new KalshiKeyException(KeyProblem.Missing, source, $"The {source} does not exist.");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new KalshiKeyException(KeyProblem.Unreadable, source, $"The {source} cannot be read: {e.GetType().Name} ({Describe(e)}).", e);
        }
        return FromPem(text, source);
    }

    public static RSA FromEnvironment(string variable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        string source = $"environment variable {variable}";
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
            throw new KalshiKeyException(KeyProblem.Missing, source, $"The {source} is not set or is empty.");
        return FromPem(text, source);
    }

    /// <summary>Loads a key from PEM text; <paramref name="source"/> says where it came from, for error messages.</summary>
    public static RSA FromPem(string text, string source = "key text")
    {
        ArgumentNullException.ThrowIfNull(text);
        string repaired = Repair(text);
        if (repaired.Length == 0) throw new KalshiKeyException(KeyProblem.Missing, source, $"The {source} is empty.");

        if (repaired.Contains("ENCRYPTED", StringComparison.Ordinal))
            throw new KalshiKeyException(KeyProblem.Encrypted, source,
                $"The {source} holds a passphrase-protected (encrypted) private key. Kalshi keys are used unencrypted: " +
                "decrypt it first (e.g. openssl pkey -in encrypted.pem -out key.pem).");

        var header = HeaderRegex().Match(repaired);
        string label;
        string body;
        if (header.Success)
        {
            label = header.Groups[1].Value.Trim();
            int start = header.Index + header.Length;
            var footer = new Regex("-----END " + Regex.Escape(label) + "-----").Match(repaired, start);
            body = footer.Success ? repaired[start..footer.Index] : repaired[start..];
        }
        else
        {
            label = "";
            body = repaired;
        }

        switch (label)
        {
            case "PUBLIC KEY" or "RSA PUBLIC KEY":
                throw new KalshiKeyException(KeyProblem.Malformed, source,
                    $"The {source} holds a public key. Signing needs the private key Kalshi showed when the API key was created.");
            case "CERTIFICATE":
                throw new KalshiKeyException(KeyProblem.Malformed, source, $"The {source} holds a certificate, not an RSA private key.");
            case "" or "PRIVATE KEY" or "RSA PRIVATE KEY":
                break;
            default:
                throw new KalshiKeyException(KeyProblem.Malformed, source,
                    $"The {source} holds a PEM block of type '{label}'; expected 'RSA PRIVATE KEY' (PKCS#1) or 'PRIVATE KEY' (PKCS#8).");
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(WhitespaceRegex().Replace(body, ""));
        }
        catch (FormatException)
        {
            throw new KalshiKeyException(KeyProblem.Malformed, source,
                header.Success
                    ? $"The {source} has a '{label}' header but its body is not valid base64 (the key is damaged or truncated)."
                    : $"The {source} is not a PEM private key: no '-----BEGIN … PRIVATE KEY-----' line, and the text is not base64.");
        }
        if (der.Length == 0)
            throw new KalshiKeyException(KeyProblem.Malformed, source, $"The {source} has a '{label}' header but no key data.");

        var rsa = RSA.Create();
        try
        {
            if (label == "RSA PRIVATE KEY") rsa.ImportRSAPrivateKey(der, out _);
            else if (label == "PRIVATE KEY") rsa.ImportPkcs8PrivateKey(der, out _);
            else if (!TryImportEither(rsa, der))
                throw new CryptographicException("neither PKCS#8 nor PKCS#1");
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            string kind = label.Length == 0 ? "PKCS#8 or PKCS#1" : label == "PRIVATE KEY" ? "PKCS#8" : "PKCS#1";
            throw new KalshiKeyException(KeyProblem.Malformed, source,
                $"The {source} does not contain a valid {kind} RSA private key (the data is damaged, truncated, or not an RSA key).", e);
        }
    }

    private static bool TryImportEither(RSA rsa, byte[] der)
    {
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
        }
        try
        {
            rsa.ImportRSAPrivateKey(der, out _);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Undoes what shells and .env files do to PEM text: quotes, literal <c>\n</c>, CRLF.</summary>
    internal static string Repair(string text)
    {
        string t = text.Trim();
        if (t.Length >= 2 && (t[0] == '"' && t[^1] == '"' || t[0] == '\'' && t[^1] == '\'')) t = t[1..^1].Trim();
        var sb = new StringBuilder(t.Length);
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] == '\\' && i + 1 < t.Length && (t[i + 1] == 'n' || t[i + 1] == 'r'))
            {
                if (t[i + 1] == 'n') sb.Append('\n');
                i++;
                continue;
            }
            if (t[i] != '\r') sb.Append(t[i]);
        }
        return sb.ToString().Trim();
    }

    private static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException => "not found",
        _ => "I/O error",
    };

    [GeneratedRegex("-----BEGIN ([A-Z0-9 ]+)-----")]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
