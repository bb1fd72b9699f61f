using System.Text.Json.Serialization;

namespace CclAgent.Diagnosis.Reports;

/// <summary>Source-generated JSON for the diagnosis report (snake_case; schema in docs/diagnose.md).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DiagnosisReport))]
public sealed partial class DiagnosisJsonContext : JsonSerializerContext;
