using System.Text.Json;

using CclAgent.Core.Context;

namespace CclAgent.Memory.Storage;

/// <summary>Conversions between record values and the JSON text columns that hold them.</summary>
internal static class JsonColumns
{
    /// <summary>Canonical JSON (keys sorted ordinal), so equal configs are equal text and hash alike.</summary>
    public static string Config(IReadOnlyDictionary<string, string> config) =>
        JsonSerializer.Serialize(ConfigKeys.Sorted(config), MemoryJsonContext.Default.SortedDictionaryStringString);

    public static IReadOnlyDictionary<string, string> ReadConfig(string json) =>
        JsonSerializer.Deserialize(json, MemoryJsonContext.Default.DictionaryStringString) ?? Corrupt<Dictionary<string, string>>("config");

    public static string Features(ContextFeatures features) =>
        JsonSerializer.Serialize(features, MemoryJsonContext.Default.ContextFeatures);

    public static ContextFeatures ReadFeatures(string json) =>
        JsonSerializer.Deserialize(json, MemoryJsonContext.Default.ContextFeatures) ?? Corrupt<ContextFeatures>("features");

    public static string Strings(IEnumerable<string> values) =>
        JsonSerializer.Serialize(values.ToList(), MemoryJsonContext.Default.ListString);

    public static IReadOnlyList<string> ReadStrings(string json) =>
        JsonSerializer.Deserialize(json, MemoryJsonContext.Default.ListString) ?? Corrupt<List<string>>("list");

    private static T Corrupt<T>(string what) =>
        throw new MemoryStoreException($"A stored {what} column holds JSON null; the memory database is damaged.");
}
