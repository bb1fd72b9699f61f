using System.Text.Json.Serialization;

namespace CclAgent.Cli.Configuration;

/// <summary>Source-generated JSON for the CLI's own files; unknown fields are errors.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentConfig))]
[JsonSerializable(typeof(ConfigSnapshot))]
public sealed partial class CliJsonContext : JsonSerializerContext;
