using System.Text.Json.Serialization;

namespace CclAgent.Tuning.Records;

/// <summary>What a step did to the job's configuration (<c>action</c> in steps/step_&lt;k&gt;.json).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepAction>))]
public enum StepAction
{
    /// <summary>A new candidate applied.</summary>
    [JsonStringEnumMemberName("apply")]
    Apply,

    /// <summary>Back to the last known-good configuration.</summary>
    [JsonStringEnumMemberName("rollback")]
    Rollback,

    /// <summary>The best configuration re-run.</summary>
    [JsonStringEnumMemberName("confirm")]
    Confirm,
}
