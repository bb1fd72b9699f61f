using System.Text.Json.Serialization;

namespace CclAgent.Reporting.Runs;

/// <summary>Source-generated JSON for the run-directory files the report reads; unknown fields are skipped on purpose.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(StepFile))]
[JsonSerializable(typeof(PlanFile))]
[JsonSerializable(typeof(LlmCallFile))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
