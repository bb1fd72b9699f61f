using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CclAgent.Core.Validation;

/// <summary>
/// Says what kind of JSON value belongs at a path ("$.cluster.nodes" → "an integer") by walking the
/// serializer's own metadata, so wrong-type messages describe the field rather than its parent.
/// </summary>
internal static partial class JsonPathTypes
{
    /// <summary>The expectation for the value at <paramref name="path"/>, or null when the path does not resolve.</summary>
    public static string? Describe(JsonTypeInfo root, string path) => Resolve(root, path) is { } info ? Kind(info) : null;

    /// <summary>The CLR type of the value at <paramref name="path"/> (nullable unwrapped), or null when the path does not resolve.</summary>
    public static Type? ClrType(JsonTypeInfo root, string path) =>
        Resolve(root, path) is { } info ? Nullable.GetUnderlyingType(info.Type) ?? info.Type : null;

    /// <summary>The element of a parsed document at <paramref name="path"/>, or null when the document has none there.</summary>
    public static JsonElement? Find(JsonElement root, string path)
    {
        JsonElement current = root;
        foreach (Match segment in Segment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                int index = int.Parse(segment.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(Name(segment), out current))
            {
                return null;
            }
        }

        return current;
    }

    private static JsonTypeInfo? Resolve(JsonTypeInfo root, string path)
    {
        JsonTypeInfo? current = root;
        foreach (Match segment in Segment().Matches(path))
        {
            current = segment.Groups["index"].Success ? Element(current) : Member(current, Name(segment));
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static string Name(Match segment) => segment.Groups["name"].Success
        ? segment.Groups["name"].Value
        : segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);

    private static JsonTypeInfo? Element(JsonTypeInfo? info) =>
        info is { Kind: JsonTypeInfoKind.Enumerable, ElementType: Type element } ? info.Options.GetTypeInfo(element) : null;

    private static JsonTypeInfo? Member(JsonTypeInfo? info, string name)
    {
        if (info is { Kind: JsonTypeInfoKind.Dictionary, ElementType: Type value })
        {
            return info.Options.GetTypeInfo(value);
        }

        JsonPropertyInfo? property = info?.Kind == JsonTypeInfoKind.Object
            ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))
            : null;
        return property is null ? null : info!.Options.GetTypeInfo(property.PropertyType);
    }

    private static string Kind(JsonTypeInfo info)
    {
        Type type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Dictionary => "an object of name/value pairs",
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object => "an object",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "an integer",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date-time string",
            _ => "a " + type.Name,
        };
    }

    // STJ writes paths as $.name, $[0] and $['odd.name'] (quotes doubled inside).
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]")]
    private static partial Regex Segment();
}
