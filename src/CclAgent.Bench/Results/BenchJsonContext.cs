using System.Text.Json.Serialization;

namespace CclAgent.Bench.Results;

/// <summary>Source-generated JSON for bench results (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(Matrix.MemoryMatrixReport))]
public sealed partial class BenchJsonContext : JsonSerializerContext;
