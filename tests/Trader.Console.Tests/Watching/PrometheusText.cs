using System.Globalization;
using System.Text.RegularExpressions;

namespace Trader.Console.Tests.Watching;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, to check what <c>/metrics</c> serves: every line is
/// a <c># HELP</c>, a <c># TYPE</c> or a sample; names and label names are valid; label values use only the allowed
/// escapes; values are Go floats; each family is declared once, before its samples, which are contiguous; a histogram
/// has cumulative <c>le</c> buckets ending in <c>+Inf</c> equal to its <c>_count</c>, and a <c>_sum</c>. Anything else
/// throws <see cref="FormatException"/> naming the line.
/// </summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n')) throw new FormatException("the text does not end with a line feed");
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            string where = $"line {i + 1} '{line}'";
            if (line.Length == 0) throw new FormatException($"{where}: empty line");
            if (line.StartsWith('#'))
            {
                var m = Comment().Match(line);
                if (!m.Success) throw new FormatException($"{where}: not a HELP or TYPE line");
                string name = m.Groups["name"].Value;
                if (m.Groups["kind"].Value == "HELP")
                {
                    if (!helps.TryAdd(name, m.Groups["rest"].Value)) throw new FormatException($"{where}: second HELP for {name}");
                    continue;
                }
                string type = m.Groups["rest"].Value;
                if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped")) throw new FormatException($"{where}: unknown type");
                if (families.ContainsKey(name)) throw new FormatException($"{where}: second TYPE for {name}");
                if (current is not null) closed.Add(current);
                families[name] = new Family(name, type, helps.GetValueOrDefault(name, ""), []);
                current = name;
                continue;
            }
            var s = SampleLine().Match(line);
            if (!s.Success) throw new FormatException($"{where}: not a sample line");
            string sampleName = s.Groups["name"].Value;
            var labels = Labels(s.Groups["labels"].Value, where);
            double value = Value(s.Groups["value"].Value, where);
            var family = FamilyOf(sampleName, families) ?? throw new FormatException($"{where}: sample of an undeclared family");
            if (closed.Contains(family.Name)) throw new FormatException($"{where}: samples of {family.Name} are not contiguous");
            if (family.Name != current)
            {
                if (current is not null) closed.Add(current);
                current = family.Name;
            }
            family.Samples.Add(new Sample(sampleName, labels, value));
        }
        foreach (var f in families.Values.Where(f => f.Type == "histogram")) CheckHistogram(f);
        foreach (var f in families.Values.Where(f => f.Type == "counter"))
        {
            if (f.Samples.Any(x => x.Value < 0 || double.IsNaN(x.Value))) throw new FormatException($"counter {f.Name} has a negative value");
        }
        return families;
    }

    private static Family? FamilyOf(string sampleName, Dictionary<string, Family> families)
    {
        if (families.TryGetValue(sampleName, out var f) && f.Type != "histogram") return f;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(sampleName[..^suffix.Length], out var h) && h.Type is "histogram" or "summary")
                return h;
        }
        return null;
    }

    private static void CheckHistogram(Family f)
    {
        foreach (var series in f.Samples.GroupBy(x => string.Join(",", x.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))))
        {
            var buckets = series.Where(x => x.Name == f.Name + "_bucket").ToList();
            if (buckets.Count == 0) throw new FormatException($"histogram {f.Name} has no buckets");
            double previousBound = double.NegativeInfinity, previousCount = 0;
            foreach (var b in buckets)
            {
                if (!b.Labels.TryGetValue("le", out var le)) throw new FormatException($"histogram {f.Name}: a bucket without le");
                double bound = Value(le, $"histogram {f.Name} le");
                if (bound <= previousBound) throw new FormatException($"histogram {f.Name}: le {le} is not increasing");
                if (b.Value < previousCount) throw new FormatException($"histogram {f.Name}: bucket le={le} is not cumulative");
                previousBound = bound;
                previousCount = b.Value;
            }
            if (!double.IsPositiveInfinity(previousBound)) throw new FormatException($"histogram {f.Name}: the last bucket is not +Inf");
            var count = series.SingleOrDefault(x => x.Name == f.Name + "_count") ?? throw new FormatException($"histogram {f.Name}: no _count");
            if (count.Value != previousCount) throw new FormatException($"histogram {f.Name}: _count {count.Value} ≠ +Inf bucket {previousCount}");
            if (series.SingleOrDefault(x => x.Name == f.Name + "_sum") is null) throw new FormatException($"histogram {f.Name}: no _sum");
        }
    }

    private static Dictionary<string, string> Labels(string text, string where)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length == 0) return labels;
        int i = 0;
        while (i < text.Length)
        {
            var m = LabelName().Match(text, i);
            if (!m.Success || m.Index != i) throw new FormatException($"{where}: bad label name at {i}");
            string name = m.Groups[1].Value;
            i += m.Length;
            var value = new System.Text.StringBuilder();
            for (; ; i++)
            {
                if (i >= text.Length) throw new FormatException($"{where}: unterminated label value");
                char c = text[i];
                if (c == '"') break;
                if (c == '\n') throw new FormatException($"{where}: raw line feed in a label value");
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                i++;
                value.Append(i < text.Length ? text[i] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw new FormatException($"{where}: bad escape \\{text[i]}"),
                } : throw new FormatException($"{where}: escape at the end"));
            }
            i++; // closing quote
            if (!labels.TryAdd(name, value.ToString())) throw new FormatException($"{where}: label {name} twice");
            if (i < text.Length)
            {
                if (text[i] != ',') throw new FormatException($"{where}: expected ',' between labels");
                i++;
            }
        }
        return labels;
    }

    private static double Value(string text, string where)
    {
        switch (text)
        {
            case "+Inf": return double.PositiveInfinity;
            case "-Inf": return double.NegativeInfinity;
            case "NaN": return double.NaN;
        }
        if (!GoFloat().IsMatch(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new FormatException($"{where}: '{text}' is not a float");
        return v;
    }

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex GoFloat();
}
