using System.Text.Json.Nodes;

namespace CclAgent.Incident.Tools;

/// <summary>Small builders for the JSON schemas of tool arguments.</summary>
internal static class ToolSchema
{
    public static JsonObject Object(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach ((string name, JsonObject schema) in properties)
        {
            props[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
    }

    public static JsonObject Of(string type, string description) => new() { ["type"] = type, ["description"] = description };

    public static JsonObject ArrayOf(string itemType, string description, params string[] allowed)
    {
        var items = new JsonObject { ["type"] = itemType };
        if (allowed.Length > 0)
        {
            items["enum"] = new JsonArray(allowed.Select(a => (JsonNode)a).ToArray());
        }

        return new JsonObject { ["type"] = "array", ["items"] = items, ["description"] = description };
    }
}
