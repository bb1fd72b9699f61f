using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Incident.Tools;

/// <summary>Typed reads of tool arguments that tolerate what a model sends (a number as a string, a missing field).</summary>
internal static class ToolArgs
{
    public static int Int(JsonObject args, string name, int fallback, int min, int max)
    {
        double? value = Number(args[name]);
        return value is double d && !double.IsNaN(d) ? (int)Math.Clamp(d, min, max) : fallback;
    }

    public static string? String(JsonObject args, string name) =>
        args[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static IReadOnlyList<string> Strings(JsonObject args, string name) => args[name] switch
    {
        JsonArray array => array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };

    public static double? Number(JsonNode? node) => node switch
    {
        // A value built from an int is not readable as a double: its JSON text always is.
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue(out double d) ? d : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && double.TryParse(v.GetValue<string>(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => null,
    };

    public static double? Number(JsonNode? node, string path)
    {
        JsonNode? current = node;
        foreach (string part in path.Split('.'))
        {
            current = current is JsonObject obj ? obj[part] : null;
        }

        return Number(current);
    }
}
