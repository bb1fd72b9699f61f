using System.Text.Json.Serialization;

namespace CclAgent.Cli.Replay;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReplayReport))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;
