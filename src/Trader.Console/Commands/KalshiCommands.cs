using System.CommandLine;
using System.Globalization;
using Trader.Kalshi.Api;
using Trader.Kalshi.Rest;
using Trader.Kalshi.Signing;

namespace Trader.Console.Commands;

/// <summary>
/// <c>trader kalshi …</c>: what a user reaches for when authentication with Kalshi fails.
/// <c>sign</c> prints the three signed headers of a request; <c>check</c> calls the exchange and says what works.
/// Exit codes: 0 success, 1 a check failed, 2 bad arguments or an unusable key (see <see cref="TraderCommand.Run"/>).
/// </summary>
public static class KalshiCommands
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int BadInput = 2;

    private static Option<string> KeyIdOption() => new("--key-id")
    {
        Description = "The API key id (a UUID) shown next to the key in Kalshi's Account & security page",
    };

    private static Option<string> KeyFileOption() => new("--key-file")
    {
        Description = "The RSA private key file (PEM, PKCS#1 or PKCS#8) downloaded when the key was created",
    };

    private static Option<string> KeyEnvOption() => new("--key-env")
    {
        Description = "Instead of --key-file: the environment variable holding the PEM (literal \\n and one-line PEMs are repaired)",
    };

    public static Command Create()
    {
        var kalshi = new Command("kalshi", "Kalshi API diagnostics: sign a request, check a key against an exchange.");
        kalshi.Add(CreateSign());
        kalshi.Add(CreateCheck());
        return kalshi;
    }

    // ---- sign --------------------------------------------------------------------------------------------------

    private static Command CreateSign()
    {
        var keyId = KeyIdOption();
        keyId.Required = true;
        var keyFile = KeyFileOption();
        var keyEnv = KeyEnvOption();
        var method = new Option<string>("--method") { Description = "HTTP method: GET, POST, DELETE or PUT", DefaultValueFactory = _ => "GET" };
        method.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "GET", "POST", "DELETE", "PUT");
        var path = new Option<string>("--path")
        {
            Description = "The request path from /trade-api/ on (a full URL is accepted; the query string is not signed)",
            Required = true,
        };
        var timestamp = new Option<long?>("--timestamp")
        {
            Description = "Unix time in milliseconds to sign with (default: now); 13 digits",
        };

        var sign = new Command("sign",
            "Print the three KALSHI-ACCESS-* headers of a request, ready to paste into curl.\n" +
            "Kalshi signs timestamp + METHOD + path with RSA-PSS/SHA-256; a signature is accepted for a few seconds only.\n\n" +
            "Example:\n" +
            "  trader kalshi sign --key-id a952bcbe-ec3b-4b5b-b8f9-11dae589608c --key-file ~/kalshi.pem \\\n" +
            "    --method GET --path /trade-api/v2/portfolio/balance\n" +
            "  curl https://external-api.demo.kalshi.co/trade-api/v2/portfolio/balance <the three -H lines>")
        {
            keyId, keyFile, keyEnv, method, path, timestamp,
        };
        sign.Validators.Add(r =>
        {
            if (r.GetResult(keyFile) is null == (r.GetResult(keyEnv) is null))
                r.AddError("Give the private key with exactly one of --key-file and --key-env.");
            if (r.GetValue(path) is { } p && !SignedPath(p).StartsWith("/trade-api/", StringComparison.Ordinal))
                r.AddError($"--path '{p}' must start at /trade-api/ (for example /trade-api/v2/portfolio/balance): Kalshi signs the path including /trade-api/v2.");
            if (r.GetValue(timestamp) is { } ts && (ts < 1_000_000_000_000 || ts > 9_999_999_999_999))
                r.AddError($"--timestamp {ts} is not a Unix time in milliseconds (13 digits); seconds are a common mistake.");
        });
        sign.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            using var credentials = LoadCredentials(result.GetValue(keyId)!, result.GetValue(keyFile), result.GetValue(keyEnv), error);
            if (credentials is null) return BadInput;
            string verb = result.GetValue(method)!.ToUpperInvariant();
            string signedPath = SignedPath(result.GetValue(path)!);
            long ts = result.GetValue(timestamp) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var headers = credentials.Sign(verb, signedPath, ts);
            output.WriteLine($"-H '{KalshiAuthHeaders.KeyHeader}: {headers.KeyId}' \\");
            output.WriteLine($"-H '{KalshiAuthHeaders.TimestampHeader}: {headers.TimestampMs}' \\");
            output.WriteLine($"-H '{KalshiAuthHeaders.SignatureHeader}: {headers.Signature}'");
            error.WriteLine($"signed: {KalshiSignature.Message(ts, verb, signedPath)}");
            return Ok;
        });
        return sign;
    }

    private static string SignedPath(string pathOrUrl) => KalshiSignature.SignedPath(pathOrUrl);

    // ---- check -------------------------------------------------------------------------------------------------

    private static Command CreateCheck()
    {
        var env = new Option<string>("--env")
        {
            Description = "demo, prod, or the URL of another exchange (e.g. the simulated one: http://127.0.0.1:5000)",
            DefaultValueFactory = _ => "demo",
        };
        var keyId = KeyIdOption();
        var keyFile = KeyFileOption();
        var keyEnv = KeyEnvOption();
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer", DefaultValueFactory = _ => 10 };

        var check = new Command("check",
            "Call the exchange's status (public) and, with a key, the account balance (signed), and say plainly what worked:\n" +
            "unreachable host, clock skew, unknown key id, bad signature, missing permission.\n\n" +
            "Examples:\n" +
            "  trader kalshi check --env demo --key-id a952bcbe-ec3b-4b5b-b8f9-11dae589608c --key-file ~/kalshi-demo.pem\n" +
            "  trader kalshi check --env prod --key-id $KALSHI_KEY_ID --key-env KALSHI_PRIVATE_KEY\n" +
            "  trader kalshi check --env http://127.0.0.1:5000")
        {
            env, keyId, keyFile, keyEnv, timeout,
        };
        check.Validators.Add(r =>
        {
            if (r.GetValue(env) is { } e && !KalshiEnvironment.TryParse(e, out _, out var why)) r.AddError($"--env: {why}");
            bool hasKey = r.GetResult(keyFile) is not null || r.GetResult(keyEnv) is not null;
            if (r.GetResult(keyFile) is not null && r.GetResult(keyEnv) is not null) r.AddError("Give the private key with --key-file or --key-env, not both.");
            if (hasKey && r.GetResult(keyId) is null) r.AddError("--key-id is required with a private key.");
            if (!hasKey && r.GetResult(keyId) is not null) r.AddError("--key-id needs the private key: add --key-file or --key-env.");
            if (r.GetResult(timeout) is not null && r.GetValue(timeout) is <= 0 or > 300) r.AddError("--timeout must be between 0 and 300 seconds.");
        });
        check.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var environment = KalshiEnvironment.Parse(result.GetValue(env)!);
            KalshiCredentials? credentials = null;
            if (result.GetValue(keyId) is { } id)
            {
                credentials = LoadCredentials(id, result.GetValue(keyFile), result.GetValue(keyEnv), error);
                if (credentials is null) return BadInput;
            }
            using (credentials)
            {
                var checker = new KalshiConnectionCheck(environment, credentials, TimeSpan.FromSeconds(result.GetValue(timeout)), output);
                return await checker.RunAsync(ct) ? Ok : CheckFailed;
            }
        });
        return check;
    }

    /// <summary>Loads the key or explains (on <paramref name="error"/>) why not; never prints key content.</summary>
    internal static KalshiCredentials? LoadCredentials(string keyId, string? keyFile, string? keyEnv, TextWriter error)
    {
        try
        {
            return keyFile is not null ? KalshiCredentials.FromFile(keyId, keyFile) : KalshiCredentials.FromEnvironment(keyId, keyEnv!);
        }
        catch (KalshiKeyException e)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}

