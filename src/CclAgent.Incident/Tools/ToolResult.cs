using System.Text.Json.Nodes;

namespace CclAgent.Incident.Tools;

/// <summary>Builds the three result shapes every tool returns.</summary>
internal static class ToolResult
{
    public static JsonObject Success(JsonObject payload)
    {
        var result = new JsonObject { ["status"] = ToolStatus.Success };
        foreach ((string key, JsonNode? value) in payload.ToList())
        {
            payload.Remove(key);
            result[key] = value;
        }

        return result;
    }

    public static JsonObject Error(string kind, string message) => new()
    {
        ["status"] = ToolStatus.Error,
        ["error"] = new JsonObject { ["kind"] = kind, ["message"] = message },
    };

    public static JsonObject NoData(string message) => new() { ["status"] = ToolStatus.NoData, ["message"] = message };

    public static string StatusOf(JsonNode? result) =>
        result is JsonObject obj && obj["status"] is JsonValue v && v.TryGetValue(out string? s) ? s : ToolStatus.Error;

    public static bool IsSuccess(JsonNode? result) => StatusOf(result) == ToolStatus.Success;
}
