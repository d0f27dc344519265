using System.Collections;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Trader.Console.Run;

/// <summary>A configuration error: names the setting (or flag, variable, file), the value and where it came from.</summary>
public sealed class ConfigurationError(string message) : Exception(message);

/// <summary>
/// The trader's configuration, built in layers of increasing precedence: the HOCON defaults in <c>hocon/</c>, an
/// optional settings file (HOCON or JSON), <c>TRADER_…</c> environment variables, and command-line flags. Every
/// <c>trader.*</c> value remembers which layer set it, so an error can say "from environment variable
/// TRADER_RISK__MAX_POSITION_PER_MARKET" rather than only naming the setting.
/// <para>
/// A name that is not a setting — a typo in the settings file, an environment variable or <c>--set</c> — is an error,
/// not silently ignored: a trader that ignores <c>TRADER_RISK__MAX_POSITON_PER_MARKET=10</c> trades with the default
/// limit. Environment variables map to settings by <c>__</c> between path segments and <c>_</c> for <c>-</c>:
/// <c>TRADER_RISK__MIN_CASH_RESERVE=50.00</c> is <c>trader.risk.min-cash-reserve</c>. A list setting (such as
/// <c>trader.market-data.markets</c>) takes a comma-separated value from a variable or flag.
/// </para>
/// </summary>
public sealed class LayeredConfig
{
    public const string EnvironmentPrefix = "TRADER_";


    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _leaves;
    private readonly HashSet<string> _lists;
    private Config _config;