/// <summary>
/// The steps of <c>trader kalshi check</c>, each reported on its own line: reach the exchange, compare clocks, and
/// authenticate (balance). Kalshi's 401 bodies (kalshi-api.md §2.5) are translated into what to do about them.
/// </summary>
public sealed class KalshiConnectionCheck(KalshiEnvironment environment, KalshiCredentials? credentials, TimeSpan timeout, TextWriter output)
{
    /// <summary>Kalshi accepted ±5 s and refused ±30 s on demo; beyond this the check warns.</summary>
    public static readonly TimeSpan SkewWarning = TimeSpan.FromSeconds(5);

    public async Task<bool> RunAsync(CancellationToken ct)
    {
        output.WriteLine($"exchange: {environment.Name} ({environment.RestBase})");
        using var client = new KalshiRestClient(new KalshiClientOptions
        {
            Environment = environment,
            Credentials = credentials,
            RequestTimeout = timeout,
            Retry = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 1),
        });

        ExchangeStatus status;
        try
        {
            status = await client.GetExchangeStatusAsync(ct);
        }
        catch (KalshiTransportException e)
        {
            output.WriteLine($"FAILED  reach the exchange: cannot reach {environment.RestBase.Host}: {e.InnerException?.Message ?? e.Message}");
            output.WriteLine("        check the address, your network and proxy; demo and prod are different hosts.");
            return false;
        }
        catch (KalshiApiException e)
        {
            output.WriteLine($"FAILED  exchange status: {e.Error}");
            return false;
        }
        output.WriteLine($"ok      exchange reachable: exchange {(status.ExchangeActive ? "active" : "INACTIVE (maintenance)")}, " +
                         $"trading {(status.TradingActive ? "active" : "paused")}" +
                         (status.EstimatedResumeTime is { } resume ? $", expected back {resume:u}" : ""));

