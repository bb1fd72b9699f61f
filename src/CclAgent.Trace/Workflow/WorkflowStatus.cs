namespace CclAgent.Trace.Workflow;

/// <summary>The status words of execution traces, grouped (case-insensitive).</summary>
internal static class WorkflowStatus
{
    public static bool IsSuccess(string s) => s.ToLowerInvariant() is "success" or "succeeded" or "completed" or "ok";

    public static bool IsFailure(string s) => s.ToLowerInvariant() is "failed" or "failure" or "error" or "timeout" or "timed_out";

    public static bool IsSkipped(string s) => s.ToLowerInvariant() is "skipped" or "cancelled" or "canceled" or "not_run";
}
