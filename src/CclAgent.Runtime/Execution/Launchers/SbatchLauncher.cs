using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>
/// Slurm's <c>sbatch</c>, for nightly runs from a login node: each step is one batch job that runs the
/// command with <c>srun</c> inside its allocation. <c>--wait</c> makes sbatch return the job's exit code,
/// <c>--export=ALL</c> carries the step's environment (the NCCL settings) into the job, and the job's
/// stdout/stderr go to files in the run directory (which must be on a filesystem the nodes share), read
/// when the job ends. The command is passed to the wrapper script as arguments, never re-parsed by a shell.
/// </summary>
public sealed class SbatchLauncher(LauncherSpec spec) : ILauncher
{
    /// <summary>The batch script: <c>"$@"</c> keeps every argument as it was given.</summary>
    public const string WrapperScript = "#!/bin/sh\n# Written by ccl-agent: runs the step's command as one srun job step.\nexec srun --export=ALL --kill-on-bad-exit=1 \"$@\"\n";

    public string Name => "sbatch";

    public LaunchPlan Plan(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string script = request.FilePrefix + "_sbatch.sh";
        string output = request.FilePrefix + "_slurm_stdout.log";
        string error = request.FilePrefix + "_slurm_stderr.log";
        var argv = new List<string> { spec.Program ?? "sbatch", "--wait", "--parsable" };
        argv.AddRange(SlurmArguments.Resources(spec, request.JobName));
        argv.Add("--export=ALL");
        argv.Add($"--output={output}");
        argv.Add($"--error={error}");
        argv.AddRange(spec.ExtraArgs ?? []);
        argv.Add(script);
        argv.AddRange(request.Command);
        return new LaunchPlan(argv)
        {
            Files = [new(script, WrapperScript)],
            OutputFile = output,
            ErrorFile = error,
            TerminateGrace = TimeSpan.FromSeconds(2),
            Cleanup = SlurmArguments.Cancel(request.JobName),
        };
    }
}
