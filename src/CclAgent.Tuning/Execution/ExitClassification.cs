namespace CclAgent.Tuning.Execution;

/// <summary>
/// Failure classes of a process that ended on its own (see docs/running-real-jobs.md). On Unix .NET
/// reports a process killed by signal N as exit code 128+N, the shell convention, so both read the same.
/// </summary>
public static class ExitClassification
{
    public const string Timeout = "timeout";
    public const string NcclError = "nccl_error";
    public const string NoMetrics = "no_metrics";
    public const string ResultCorruption = "result_corruption";
    public const string StartFailed = "start_failed";

    /// <summary><c>exit_code_&lt;n&gt;</c>, or <c>signal_&lt;n&gt;</c> for 128+n; null for 0.</summary>
    public static string? ForExitCode(int exitCode) => exitCode switch
    {
        0 => null,
        > 128 and < 128 + 65 => $"signal_{exitCode - 128}",
        _ => $"exit_code_{exitCode}",
    };
}
