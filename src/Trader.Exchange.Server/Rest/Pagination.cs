using System.Globalization;
using System.Text;
using Trader.Kalshi.Api;
using Trader.Kalshi.Wire;

namespace Trader.Exchange.Server.Rest;

/// <summary>One page of a list and the cursor of the next; <see cref="Cursor"/> is <c>""</c> on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string Cursor);

/// <summary>
/// Kalshi's pagination (kalshi-api.md §3.1, §9.10): <c>limit</c> 1–1000 (default 100; anything else is a 400 with the
/// bare <c>{"msg":…}</c> body of Go's parameter validation) and an opaque <c>cursor</c>, <c>""</c> on the last page. A
/// cursor names the last item handed out (and its index, as a fallback), so a list that grows at its head between
/// two pages (newest first: new orders, fills) does not repeat items. A cursor that cannot be read is not an error:
/// the list starts from the beginning, as Kalshi answers 200 with data for a garbage cursor.
/// </summary>
public static class Pagination
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Reads <c>limit</c>; <paramref name="operation"/> is Kalshi's operation name (<c>GetMarkets</c>) for the error text.</summary>
    public static int ParseLimit(string? text, string operation)
    {
        if (string.IsNullOrEmpty(text)) return DefaultLimit;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long limit))
            throw ApiRefusal.Bare($"Parameter validation failed for {operation}: invalid value \"{text}\" for query parameter 'limit': not an integer");
        if (limit > MaxLimit)
            throw ApiRefusal.Bare($"Parameter validation failed for {operation}: Key: '{operation}Params.Limit' Error:Field validation for 'Limit' failed on the 'lte' tag");
        if (limit < 1)
            throw ApiRefusal.Bare($"Parameter validation failed for {operation}: Key: '{operation}Params.Limit' Error:Field validation for 'Limit' failed on the 'gte' tag");
        return (int)limit;
    }

    /// <summary>The page after <paramref name="cursor"/>; <paramref name="keyOf"/> gives each item's unique key.</summary>
    public static Page<T> Take<T>(IReadOnlyList<T> items, Func<T, string> keyOf, string? cursor, int limit)
    {
        int start = StartOf(items, keyOf, cursor);
        int end = Math.Min(items.Count, start + limit);
        var page = new List<T>(Math.Max(0, end - start));
        for (int i = start; i < end; i++) page.Add(items[i]);
        string next = end < items.Count && page.Count > 0 ? Encode(end, keyOf(page[^1])) : "";
        return new Page<T>(page, next);
    }

    private static int StartOf<T>(IReadOnlyList<T> items, Func<T, string> keyOf, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || !TryDecode(cursor, out int index, out string lastKey)) return 0;
        // The item the previous page ended with, searched near where it was and then everywhere.
        int near = Math.Clamp(index - 1, 0, Math.Max(0, items.Count - 1));
        for (int d = 0; d < items.Count; d++)
        {
            foreach (int i in (ReadOnlySpan<int>)[near + d, near - d])
            {
                if (i >= 0 && i < items.Count && keyOf(items[i]) == lastKey) return i + 1;
            }
        }
        return Math.Clamp(index, 0, items.Count);
    }

    private static string Encode(int index, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{index.ToString(CultureInfo.InvariantCulture)}|{lastKey}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string cursor, out int index, out string lastKey)
    {
        index = 0;
        lastKey = "";
        try
        {
            string b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            int bar = text.IndexOf('|');
            if (bar <= 0 || !int.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out index)) return false;
            lastKey = text[(bar + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>
/// A request refused with Kalshi's status and body: thrown by REST handlers, written by the pipeline in the body shape
/// Kalshi uses for that kind of refusal (nested for business errors, flat for unreadable JSON, bare for query validation).
/// </summary>
public sealed class ApiRefusal(KalshiError error, ErrorBodyShape shape = ErrorBodyShape.Nested) : Exception(error.ToString())
{
    public KalshiError Error { get; } = error;
    public ErrorBodyShape Shape { get; } = shape;

    /// <summary>A query parameter that fails validation: 400 with <c>{"msg":…}</c>.</summary>
    public static ApiRefusal Bare(string message) => new(new KalshiError(400, "bad_request", message), ErrorBodyShape.Bare);
}
