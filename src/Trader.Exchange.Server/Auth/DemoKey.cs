using System.Security.Cryptography;
using Trader.Kalshi.Signing;

namespace Trader.Exchange.Server.Auth;

/// <summary>
/// The ready-to-use API key of the simulated exchange's demo user. Its private key is written to a PEM file with
/// owner-only permissions (<c>sim-demo-key.pem</c>, the key id next to it in <c>sim-demo-key.id</c>) in the directory
/// the user chose, and reused on the next start so the key id stays the same; without a directory it lives in memory
/// only. The key content is never printed or logged: <see cref="ToString"/> shows the id and the path.
/// </summary>
public sealed class DemoKey : IDisposable
{
    public const string PemFileName = "sim-demo-key.pem";
    public const string IdFileName = "sim-demo-key.id";

    private readonly RSA _key;

    private DemoKey(string keyId, RSA key, string? privateKeyPath, bool reused)
    {
        KeyId = keyId;
        _key = key;
        PrivateKeyPath = privateKeyPath;
        Reused = reused;
    }

    /// <summary>The key id, to send as <c>KALSHI-ACCESS-KEY</c>.</summary>
    public string KeyId { get; }

    /// <summary>The private key file (PEM, PKCS#8); null when the key lives in memory only.</summary>
    public string? PrivateKeyPath { get; }

    /// <summary>True when the key was read from an earlier run's files rather than generated now.</summary>
    public bool Reused { get; }

    /// <summary>Credentials that sign as this key (a copy: dispose it when done).</summary>
    public KalshiCredentials CreateCredentials()
    {
        var copy = RSA.Create();
        copy.ImportParameters(_key.ExportParameters(includePrivateParameters: true));
        return new KalshiCredentials(KeyId, copy);
    }

    /// <summary>The public half, for the exchange's key registry.</summary>
    internal RSA PublicKey()
    {
        var pub = RSA.Create();
        pub.ImportParameters(_key.ExportParameters(includePrivateParameters: false));
        return pub;
    }

    /// <summary>
    /// Reads the key pair in <paramref name="directory"/> when both files are there, else generates a new one and
    /// writes it (the directory is created owner-only; the PEM is readable and writable by its owner only). Null: a new
    /// key in memory. Throws <see cref="ArgumentException"/> naming the file when an existing key cannot be used.
    /// </summary>
    public static DemoKey LoadOrCreate(string? directory)
    {
        if (directory is null) return new DemoKey(Guid.NewGuid().ToString(), RSA.Create(2048), null, reused: false);

        string dir = Path.GetFullPath(directory);
        string pemPath = Path.Combine(dir, PemFileName);
        string idPath = Path.Combine(dir, IdFileName);
        bool hasPem = File.Exists(pemPath), hasId = File.Exists(idPath);
        if (hasPem && hasId) return Load(pemPath, idPath);
        if (hasPem != hasId)
            throw new ArgumentException(
                $"the key directory '{dir}' has {(hasPem ? PemFileName : IdFileName)} without {(hasPem ? IdFileName : PemFileName)}; " +
                "delete the one left to get a new demo key");

        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var key = RSA.Create(2048);
            string keyId = Guid.NewGuid().ToString();
            WriteOwnerOnly(pemPath, key.ExportPkcs8PrivateKeyPem() + "\n");
            File.WriteAllText(idPath, keyId + "\n");
            return new DemoKey(keyId, key, pemPath, reused: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"the demo key cannot be written to '{dir}': {e.Message}", e);
        }
    }

    private static DemoKey Load(string pemPath, string idPath)
    {
        string keyId;
        try
        {
            keyId = File.ReadAllText(idPath).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"the demo key id file '{idPath}' cannot be read: {e.Message}", e);
        }
        if (!Guid.TryParse(keyId, out _))
            throw new ArgumentException($"the demo key id file '{idPath}' does not hold a key id (a UUID); delete both key files to get a new key");
        try
        {
            return new DemoKey(keyId, KalshiKeyLoader.FromFile(pemPath), pemPath, reused: true);
        }
        catch (KalshiKeyException e)
        {
            throw new ArgumentException($"{e.Message} Delete both key files to get a new demo key.", e);
        }
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => PrivateKeyPath is null ? $"demo key {KeyId} (in memory)" : $"demo key {KeyId} ({PrivateKeyPath})";
}
