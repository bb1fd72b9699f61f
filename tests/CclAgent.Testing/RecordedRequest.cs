using System.Text.Json;

namespace CclAgent.Testing;

/// <summary>A request as the loopback server received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Body, string? Authorization)
{
    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <summary>The text of every message in an Ollama or OpenAI chat request, joined.</summary>
    public string AllMessages()
    {
        using JsonDocument doc = Json();
        return string.Join("\n", doc.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").ValueKind == JsonValueKind.String ? m.GetProperty("content").GetString() : m.GetProperty("content").GetRawText()));
    }
}
