using System.Text.Json.Serialization;

namespace CclAgent.Tuning.Records;

/// <summary>What the loop did with a step (<c>decision</c> in steps/step_&lt;k&gt;.json); a stop is recorded separately.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepDecision>))]
public enum StepDecision
{
    /// <summary>Faster than the incumbent beyond noise: the new incumbent.</summary>
    [JsonStringEnumMemberName("accept")]
    Accept,

    /// <summary>Measured, not faster beyond noise.</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,

    /// <summary>Failed: back to the last known-good configuration.</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,

    /// <summary>NCCL's defaults measured as the baseline.</summary>
    [JsonStringEnumMemberName("baseline")]
    Baseline,

    /// <summary>The run stopped here (the baseline failed).</summary>
    [JsonStringEnumMemberName("stop")]
    Stop,
}
