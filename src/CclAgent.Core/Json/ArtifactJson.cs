using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CclAgent.Core.Files;

namespace CclAgent.Core.Json;

/// <summary>Writes an artifact as indented JSON, atomically.</summary>
public static class ArtifactJson
{
    public static Task WriteAsync<T>(string path, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var options = new JsonSerializerOptions(typeInfo.Options) { WriteIndented = true };
        var indented = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        return AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(value, indented) + "\n", cancellationToken);
    }

    /// <summary>Serializes a value into a JsonElement for trace payloads.</summary>
    public static JsonElement ToElement<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToElement(value, typeInfo);
}
