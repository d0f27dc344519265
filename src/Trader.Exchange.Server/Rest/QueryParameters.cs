using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Trader.Exchange.Server.Rest;

/// <summary>
/// Reads a request's query parameters as Kalshi validates them: a value that does not parse is a 400 with the bare
/// <c>{"msg":"Parameter validation failed for &lt;Operation&gt;: …"}</c> body (kalshi-api.md §3.12), naming the parameter.
/// </summary>
internal readonly struct QueryParameters(HttpContext ctx, string operation)
{
    public string Operation => operation;

    public string? String(string name)
    {
        string? value = ctx.Request.Query[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A comma-separated list (also accepted as the parameter repeated); empty when absent.</summary>
    public IReadOnlyList<string> List(string name, int max = int.MaxValue)
    {
        var values = ctx.Request.Query[name]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (values.Count > max) throw Invalid(name, $"at most {max} values are allowed, got {values.Count}");
        return values;
    }

    public long? Int64(string name)
    {
        string? text = String(name);
        if (text is null) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Invalid(name, $"\"{text}\" is not an integer");
    }

    /// <summary>A Unix time in seconds.</summary>
    public DateTimeOffset? UnixSeconds(string name)
    {
        long? s = Int64(name);
        if (s is null) return null;
        if (s < 0 || s > 253_402_300_799) throw Invalid(name, $"{s} is not a Unix time in seconds");
        return DateTimeOffset.FromUnixTimeSeconds(s.Value);
    }

    /// <summary>One of <paramref name="allowed"/>, or null when absent.</summary>
    public string? OneOf(string name, params string[] allowed)
    {
        string? text = String(name);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal)) return text;
        throw ApiRefusal.Bare(
            $"Parameter validation failed for {operation}: Key: '{operation}Params.{Pascal(name)}' Error:Field validation for '{Pascal(name)}' failed on the 'oneof' tag");
    }

    /// <summary><c>limit</c> (1–1000, default 100).</summary>
    public int Limit() => Pagination.ParseLimit(String("limit"), operation);

    public string? Cursor() => String("cursor");

    /// <summary>Only subaccount 0 (the primary) exists here; another number is refused.</summary>
    public void RequirePrimarySubaccount()
    {
        long? sub = Int64("subaccount");
        if (sub is not null and not 0) throw SubaccountRefusal(sub.Value);
    }

    public static ApiRefusal SubaccountRefusal(long subaccount) =>
        new(new Kalshi.Api.KalshiError(400, "invalid_parameters", "invalid parameters",
            $"subaccount {subaccount} does not exist: the simulated exchange has only the primary account (0)"));

    public ApiRefusal Invalid(string name, string reason) =>
        ApiRefusal.Bare($"Parameter validation failed for {operation}: invalid query parameter '{name}': {reason}");

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}
