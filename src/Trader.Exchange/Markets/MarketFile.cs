using System.Globalization;
using System.Text.Json;
using Trader.Core.Fees;
using Trader.Core.Markets;
using Trader.Core.Numbers;
using Trader.Core.Positions;

namespace Trader.Exchange.Markets;

/// <summary>
/// Reads the simulated exchange's market file. The format (JSON, snake_case like Kalshi's own market objects):
/// <code>
/// {
///   "markets": [
///     {
///       "ticker": "KXHIGHNY-26DEC01-B45.5",           // required
///       "event_ticker": "KXHIGHNY-26DEC01",            // required
///       "series_ticker": "KXHIGHNY",                   // default: event_ticker up to its first '-'
///       "title": "Highest temperature in NYC on Dec 1?", // default: the ticker
///       "price_level_structure": "linear_cent",        // linear_cent | deci_cent | tapered_deci_cent (default linear_cent)
///       "price_ranges": [{"start":"0.0000","end":"1.0000","step":"0.0100"}], // optional; overrides the structure's ranges
///       "fee_type": "quadratic",                       // quadratic | quadratic_with_maker_fees (default quadratic)
///       "fee_multiplier": "1",                         // string or number, ≤ 4 decimals (default 1)
///       "open_time": "2026-12-01T14:00:00Z",           // or "open_after_seconds": 0 (default: the session start)
///       "close_time": "2026-12-02T05:00:00Z",          // or "close_after_seconds": 86400 (one of them required)
///       "determination_time": "…",                     // or "determination_after_seconds"; default: the close time
///       "settlement_timer_seconds": 60,                // pay-out delay after determination (default 60)
///       "result": "yes",                               // optional: yes | no; default: drawn at determination
///       "fair_value": "0.3500"                         // optional: where the liquidity agents start (default 0.5000)
///     }
///   ]
/// }
/// </code>
/// Times are RFC 3339; <c>*_after_seconds</c> are relative to the session start, so a file stays usable on any day.
/// Every error names the market (by index and ticker) and the field.
/// </summary>
public static class MarketFile
{
    public static IReadOnlyList<MarketDefinition> Load(string path, DateTimeOffset sessionStart)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"market file {path} does not exist", path);
        try
        {
            return Parse(File.ReadAllText(path), sessionStart);
        }
        catch (FormatException e)
        {
            throw new FormatException($"market file {path}: {e.Message}", e);
        }
    }

    public static IReadOnlyList<MarketDefinition> Parse(string json, DateTimeOffset sessionStart)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("markets", out var markets) || markets.ValueKind != JsonValueKind.Array)
                throw new FormatException("expected an object with a \"markets\" array");
            var result = new List<MarketDefinition>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var m in markets.EnumerateArray())
            {
                var definition = ParseMarket(m, index, sessionStart);
                if (!seen.Add(definition.Ticker)) throw new FormatException($"market #{index} ({definition.Ticker}): the ticker is listed twice");
                result.Add(definition);
                index++;
            }
            if (result.Count == 0) throw new FormatException("the \"markets\" array is empty");
            return result;
        }
    }

    private static MarketDefinition ParseMarket(JsonElement m, int index, DateTimeOffset start)
    {
        if (m.ValueKind != JsonValueKind.Object) throw new FormatException($"market #{index}: expected an object");
        string ticker = RequiredString(m, "ticker", $"market #{index}");
        string where = $"market #{index} ({ticker})";
        try
        {
            string eventTicker = RequiredString(m, "event_ticker", where);
            string series = OptionalString(m, "series_ticker", where) ?? eventTicker.Split('-')[0];
            string title = OptionalString(m, "title", where) ?? ticker;
            var grid = ParseGrid(m, where);
            var fees = ParseFees(m, where);
            var open = Time(m, "open_time", "open_after_seconds", start, where) ?? start;
            var close = Time(m, "close_time", "close_after_seconds", start, where)
                ?? throw new FormatException($"{where}: close_time or close_after_seconds is required");
            var determination = Time(m, "determination_time", "determination_after_seconds", start, where);
            var timer = m.TryGetProperty("settlement_timer_seconds", out var t) ? TimeSpan.FromSeconds(Integer(t, "settlement_timer_seconds", where)) : TimeSpan.FromSeconds(60);
            MarketResult? marketResult = OptionalString(m, "result", where) switch
            {
                null => null,
                "yes" => MarketResult.Yes,
                "no" => MarketResult.No,
                var other => throw new FormatException($"{where}: result \"{other}\" must be \"yes\" or \"no\""),
            };
            Price? fair = OptionalString(m, "fair_value", where) is { } fv ? ParsePrice(fv, "fair_value", where) : null;
            var definition = new MarketDefinition
            {
                Ticker = ticker,
                EventTicker = eventTicker,
                SeriesTicker = series,
                Title = title,
                Grid = grid,
                Fees = fees,
                OpenTime = open,
                CloseTime = close,
                DeterminationTime = determination,
                SettlementTimer = timer,
                Result = marketResult,
                FairValue = fair,
            };
            definition.Validate();
            return definition;
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static TickGrid ParseGrid(JsonElement m, string where)
    {
        string structure = OptionalString(m, "price_level_structure", where) ?? "linear_cent";
        if (m.TryGetProperty("price_ranges", out var ranges))
        {
            if (ranges.ValueKind != JsonValueKind.Array) throw new FormatException($"{where}: price_ranges must be an array");
            var list = new List<PriceRange>();
            foreach (var r in ranges.EnumerateArray())
            {
                list.Add(new PriceRange(
                    ParsePrice(RequiredString(r, "start", where + " price_ranges"), "price_ranges.start", where),
                    ParsePrice(RequiredString(r, "end", where + " price_ranges"), "price_ranges.end", where),
                    ParsePrice(RequiredString(r, "step", where + " price_ranges"), "price_ranges.step", where)));
            }
            return new TickGrid(structure, list);
        }
        return TickGrid.FromName(structure)
            ?? throw new FormatException($"{where}: price_level_structure \"{structure}\" is unknown (linear_cent, deci_cent or tapered_deci_cent; or give price_ranges)");
    }

    private static FeeSchedule ParseFees(JsonElement m, string where)
    {
        var type = OptionalString(m, "fee_type", where) switch
        {
            null or "quadratic" => FeeType.Quadratic,
            "quadratic_with_maker_fees" => FeeType.QuadraticWithMakerFees,
            var other => throw new FormatException($"{where}: fee_type \"{other}\" is not supported (quadratic or quadratic_with_maker_fees)"),
        };
        decimal multiplier = 1m;
        if (m.TryGetProperty("fee_multiplier", out var fm))
        {
            multiplier = fm.ValueKind switch
            {
                JsonValueKind.Number => fm.GetDecimal(),
                JsonValueKind.String when decimal.TryParse(fm.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) => d,
                _ => throw new FormatException($"{where}: fee_multiplier must be a non-negative number"),
            };
        }
        try
        {
            return FeeSchedule.FromMultiplier(type, multiplier);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"{where}: fee_multiplier {multiplier} must be a non-negative multiple of 0.0001");
        }
    }

    private static DateTimeOffset? Time(JsonElement m, string absolute, string relative, DateTimeOffset start, string where)
    {
        bool hasAbsolute = m.TryGetProperty(absolute, out var a);
        bool hasRelative = m.TryGetProperty(relative, out var r);
        if (hasAbsolute && hasRelative) throw new FormatException($"{where}: give {absolute} or {relative}, not both");
        if (hasAbsolute)
        {
            if (a.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                throw new FormatException($"{where}: {absolute} must be an RFC 3339 time such as \"2026-12-01T14:00:00Z\"");
            return t.ToUniversalTime();
        }
        if (hasRelative) return start + TimeSpan.FromSeconds(Integer(r, relative, where));
        return null;
    }

    private static long Integer(JsonElement e, string name, string where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0
            ? v
            : throw new FormatException($"{where}: {name} must be a non-negative whole number");

    private static Price ParsePrice(string text, string name, string where)
    {
        try
        {
            return Price.Parse(text);
        }
        catch (WireFormatException e)
        {
            throw new FormatException($"{where}: {name}: {e.Message}", e);
        }
    }

    private static string RequiredString(JsonElement m, string name, string where) =>
        OptionalString(m, name, where) ?? throw new FormatException($"{where}: {name} is required");

    private static string? OptionalString(JsonElement m, string name, string where)
    {
        if (!m.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new FormatException($"{where}: {name} must be a string");
        var s = v.GetString();
        return string.IsNullOrWhiteSpace(s) ? throw new FormatException($"{where}: {name} is empty") : s;
    }
}
