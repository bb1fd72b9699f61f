using System.Text.Json.Serialization;

namespace CclAgent.Llm.Tests.Support;

/// <summary>Strict contract for <see cref="ProbeReply"/>, configured like the tuning replies.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ProbeReply))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
