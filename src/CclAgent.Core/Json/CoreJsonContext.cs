using System.Text.Json.Serialization;
using CclAgent.Core.Runs;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;

namespace CclAgent.Core.Json;

/// <summary>Source-generated JSON for the core types. Unknown fields in user input are errors, not silently dropped.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(WorkloadSpec))]
[JsonSerializable(typeof(TraceEvent))]
[JsonSerializable(typeof(RunContext))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
