using System.Net;
using System.Text;
using System.Text.Json;

namespace CclAgent.Testing;

/// <summary>Writes replies on a <see cref="LoopbackServer"/> in the exact wire formats of Ollama's /api/chat and OpenAI's /v1/chat/completions.</summary>
public static class ChatProtocols
{
    /// <summary>The token counts every Ollama reply reports (prompt_eval_count, eval_count).</summary>
    public const int OllamaPromptTokens = 321;
    public const int OllamaReplyTokens = 45;

    public static async Task OllamaAsync(HttpListenerResponse response, string content, bool streamed, CancellationToken ct)
    {
        response.ContentType = streamed ? "application/x-ndjson" : "application/json";
        if (!streamed)
        {
            await WriteAsync(response, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = "llama3.1",
                ["created_at"] = "2025-06-01T12:00:00.000000Z",
                ["message"] = new Dictionary<string, string> { ["role"] = "assistant", ["content"] = content },
                ["done"] = true,
                ["done_reason"] = "stop",
                ["total_duration"] = 1_000_000,
                ["prompt_eval_count"] = OllamaPromptTokens,
                ["eval_count"] = OllamaReplyTokens,
            }), ct);
            return;
        }

        // NDJSON: one object per line, the content in pieces, then a final done line with the counts.
        response.SendChunked = true;
        for (int i = 0; i < content.Length; i += 7)
        {
            string piece = content.Substring(i, Math.Min(7, content.Length - i));
            string line = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = "llama3.1",
                ["created_at"] = "2025-06-01T12:00:00.000000Z",
                ["message"] = new Dictionary<string, string> { ["role"] = "assistant", ["content"] = piece },
                ["done"] = false,
            });
            await WriteAsync(response, line + "\n", ct);
        }

        await WriteAsync(response, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "llama3.1",
            ["created_at"] = "2025-06-01T12:00:01.000000Z",
            ["message"] = new Dictionary<string, string> { ["role"] = "assistant", ["content"] = string.Empty },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["prompt_eval_count"] = OllamaPromptTokens,
            ["eval_count"] = OllamaReplyTokens,
        }) + "\n", ct);
    }

    public static Task OpenAIAsync(HttpListenerResponse response, string content, CancellationToken ct)
    {
        response.ContentType = "application/json";
        return WriteAsync(response, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_750_000_000,
            ["model"] = "gpt-4o-mini",
            ["choices"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["index"] = 0,
                    ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                },
            },
            ["usage"] = new Dictionary<string, int> { ["prompt_tokens"] = 210, ["completion_tokens"] = 30, ["total_tokens"] = 240 },
        }), ct);
    }

    public static Task ErrorAsync(HttpListenerResponse response, int status, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return WriteAsync(response, "{\"error\":\"simulated server failure\"}", ct);
    }

    private static async Task WriteAsync(HttpListenerResponse response, string text, CancellationToken ct)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        await response.OutputStream.WriteAsync(bytes, ct);
        await response.OutputStream.FlushAsync(ct);
    }
}
