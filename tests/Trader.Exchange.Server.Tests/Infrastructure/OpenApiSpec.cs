using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Trader.Exchange.Server.Tests.Infrastructure;

/// <summary>
/// Kalshi's own OpenAPI spec (<c>shared/reference/kalshi-spec/openapi.yaml</c>, read where it lies, never copied into the
/// repository) and a small checker of a JSON value against one of its schemas: required fields present, types
/// (string, integer, number, boolean, array, object), string enums, <c>$ref</c>, <c>allOf</c>, <c>nullable</c>, array
/// items and nested objects.
/// </summary>
public sealed class OpenApiSpec
{
    public const string FileName = "openapi.yaml";

    private readonly YamlMappingNode _schemas;

    private OpenApiSpec(YamlMappingNode schemas) => _schemas = schemas;

    private static readonly Lazy<OpenApiSpec?> Loaded = new(() => Locate() is { } path ? Load(path) : null);

    public static OpenApiSpec? Instance => Loaded.Value;

    /// <summary>
    /// <c>KALSHI_SPEC_DIR</c>, else <c>shared/reference/kalshi-spec/</c> beside the repository or any folder above the
    /// tests, else <c>/work/shared/reference/kalshi-spec/</c>.
    /// </summary>
    public static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("KALSHI_SPEC_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return File.Exists(Path.Combine(fromEnv, FileName)) ? Path.Combine(fromEnv, FileName) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "kalshi-spec", FileName);
            if (File.Exists(candidate)) return candidate;
        }
        const string fixedPlace = "/work/shared/reference/kalshi-spec/" + FileName;
        return File.Exists(fixedPlace) ? fixedPlace : null;
    }

    private static OpenApiSpec Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var components = (YamlMappingNode)root.Children[new YamlScalarNode("components")];
        return new OpenApiSpec((YamlMappingNode)components.Children[new YamlScalarNode("schemas")]);
    }

    public bool Has(string schema) => _schemas.Children.ContainsKey(new YamlScalarNode(schema));

    /// <summary>The problems of <paramref name="value"/> against the schema; required fields named in <paramref name="exempt"/> may be absent.</summary>
    public List<string> Check(JsonElement value, string schema, IReadOnlySet<string>? exempt = null)
    {
        var problems = new List<string>();
        Validate(value, Schema(schema), schema, problems, exempt ?? new HashSet<string>());
        return problems;
    }

    private YamlMappingNode Schema(string name) =>
        _schemas.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (YamlMappingNode)node : throw new ArgumentException($"no schema {name} in the spec");

    private void Validate(JsonElement value, YamlMappingNode schema, string path, List<string> problems, IReadOnlySet<string> exempt)
    {
        if (Scalar(schema, "$ref") is { } reference)
        {
            if (value.ValueKind == JsonValueKind.Null && Scalar(schema, "nullable") == "true") return;
            Validate(value, Schema(reference[(reference.LastIndexOf('/') + 1)..]), path, problems, exempt);
            return;
        }
        if (schema.Children.TryGetValue(new YamlScalarNode("allOf"), out var allOf))
        {
            foreach (var part in ((YamlSequenceNode)allOf).Children.OfType<YamlMappingNode>()) Validate(value, part, path, problems, exempt);
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (Scalar(schema, "nullable") != "true") problems.Add($"{path}: null where the spec does not allow it");
            return;
        }
        string? type = Scalar(schema, "type");
        switch (type)
        {
            case "string":
                if (value.ValueKind != JsonValueKind.String) problems.Add($"{path}: expected a string, got {value.ValueKind}");
                else if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var e))
                {
                    var words = ((YamlSequenceNode)e).Children.OfType<YamlScalarNode>().Select(s => s.Value).ToList();
                    if (!words.Contains(value.GetString())) problems.Add($"{path}: '{value.GetString()}' is not one of {string.Join(", ", words)}");
                }
                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _)) problems.Add($"{path}: expected an integer, got {value}");
                break;
            case "number":
                if (value.ValueKind != JsonValueKind.Number) problems.Add($"{path}: expected a number, got {value.ValueKind}");
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: expected a boolean, got {value.ValueKind}");
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{path}: expected an array, got {value.ValueKind}");
                    break;
                }
                if (schema.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlMappingNode itemSchema)
                {
                    int i = 0;
                    foreach (var item in value.EnumerateArray()) Validate(item, itemSchema, $"{path}[{i++}]", problems, exempt);
                }
                break;
        }
        if (type == "object" || (type is null && schema.Children.ContainsKey(new YamlScalarNode("properties"))))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: expected an object, got {value.ValueKind}");
                return;
            }
            if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required))
            {
                foreach (var field in ((YamlSequenceNode)required).Children.OfType<YamlScalarNode>().Select(s => s.Value!))
                {
                    if (!value.TryGetProperty(field, out _) && !exempt.Contains(field)) problems.Add($"{path}: required field '{field}' is missing");
                }
            }
            if (schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
            {
                foreach (var (key, propertySchema) in ((YamlMappingNode)properties).Children)
                {
                    string name = ((YamlScalarNode)key).Value!;
                    if (value.TryGetProperty(name, out var field) && propertySchema is YamlMappingNode ps)
                        Validate(field, ps, $"{path}.{name}", problems, exempt);
                }
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value?.ToString(CultureInfo.InvariantCulture) : null;
}

/// <summary>A fact that runs where Kalshi's <c>openapi.yaml</c> can be read; elsewhere it is skipped with the reason.</summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute()
    {
        if (OpenApiSpec.Locate() is null)
            Skip = $"Kalshi's {OpenApiSpec.FileName} is not here (set KALSHI_SPEC_DIR or place shared/reference/kalshi-spec/ beside the repository); it is never copied into the repository";
    }
}
