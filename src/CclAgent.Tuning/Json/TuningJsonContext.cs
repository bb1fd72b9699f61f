using System.Text.Json.Serialization;
using CclAgent.Tuning.CrossRun;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Json;

/// <summary>Source-generated JSON for the tuning artifacts (snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StepRecord))]
[JsonSerializable(typeof(TuningSummary))]
[JsonSerializable(typeof(OfflinePlan))]
[JsonSerializable(typeof(MicrobenchmarkResult))]
[JsonSerializable(typeof(DecisionRecord))]
[JsonSerializable(typeof(SurrogateTrainingReport))]
[JsonSerializable(typeof(ReplayInputs))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class TuningJsonContext : JsonSerializerContext;
