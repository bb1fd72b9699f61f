using System.Text.RegularExpressions;
using CclAgent.Core.Workloads;
using CclAgent.Runtime.Execution.Launchers;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// What <see cref="ProcessJobRunner"/> launches: an argv list (never a shell string, so user data is
/// never re-parsed by a shell), the workload's own environment, and how a step is bounded and measured.
/// </summary>
public sealed record ProcessJobOptions
{
    /// <summary>Program and arguments; element 0 is the executable (resolved through PATH).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The workload's variables, applied over the inherited environment and under the compiled NCCL ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>How the command is started (mpirun, torchrun, srun, sbatch); default: as it is.</summary>
    public ILauncher Launcher { get; init; } = DirectLauncher.Instance;

    /// <summary>Prefix of scheduler job names; the step number is appended so each step's job can be cancelled by name.</summary>
    public string JobName { get; init; } = "ccl-agent";

    /// <summary>The user's last word (<c>tune --env</c>): applied after everything else, the step's NCCL settings included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; } = [];

    /// <summary>Working directory of the job; null inherits ours.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Wall-clock limit of one step; past it the whole process tree is killed and the step is <c>timeout</c>.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Optional regex for jobs that cannot print <c>CCL_METRICS</c>: each match of a line is one iteration,
    /// its named group <c>ms</c> the time in milliseconds.
    /// </summary>
    public string? IterationRegex { get; init; }

    /// <summary>Compiles <see cref="IterationRegex"/>; throws <see cref="ArgumentException"/> for a bad pattern or a missing <c>ms</c> group.</summary>
    internal Regex? CompileIterationRegex() =>
        string.IsNullOrEmpty(IterationRegex) ? null : IterationPattern.Compile(IterationRegex);
}
