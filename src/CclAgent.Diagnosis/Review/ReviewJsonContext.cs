using System.Text.Json.Serialization;

namespace CclAgent.Diagnosis.Review;

/// <summary>
/// Strict contracts for the model's replies (snake_case): unknown members, missing members and nulls are
/// schema violations, so a sloppy reply is repaired once or discarded rather than half-read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CorrelationReply))]
[JsonSerializable(typeof(RootCauseReply))]
[JsonSerializable(typeof(RecommendationsReply))]
public sealed partial class ReviewJsonContext : JsonSerializerContext;
