using System.Text.Json.Nodes;

namespace CclAgent.Incident.Agent;

/// <summary>
/// A tool result as handed to a model: at most <see cref="MaxChars"/> characters of JSON (about 8k tokens at ~4
/// characters a token). Over it, the longest arrays and strings are cut first and <c>truncated: true</c> is set.
/// </summary>
internal static class ModelOutputCap
{
    public const int MaxChars = 32_000;

    public static string Cap(JsonNode result, int maxChars = MaxChars)
    {
        string text = result.ToJsonString();
        if (text.Length <= maxChars)
        {
            return text;
        }

        var copy = (JsonNode)result.DeepClone();
        if (copy is JsonObject root)
        {
            root["truncated"] = true;
        }

        for (int pass = 0; pass < 64 && text.Length > maxChars; pass++)
        {
            if (!ShrinkLargest(copy))
            {
                break;
            }

            text = copy.ToJsonString();
        }

        // Still over (one huge scalar): cut the text itself; the marker says so.
        return text.Length <= maxChars ? text : text[..(maxChars - 40)] + "…\",\"truncated\":true}";
    }

    private static bool ShrinkLargest(JsonNode root)
    {
        (JsonNode? node, int size) largest = (null, 0);
        Visit(root, n =>
        {
            int size = n is JsonArray a ? a.ToJsonString().Length : n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>().Length : 0;
            if (size > largest.size && (n is not JsonArray arr || arr.Count > 1))
            {
                largest = (n, size);
            }
        });

        switch (largest.node)
        {
            case JsonArray array:
                int keep = array.Count / 2;
                while (array.Count > keep)
                {
                    array.RemoveAt(array.Count - 1);
                }

                return true;
            case JsonValue value when value.Parent is JsonObject parent:
                string s = value.GetValue<string>();
                string name = parent.First(kv => ReferenceEquals(kv.Value, value)).Key;
                parent[name] = s[..(s.Length / 2)] + "…[truncated]";
                return true;
            case JsonValue value when value.Parent is JsonArray parentArray:
                string t = value.GetValue<string>();
                parentArray[parentArray.IndexOf(value)] = t[..(t.Length / 2)] + "…[truncated]";
                return true;
            default:
                return false;
        }
    }

    private static void Visit(JsonNode? node, Action<JsonNode> action)
    {
        if (node is null)
        {
            return;
        }

        action(node);
        if (node is JsonObject obj)
        {
            foreach (var kv in obj)
            {
                Visit(kv.Value, action);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Visit(item, action);
            }
        }
    }
}
