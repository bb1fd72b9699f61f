using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CclAgent.Llm.Replies;

/// <summary>
/// Strict reply parsing: the whole reply must be one JSON object (no prose, no code fences), and it
/// must deserialize into the reply type under a contract that rejects unknown members, missing required
/// members and nulls where the type has none. Anything else is a failure with a message the model can act on.
/// </summary>
public static class ReplyParser
{
    public static ParsedReply<T> Parse<T>(string? text, JsonTypeInfo<T> contract)
        where T : class
    {
        string trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return new(null, ParsedReply<T>.InvalidJson, "the reply was empty; expected one JSON object");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(trimmed);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(null, ParsedReply<T>.SchemaViolation, $"the reply is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; expected one JSON object");
            }
        }
        catch (JsonException ex)
        {
            return new(null, ParsedReply<T>.InvalidJson, $"the reply is not valid JSON ({ex.Message}); reply with one JSON object only, no prose or code fences");
        }

        try
        {
            T? value = JsonSerializer.Deserialize(trimmed, contract);
            return value is null
                ? new(null, ParsedReply<T>.SchemaViolation, "the reply was JSON null; expected one JSON object")
                : new(value, null, null);
        }
        catch (JsonException ex)
        {
            return new(null, ParsedReply<T>.SchemaViolation, $"the reply does not match the schema: {ex.Message}");
        }
    }
}
