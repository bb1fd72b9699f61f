using System.Text;
using System.Text.Json;
using CclAgent.Llm.Calls;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Agents;

/// <summary>
/// Writes tool-calling messages into prompt-pack form: text as is, a tool call as <c>tool_call NAME(ARGS) [id]</c>,
/// a tool result as <c>tool_result [id] RESULT</c>, everything masked.
/// </summary>
internal static class PackMessages
{
    public static PackMessage Render(ChatMessage message, Func<string, string> redact) =>
        new(message.Role.Value, redact(Text(message.Contents)));

    public static string Text(IEnumerable<AIContent> contents)
    {
        var text = new StringBuilder();
        foreach (AIContent content in contents)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            switch (content)
            {
                case TextContent t:
                    text.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    text.Append("tool_call ").Append(call.Name).Append('(').Append(Json(call.Arguments)).Append(") [").Append(call.CallId).Append(']');
                    break;
                case FunctionResultContent result:
                    text.Append("tool_result [").Append(result.CallId).Append("] ").Append(Json(result.Result));
                    break;
                default:
                    text.Append('[').Append(content.GetType().Name).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    private static string Json(object? value) => value switch
    {
        null => "null",
        string s => s,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };
}
