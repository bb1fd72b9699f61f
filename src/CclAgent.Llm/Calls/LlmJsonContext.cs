using System.Text.Json.Serialization;

namespace CclAgent.Llm.Calls;

/// <summary>Source-generated JSON for prompt packs and trace payloads (snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PromptPack))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
public sealed partial class LlmJsonContext : JsonSerializerContext;
