using System.Text.Json.Nodes;
using CclAgent.Core.Secrets;

namespace CclAgent.Incident.Agent;

/// <summary>Every string of a JSON tree through the project's redactor, by its key's name and by its shape.</summary>
internal static class SecretMasking
{
    public static JsonNode? Mask(JsonNode? node, string? key = null)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string name in obj.Select(kv => kv.Key).ToList())
                {
                    JsonNode? child = obj[name];
                    JsonNode? maskedChild = Mask(child, name);
                    if (!ReferenceEquals(child, maskedChild))
                    {
                        obj[name] = maskedChild;
                    }
                }

                return obj;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    JsonNode? item = array[i];
                    JsonNode? maskedItem = Mask(item, key);
                    if (!ReferenceEquals(item, maskedItem))
                    {
                        array[i] = maskedItem;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                string text = value.GetValue<string>();
                string masked = key is null ? SecretRedactor.Redact(text) : SecretRedactor.RedactValue(key, text);
                return masked == text ? node : JsonValue.Create(masked);
            case JsonValue value when key is not null && SecretRedactor.IsSecretName(key) && !IsHarmlessNumber(key):
                return JsonValue.Create(SecretRedactor.Mask);
            default:
                return node;
        }
    }

    /// <summary>Token counts and key-value cache sizes are named like secrets but are numbers worth keeping.</summary>
    private static bool IsHarmlessNumber(string key) =>
        key.Contains("tokens", StringComparison.OrdinalIgnoreCase) || key.Contains("kv", StringComparison.OrdinalIgnoreCase);
}
