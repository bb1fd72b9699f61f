using System.Text.Json.Serialization;

namespace CclAgent.Trace.Report;

/// <summary>Source-generated serialisation of the report, snake_case like every ccl-agent artifact.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TraceReport))]
public sealed partial class TraceJsonContext : JsonSerializerContext;