    private LayeredConfig(Config defaults, string defaultsSource)
    {
        _config = defaults;
        _leaves = new HashSet<string>(StringComparer.Ordinal);
        _lists = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value) in Leaves(defaults, "trader"))
        {
            _leaves.Add(path);
            if (IsList(value)) _lists.Add(path);
            _sources[path] = defaultsSource;
        }
    }

    /// <summary>The effective configuration (all layers, <c>akka</c> included).</summary>
    public Config Config => _config;

    /// <summary>Starts from the HOCON defaults (<c>trader.conf</c> over <c>akka.conf</c>).</summary>
    public static LayeredConfig FromDefaults(Config defaults, string source = "the defaults in hocon/trader.conf") => new(defaults, source);

    /// <summary>Where a setting's value came from ("the defaults…", "settings file x.conf", "environment variable …", "--flag").</summary>
    public string SourceOf(string setting) => _sources.TryGetValue(setting, out var s) ? s : "the defaults";

    /// <summary>True when a layer above the defaults set this setting.</summary>
    public bool IsOverridden(string setting, string defaultsSource = "the defaults in hocon/trader.conf") =>
        _sources.TryGetValue(setting, out var s) && s != defaultsSource;

    /// <summary>Every <c>trader.*</c> setting that exists, in order.</summary>
    public IEnumerable<string> Settings => _leaves.Order(StringComparer.Ordinal);

    /// <summary>A settings file (HOCON, of which JSON is a subset). Its <c>trader</c> keys must be known settings.</summary>
    public void AddFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationError($"--config: the settings file '{path}' does not exist");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError($"--config: the settings file '{path}' cannot be read: {e.Message}");
        }
        // Akka's HOCON parser is lenient to a fault: it accepts unbalanced braces and can recurse without end on an
        // unclosed list (a stack overflow ends the process). Brackets are checked here first.
        if (UnbalancedBracket(text) is { } problem)
            throw new ConfigurationError($"--config: the settings file '{path}' is not valid HOCON: {problem}");
        Config file;
        try
        {
            file = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ConfigurationError($"--config: the settings file '{path}' is not valid HOCON: {e.Message}");
        }
        string source = $"settings file {path}";
        foreach (var (setting, value) in Leaves(file, "trader"))
        {
            if (!_leaves.Contains(setting)) throw new ConfigurationError($"{source}: '{setting}' is not a setting{Suggest(setting)}");
            if (_lists.Contains(setting) != IsList(value))
                throw new ConfigurationError($"{source}: '{setting}' must be {(_lists.Contains(setting) ? "a list, e.g. [\"A\", \"B\"]" : "a single value, not a list or object")}");
            _sources[setting] = source;
        }
        foreach (var root in file.Root.GetObject().Items.Keys)
        {
            if (root is not ("trader" or "akka"))
                throw new ConfigurationError($"{source}: '{root}' is not a section the trader reads (use 'trader {{ … }}' or 'akka {{ … }}')");
        }
        _config = file.WithFallback(_config);
    }

    /// <summary><c>TRADER_…</c> environment variables; one that names no setting is an error naming the variable.</summary>
    public void AddEnvironment(IDictionary variables)
    {
        var found = new List<(string Name, string Value)>();
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && entry.Value is string value)
                found.Add((name, value));
        }
        foreach (var (name, value) in found.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var setting = SettingOfVariable(name);
            if (setting is null || !_leaves.Contains(setting))
                throw new ConfigurationError($"environment variable {name} names no setting{(setting is null ? "" : $" ({setting}){Suggest(setting)}")}; " +
                                             "the form is TRADER_SECTION__NAME, e.g. TRADER_RISK__MIN_CASH_RESERVE for trader.risk.min-cash-reserve");
            Set(setting, value, $"environment variable {name}");
        }
    }

    /// <summary>A command-line value for a setting (a flag, or <c>--set path=value</c>).</summary>
    public void Set(string setting, string value, string source)
    {
        if (!_leaves.Contains(setting)) throw new ConfigurationError($"{source}: '{setting}' is not a setting{Suggest(setting)}");
        string hocon = _lists.Contains(setting)
            ? $"{setting} = [{string.Join(", ", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Quote))}]"
            : $"{setting} = {Quote(value)}";
        _config = ConfigurationFactory.ParseString(hocon).WithFallback(_config);
        _sources[setting] = source;
    }

    /// <summary>The setting an environment variable names: <c>TRADER_RISK__MIN_CASH_RESERVE</c> → <c>trader.risk.min-cash-reserve</c>.</summary>
    public static string? SettingOfVariable(string variable)
    {
        if (!variable.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)) return null;
        var segments = variable[EnvironmentPrefix.Length..].Split("__");
        if (segments.Any(s => s.Length == 0)) return null;
        return "trader." + string.Join('.', segments.Select(s => s.ToLowerInvariant().Replace('_', '-')));
    }

    /// <summary>The environment variable for a setting: <c>trader.risk.min-cash-reserve</c> → <c>TRADER_RISK__MIN_CASH_RESERVE</c>.</summary>
    public static string VariableOf(string setting) =>
        EnvironmentPrefix + string.Join("__", setting["trader.".Length..].Split('.').Select(s => s.Replace('-', '_').ToUpperInvariant()));

    /// <summary>
    /// The effective <c>trader</c> settings, one per line with its source, for <c>--print-config</c>. Values of settings
    /// whose names mark them as secret are masked; a private key itself is never part of the configuration (it is read
    /// from the file or variable the settings name).
    /// </summary>
    public string Render(Func<string, string?, string?>? mask = null)
    {
        var sb = new StringBuilder();
        foreach (var setting in Settings)
        {
            string rendered;
            if (_lists.Contains(setting))
            {
                var list = _config.GetStringList(setting) ?? [];
                rendered = "[" + string.Join(", ", list.Select(Quote)) + "]";
            }
            else
            {
                var value = _config.GetString(setting);
                value = mask?.Invoke(setting, value) ?? value;
                rendered = Quote(value ?? "");
            }
            sb.Append(setting).Append(" = ").Append(rendered).Append("   # ").AppendLine(SourceOf(setting));
        }
        return sb.ToString();
    }

    private string Suggest(string setting)
    {
        var best = _leaves.Select(l => (l, Distance(l, setting))).OrderBy(x => x.Item2).FirstOrDefault();
        return best.l is not null && best.Item2 <= Math.Max(2, setting.Length / 6) ? $" (did you mean '{best.l}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) d[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = d[0];
            d[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return d[b.Length];
    }

    /// <summary>
    /// The first bracket or brace that does not match (outside strings and comments), as "line N: …", or null when
    /// they balance. HOCON's triple-quoted strings are skipped too.
    /// </summary>
    internal static string? UnbalancedBracket(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') { line++; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                i--;
                continue;
            }
            if (c == '"')
            {
                bool triple = i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"';
                if (triple)
                {
                    int close = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (close < 0) return $"line {line}: a \"\"\" string is never closed";
                    line += text.AsSpan(i, close - i).Count('\n');
                    i = close + 2;
                    continue;
                }
                int j = i + 1;
                while (j < text.Length && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
                if (j >= text.Length || text[j] != '"') return $"line {line}: a quoted string is never closed";
                i = j;
                continue;
            }
            if (c is '{' or '[') open.Push((c, line));
            else if (c is '}' or ']')
            {
                char expected = c == '}' ? '{' : '[';
                if (open.Count == 0) return $"line {line}: '{c}' closes nothing";
                var (bracket, at) = open.Pop();
                if (bracket != expected) return $"line {line}: '{c}' does not match the '{bracket}' opened on line {at}";
            }
        }
        return open.Count > 0 ? $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed" : null;
    }

    /// <summary>A list value; Akka's HOCON reports an empty list (<c>[]</c>) as neither array nor string.</summary>
    private static bool IsList(HoconValue value) => value.IsArray() || (!value.IsString() && !value.IsObject());

    private static string Quote(string? s) => "\"" + (s ?? "").Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>The leaf values under a root key, with their full paths.</summary>
    private static IEnumerable<(string Path, HoconValue Value)> Leaves(Config config, string root)
    {
        if (config.IsEmpty || !config.HasPath(root)) yield break;
        var value = config.GetValue(root);
        if (value is null || !value.IsObject()) yield break;
        foreach (var leaf in Leaves(root, value.GetObject())) yield return leaf;
    }

    private static IEnumerable<(string, HoconValue)> Leaves(string prefix, HoconObject obj)
    {
        foreach (var (key, value) in obj.Items)
        {
            var path = prefix + "." + key;
            if (value.IsObject())
            {
                foreach (var leaf in Leaves(path, value.GetObject())) yield return leaf;
            }
            else
            {
                yield return (path, value);
            }
        }
    }
}
