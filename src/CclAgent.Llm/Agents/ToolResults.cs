using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Llm.Agents;

/// <summary>Turns what a tool returned (or threw) into what the model may see: secrets masked, size capped, status read.</summary>
internal static class ToolResults
{
    public static ToolOutcome FromResult(JsonNode? result, Func<string, string> redact, int maxChars)
    {
        string text = Mask(result, redact);
        (AgentToolStatus status, string? error) = StatusOf(result);
        error = error is null ? null : redact(error);
        if (text.Length <= maxChars)
        {
            return new ToolOutcome(JsonDocument.Parse(text).RootElement.Clone(), status, error, false);
        }

        // Cut JSON is not JSON any more, so the model gets the head as text, flagged, with the full size.
        var cut = new JsonObject
        {
            ["truncated"] = true,
            ["original_chars"] = text.Length,
            ["text"] = text[..maxChars],
        };
        return new ToolOutcome(ToElement(cut), status, error, true);
    }

    public static ToolOutcome FromError(string kind, string message, AgentToolStatus status = AgentToolStatus.Error)
    {
        var error = new JsonObject
        {
            ["status"] = "error",
            ["error"] = new JsonObject { ["kind"] = kind, ["message"] = message },
        };
        return new ToolOutcome(ToElement(error), status, $"{kind}: {message}", false);
    }

    /// <summary>
    /// Masks string leaves one by one (a token inside a log line), then the whole text (a <c>"password": "…"</c> pair,
    /// whose secret only shows with its key); the leaf pass alone when the whole-text pass would break the JSON.
    /// </summary>
    public static string Mask(JsonNode? node, Func<string, string> redact)
    {
        JsonNode? masked = MaskLeaves(node?.DeepClone(), redact);
        string text = masked?.ToJsonString() ?? "null";
        string whole = redact(text);
        try
        {
            using JsonDocument _ = JsonDocument.Parse(whole);
            return whole;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    public static JsonElement ToElement(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    private static JsonNode? MaskLeaves(JsonNode? node, Func<string, string> redact)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string key in obj.Select(p => p.Key).ToList())
                {
                    // Re-assigning the same (parented) child throws: replace only leaves that changed.
                    JsonNode? child = obj[key];
                    JsonNode? masked = MaskLeaves(child, redact);
                    if (!ReferenceEquals(child, masked))
                    {
                        obj[key] = masked;
                    }
                }

                return obj;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    JsonNode? item = array[i];
                    JsonNode? masked = MaskLeaves(item, redact);
                    if (!ReferenceEquals(item, masked))
                    {
                        array[i] = masked;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue(out string? text):
                return JsonValue.Create(redact(text));
            default:
                return node;
        }
    }

    private static (AgentToolStatus Status, string? Error) StatusOf(JsonNode? result)
    {
        if (result is not JsonObject obj || obj["status"] is not JsonValue v || !v.TryGetValue(out string? status))
        {
            return (AgentToolStatus.Success, null);
        }

        return status switch
        {
            "error" => (AgentToolStatus.Error, obj["error"]?["message"]?.ToString() ?? obj["error"]?.ToString() ?? "error"),
            "no_data" => (AgentToolStatus.NoData, null),
            _ => (AgentToolStatus.Success, null),
        };
    }
}
