using System.Text.Json.Serialization;

namespace CclAgent.Tuning.Advice;

/// <summary>
/// The reply contract, strict: unknown members, missing required members and nulls are schema
/// violations, never silently tolerated. The JSON schema sent to the model is generated from the same types.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BaselineReply))]
[JsonSerializable(typeof(HypothesesReply))]
internal sealed partial class AdviceJsonContext : JsonSerializerContext;
