using System.Text.Json.Serialization;

namespace CclAgent.Core.Runs;

/// <summary>Where a run is in its life (<c>status</c> in run_context.json).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>An internal error; details in the run's log.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Ctrl+C; the run directory holds what was measured.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Stopped between steps on SIGUSR1 before a preemption; <c>tune --resume</c> continues it.</summary>
    [JsonStringEnumMemberName("preempted")]
    Preempted,

    /// <summary>The job could not run (its baseline failed, or a program is missing).</summary>
    [JsonStringEnumMemberName("job_failed")]
    JobFailed,
}
