using System.Text.Json.Serialization;

namespace CclAgent.Simulation.Calibration;

/// <summary>Source-generated JSON for the calibration file, with the same snake_case naming as workload specs.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CalibrationFile))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
