using System.Text.Json;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Json;

/// <summary>The artifact spelling of the records other tools read (snake_case, as summary.json and steps/ hold them).</summary>
public static class TuningJson
{
    public static string Serialize(TuningSummary summary) => JsonSerializer.Serialize(summary, TuningJsonContext.Default.TuningSummary);

    public static string Serialize(StepRecord step) => JsonSerializer.Serialize(step, TuningJsonContext.Default.StepRecord);

    /// <summary>The type information of offline/replay.json, for readers that report their own errors.</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ReplayInputs> ReplayInputsType => TuningJsonContext.Default.ReplayInputs;

    public static StepRecord? DeserializeStep(string json) => JsonSerializer.Deserialize(json, TuningJsonContext.Default.StepRecord);
}
