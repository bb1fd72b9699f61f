using System.Text.Json;

namespace CclAgent.Testing;

/// <summary>
/// Reading the hand-written <c>case.json</c> files of the real-data corpora (watch's RealLogs, diagnose's RealFailures):
/// every case file under a corpus directory in a fixed order, and the optional fields a case may leave out.
/// </summary>
public static class CaseJson
{
    /// <summary>Every <c>case.json</c> under <paramref name="corpusDirectory"/>, ordinally sorted, read by <paramref name="load"/>.</summary>
    public static IReadOnlyList<T> LoadAll<T>(string corpusDirectory, Func<string, T> load) =>
        Directory.EnumerateFiles(corpusDirectory, "case.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(load)
            .ToList();

    public static List<string> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];

    public static bool? OptionalBool(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static int? OptionalInt(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
