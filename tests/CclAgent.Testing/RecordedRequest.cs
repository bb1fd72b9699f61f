using System.Text.Json;

namespace CclAgent.Testing;

/// <summary>A request as the loopback server received it (header names lower-cased in <see cref="Headers"/>).</summary>
public sealed record RecordedRequest(string Method, string Path, string Body, string? Authorization, IReadOnlyDictionary<string, string>? Headers = null)
{
    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name.ToLowerInvariant(), out string? value) ? value : null;

    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <summary>The text of every message in an Ollama or OpenAI chat request, joined.</summary>
    public string AllMessages()
    {
        using JsonDocument doc = Json();
        return string.Join("\n", doc.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").ValueKind == JsonValueKind.String ? m.GetProperty("content").GetString() : m.GetProperty("content").GetRawText()));
    }
}