        TimeSpan? skew = null;
        if (client.LastServerDate is { } dates)
        {
            skew = dates.Local - dates.Server;
            string sign = skew.Value >= TimeSpan.Zero ? "ahead of" : "behind";
            string amount = Math.Abs(skew.Value.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);
            if (skew.Value.Duration() > SkewWarning)
                output.WriteLine($"WARNING clock: this machine is {amount} s {sign} the exchange; Kalshi refuses timestamps a few seconds off. Sync the clock (NTP).");
            else
                output.WriteLine($"ok      clock: within {amount} s of the exchange");
        }

        if (credentials is null)
        {
            output.WriteLine("skipped authentication: no key given (--key-id with --key-file or --key-env)");
            return true;
        }

        try
        {
            var balance = await client.GetBalanceAsync(ct);
            output.WriteLine($"ok      authenticated with key {credentials.KeyId}: balance {balance.Cash.ToDisplayString()}");
            return true;
        }
        catch (KalshiTransportException e)
        {
            output.WriteLine($"FAILED  balance: the exchange stopped answering: {e.InnerException?.Message ?? e.Message}");
        }
        catch (KalshiApiException e)
        {
            output.WriteLine($"FAILED  authenticate: {Explain(e.Error, credentials.KeyId, environment, skew)}");
        }
        return false;
    }

    /// <summary>What a refused signed request means, in words a user can act on.</summary>
    public static string Explain(KalshiError error, string keyId, KalshiEnvironment environment, TimeSpan? skew)
    {
        string code = error.Code;
        string details = error.Details ?? "";
        if (code.StartsWith("header_timestamp_expired", StringComparison.Ordinal))
            return "clock skew: the exchange refused the request's timestamp" +
                   (skew is { } s ? $" (this machine is {s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s off)" : "") +
                   ". Sync the clock (NTP) and try again.";
        if (details.Equals("INCORRECT_API_KEY_SIGNATURE", StringComparison.OrdinalIgnoreCase))
            return $"bad signature: key id {keyId} exists, but the private key does not match it. Use the PEM downloaded with this key id.";
        if (details.Equals("NOT_FOUND", StringComparison.OrdinalIgnoreCase))
            return $"unknown key id {keyId} on {environment.Name}: the exchange does not know this key. " +
                   "Demo and production keys are separate; check --env and the id.";
        if (code.StartsWith("signature_is_missing_from_headers", StringComparison.Ordinal))
            return "the signature headers did not reach the exchange (a proxy may strip them).";
        if (error.HttpStatus == 403)
            return $"key {keyId} is not allowed to do this ({error.Message}): check its scopes (read/write).";
        if (error.HttpStatus == 401)
            return $"authentication refused: {error}";
        return error.ToString();
    }
}
