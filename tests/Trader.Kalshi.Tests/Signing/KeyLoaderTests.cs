using System.Security.Cryptography;
using Trader.Kalshi.Signing;

namespace Trader.Kalshi.Tests.Signing;

/// <summary>Keys from files and environment variables: both PEM kinds, the usual damage, and clear errors that never leak the key.</summary>
public sealed class KeyLoaderTests : IDisposable
{
    private static readonly RSA Key = RSA.Create(2048);
    private readonly string _dir = Directory.CreateTempSubdirectory("kalshi-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Pkcs1 => Key.ExportRSAPrivateKeyPem();
    private static string Pkcs8 => Key.ExportPkcs8PrivateKeyPem();

    private static string Body(string pem) =>
        string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()));

    private static void AssertSameKey(RSA loaded)
    {
        byte[] data = [1, 2, 3];
        byte[] sig = loaded.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        Assert.True(Key.VerifyData(data, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    private string Write(string text)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string> Repairable() => new()
    {
        Pkcs1,
        Pkcs8,
        Pkcs8.Replace("\n", "\r\n"),
        Pkcs8.Replace("\n", "\\n"),                                         // literal \n, as stored in env vars
        "\"" + Pkcs1.Replace("\n", "\\n") + "\"",                           // ... and quoted
        Pkcs8.Replace("\n", " "),                                          // the whole PEM on one line
        Body(Pkcs8),                                                      // header lines missing (PKCS#8 body)
        Body(Pkcs1),                                                      // header lines missing (PKCS#1 body)
        "-----BEGIN PRIVATE KEY-----\n" + Body(Pkcs8) + "\n",              // footer missing
    };

    [Theory]
    [MemberData(nameof(Repairable))]
    public void Keys_load_from_files_in_every_usual_form(string text)
    {
        using var rsa = KalshiKeyLoader.FromFile(Write(text));
        AssertSameKey(rsa);
    }

    [Theory]
    [MemberData(nameof(Repairable))]
    public void Keys_load_from_environment_variables(string text)
    {
        string name = "TRADER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, text);
        try
        {
            using var rsa = KalshiKeyLoader.FromEnvironment(name);
            AssertSameKey(rsa);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_missing_file_says_which_file()
    {
        string path = Path.Combine(_dir, "nope.pem");
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromFile(path));
        Assert.Equal(KeyProblem.Missing, e.Problem);
        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_directory_is_unreadable()
    {
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromFile(_dir));
        Assert.Equal(KeyProblem.Unreadable, e.Problem);
        Assert.Contains(_dir, e.Message);
    }

    [Fact]
    public void An_unreadable_file_says_so()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName == "root") return; // root reads everything
        string path = Write(Pkcs8);
        File.SetUnixFileMode(path, UnixFileMode.None);
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromFile(path));
        Assert.Equal(KeyProblem.Unreadable, e.Problem);
    }

    [Fact]
    public void An_unset_variable_names_the_variable()
    {
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromEnvironment("TRADER_TEST_UNSET_VARIABLE_X"));
        Assert.Equal(KeyProblem.Missing, e.Problem);
        Assert.Contains("environment variable TRADER_TEST_UNSET_VARIABLE_X", e.Message);
    }

    [Fact]
    public void An_encrypted_key_is_reported_as_encrypted()
    {
        string pem = Key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        string path = Write(pem);
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromFile(path));
        Assert.Equal(KeyProblem.Encrypted, e.Problem);
        Assert.Contains(path, e.Message);
        AssertNoKeyMaterial(e, pem);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "hello, I am not a key", "not a PEM private key" },
        { Pkcs8[..(Pkcs8.Length / 2)] + "\n-----END PRIVATE KEY-----", "damaged" },
        { "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----", "not valid base64" },
        { Key.ExportSubjectPublicKeyInfoPem(), "public key" },
        { "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "certificate" },
        { ECDsa.Create().ExportPkcs8PrivateKeyPem(), "not an RSA key" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_keys_say_what_is_wrong_without_the_content(string text, string expected)
    {
        string path = Write(text);
        var e = Assert.Throws<KalshiKeyException>(() => KalshiKeyLoader.FromFile(path));
        Assert.Equal(KeyProblem.Malformed, e.Problem);
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
        AssertNoKeyMaterial(e, text);
    }

    private static void AssertNoKeyMaterial(Exception e, string pem)
    {
        foreach (var line in pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line[..16], e.ToString());
        }
    }
}
