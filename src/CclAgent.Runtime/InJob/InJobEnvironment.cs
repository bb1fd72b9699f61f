using CclAgent.Nccl.Tuner;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.InJob;

/// <summary>What both in-job runners, real and simulated, decide the same way: when a step needs a new job, and what a table switch costs.</summary>
public static class InJobEnvironment
{
    /// <summary>Iterations dropped after a table switch: the one during which the plugin re-read its file.</summary>
    public const int StraddlingIterations = 1;

    /// <summary>The init-time environment of a request: every variable but the table's path, which the plugin re-reads.</summary>
    public static string Key(JobRequest request) =>
        string.Join('\n', request.Environment.Where(v => v.Key != TunerConfFiles.Variable).Select(v => $"{v.Key}={v.Value}").Order(StringComparer.Ordinal));
}
