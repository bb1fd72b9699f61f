using System.Text.Json.Serialization;

namespace CclAgent.Core.Steps;

/// <summary>How a tuning step ended (<c>status</c> in steps/step_&lt;k&gt;.json and in the memory's trials).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    /// <summary>Measured.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The job failed; <see cref="Failures.FailureClass"/> says how.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Measured, but slower than the service-level limit.</summary>
    [JsonStringEnumMemberName("sla_breach")]
    SlaBreach,

    /// <summary>Recorded and then rejected (older memory databases hold such rows).</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
}
