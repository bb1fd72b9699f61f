using System.Text.Json.Serialization;

namespace CclAgent.Core.Steps;

/// <summary>What a tuning step is for (<c>kind</c> in steps/step_&lt;k&gt;.json and in the memory's trials).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepKind>))]
public enum StepKind
{
    /// <summary>NCCL's defaults, measured for the speedup.</summary>
    [JsonStringEnumMemberName("baseline")]
    Baseline,

    /// <summary>A candidate configuration.</summary>
    [JsonStringEnumMemberName("trial")]
    Trial,

    /// <summary>The best configuration re-run after the search.</summary>
    [JsonStringEnumMemberName("confirm")]
    Confirm,
}
