using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Incident.Scenarios;

/// <summary>
/// The expected shape of a scenario file: closed objects (an unknown field is a typo, refused), typed leaves and
/// arrays. Checking returns the first problem as "JSON path: what was expected", so the CLI can print one line.
/// </summary>
internal sealed class JsonShape
{
    private readonly string _expected;
    private readonly Func<JsonNode, string, string?> _check;

    private JsonShape(string expected, Func<JsonNode, string, string?> check)
    {
        _expected = expected;
        _check = check;
    }

    public static JsonShape String { get; } = Leaf("a string", JsonValueKind.String);

    public static JsonShape Number { get; } = Leaf("a number", JsonValueKind.Number);

    public static JsonShape Integer { get; } = new("an integer", (node, path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long _)
            ? null
            : $"{path}: expected an integer, got {Describe(node)}");

    /// <summary>Any JSON value (free-form service configuration).</summary>
    public static JsonShape Any { get; } = new("any value", (_, _) => null);

    /// <summary>An object whose fields are free-form but whose values are scalars (numbers, strings, booleans).</summary>
    public static JsonShape ScalarMap { get; } = new("an object of numbers, strings or booleans", (node, path) =>
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        foreach ((string key, JsonNode? value) in obj)
        {
            if (value is not JsonValue v || v.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
            {
                return $"{path}.{key}: expected a number, string or boolean, got {Kind(value)}";
            }
        }

        return null;
    });

    public static JsonShape Enum(params string[] values) => new($"one of {string.Join("|", values)}", (node, path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && values.Contains(v.GetValue<string>(), StringComparer.Ordinal)
            ? null
            : $"{path}: expected one of {string.Join("|", values)}, got {Describe(node)}");

    public static JsonShape Object(params (string Field, JsonShape Shape)[] fields) => new("an object", (node, path) =>
    {
        var known = fields.ToDictionary(f => f.Field, f => f.Shape, StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in (JsonObject)node)
        {
            if (!known.TryGetValue(key, out JsonShape? shape))
            {
                return $"{path}.{key}: unknown field; expected one of {string.Join(", ", known.Keys)}";
            }

            if (shape.Check(value, $"{path}.{key}") is string problem)
            {
                return problem;
            }
        }

        return null;
    }, JsonValueKind.Object);

    public static JsonShape ArrayOf(JsonShape item) => new($"an array of {item._expected}", (node, path) =>
    {
        int i = 0;
        foreach (JsonNode? element in (JsonArray)node)
        {
            if (item.Check(element, $"{path}[{i++}]") is string problem)
            {
                return problem;
            }
        }

        return null;
    }, JsonValueKind.Array);

    /// <summary>Null when <paramref name="node"/> fits; else "path: expected …, got …". JSON null is accepted as "absent".</summary>
    public string? Check(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        return _check(node, path);
    }

    private JsonShape(string expected, Func<JsonNode, string, string?> check, JsonValueKind container)
        : this(expected, (node, path) => node.GetValueKind() == container ? check(node, path) : $"{path}: expected {expected}, got {Describe(node)}")
    {
    }

    private static JsonShape Leaf(string expected, JsonValueKind kind) =>
        new(expected, (node, path) => node.GetValueKind() == kind ? null : $"{path}: expected {expected}, got {Describe(node)}");

    private static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Describe(JsonNode? node)
    {
        string kind = Kind(node);
        return node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? $"{kind} ({Shorten(v.ToJsonString())})"
            : kind;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
