using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Testing;

/// <summary>
/// Tool-calling replies in the exact wire formats of the three providers, and the tool results a client sent back.
/// Shapes follow the public protocol references:
/// Ollama <c>docs/api.md</c> ("Chat request (with tools)": <c>message.tool_calls[].function.{name, arguments}</c>,
/// arguments an object; tool results as <c>{"role":"tool","content":…}</c>) in github.com/ollama/ollama;
/// OpenAI's Chat Completions reference (<c>choices[0].message.tool_calls[].{id, type:"function",
/// function:{name, arguments}}</c>, arguments a JSON string, <c>finish_reason:"tool_calls"</c>; results as
/// <c>{"role":"tool","tool_call_id":…}</c>); Anthropic's Messages API, tool use overview
/// (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview) and the SDK's generated
/// <c>src/anthropic/types/message.py</c> in anthropics/anthropic-sdk-python (<c>content[]</c> of <c>text</c> and
/// <c>tool_use{id, name, input}</c> blocks, <c>stop_reason:"tool_use"|"end_turn"</c>; results as user
/// <c>tool_result{tool_use_id, content}</c> blocks).
/// </summary>
public static class ToolProtocols
{
    public static string Path(ChatProtocol protocol) => protocol switch
    {
        ChatProtocol.Ollama => "/api/chat",
        ChatProtocol.OpenAI => "/v1/chat/completions",
        _ => "/v1/messages",
    };

    /// <summary>The endpoint a client of <paramref name="protocol"/> is configured with for a server at <paramref name="baseUrl"/>.</summary>
    public static string Endpoint(ChatProtocol protocol, string baseUrl) => protocol == ChatProtocol.OpenAI ? baseUrl + "/v1" : baseUrl;

    /// <summary>Writes one scripted reply; <paramref name="round"/> (1-based) makes the tool-call ids unique.</summary>
    public static Task ReplyAsync(ChatProtocol protocol, RecordedRequest request, HttpListenerResponse response, ScriptedStep step, int round, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(step);
        string id = string.Create(CultureInfo.InvariantCulture, $"call_{round:D2}");
        JsonNode body = protocol switch
        {
            ChatProtocol.Ollama => Ollama(step),
            ChatProtocol.OpenAI => OpenAI(step, id),
            _ => Anthropic(step, "toolu_" + id),
        };
        bool streamed = protocol == ChatProtocol.Ollama && request.Json().RootElement.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
        response.ContentType = streamed ? "application/x-ndjson" : "application/json";

        // A streamed Ollama reply is NDJSON; one complete line with done:true is a valid stream.
        return WriteAsync(response, body.ToJsonString() + (streamed ? "\n" : string.Empty), ct);
    }

    /// <summary>The content of every tool result in a request, in order, as the text the client sent.</summary>
    public static IReadOnlyList<string> ToolResultsSent(ChatProtocol protocol, RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using JsonDocument doc = request.Json();
        var results = new List<string>();
        foreach (JsonElement message in doc.RootElement.GetProperty("messages").EnumerateArray())
        {
            if (protocol != ChatProtocol.Anthropic)
            {
                if (message.GetProperty("role").GetString() == "tool")
                {
                    results.Add(Text(message.GetProperty("content")));
                }

                continue;
            }

            if (message.GetProperty("content").ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            results.AddRange(message.GetProperty("content").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "tool_result")
                .Select(b => b.TryGetProperty("content", out JsonElement c) ? Text(c) : string.Empty));
        }

        return results;
    }

    /// <summary>The names of the tools a request offered the model.</summary>
    public static IReadOnlyList<string> ToolsOffered(ChatProtocol protocol, RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using JsonDocument doc = request.Json();
        if (!doc.RootElement.TryGetProperty("tools", out JsonElement tools))
        {
            return [];
        }

        return tools.EnumerateArray()
            .Select(t => protocol == ChatProtocol.Anthropic ? t.GetProperty("name").GetString()! : t.GetProperty("function").GetProperty("name").GetString()!)
            .ToList();
    }

    public static Task InvalidJsonAsync(HttpListenerResponse response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "application/json";
        return WriteAsync(response, "{\"choices\": [ {\"message\": ", ct);
    }

    private static JsonObject Ollama(ScriptedStep step)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = step.Text ?? string.Empty };
        if (step.Tool is not null)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["function"] = new JsonObject { ["name"] = step.Tool, ["arguments"] = JsonNode.Parse(step.ArgumentsJson ?? "{}") },
            });
        }

        return new JsonObject
        {
            ["model"] = "llama3.1",
            ["created_at"] = "2025-06-01T12:00:00.000000Z",
            ["message"] = message,
            ["done"] = true,
            ["done_reason"] = "stop",
            ["prompt_eval_count"] = 321,
            ["eval_count"] = 45,
        };
    }

    private static JsonObject OpenAI(ScriptedStep step, string id)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = step.Text };
        if (step.Tool is not null)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = step.Tool, ["arguments"] = step.ArgumentsJson ?? "{}" },
            });
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-" + id,
            ["object"] = "chat.completion",
            ["created"] = 1_750_000_000,
            ["model"] = "gpt-4o-mini",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = step.Tool is null ? "stop" : "tool_calls",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 210, ["completion_tokens"] = 30, ["total_tokens"] = 240 },
        };
    }

    private static JsonObject Anthropic(ScriptedStep step, string id)
    {
        var content = new JsonArray();
        if (step.Text is not null)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = step.Text });
        }

        if (step.Tool is not null)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = step.Tool, ["input"] = JsonNode.Parse(step.ArgumentsJson ?? "{}") });
        }

        return new JsonObject
        {
            ["id"] = "msg_" + id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "minimax-m2.1",
            ["content"] = content,
            ["stop_reason"] = step.Tool is null ? "end_turn" : "tool_use",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 410, ["output_tokens"] = 52 },
        };
    }

    // A tool_result's content is a string, or (Anthropic) an array of text blocks.
    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!,
        JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(b => b.TryGetProperty("text", out JsonElement t) ? t.GetString() : b.GetRawText())),
        _ => content.GetRawText(),
    };

    private static async Task WriteAsync(HttpListenerResponse response, string text, CancellationToken ct)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await response.OutputStream.WriteAsync(bytes, ct);
        await response.OutputStream.FlushAsync(ct);
    }
}
