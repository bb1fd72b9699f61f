using System.Text.Json;

namespace CclAgent.Core.Tests.Support;

/// <summary>Reads a trace file while its writer may still hold it open.</summary>
internal static class TraceFile
{
    public static IReadOnlyList<string> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static IReadOnlyList<JsonElement> Events(string path) =>
        Lines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public static string? Text(this JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
}
