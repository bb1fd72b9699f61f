using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>
/// Slurm's <c>srun</c>: a job step inside the current allocation (under <c>salloc</c>/<c>sbatch</c>), or a
/// job of its own outside one. <c>--export=ALL</c> carries the step's NCCL settings to every task;
/// <c>--kill-on-bad-exit=1</c> ends the step when one rank dies instead of leaving the rest hung. On a kill,
/// srun gets SIGTERM (it cancels the step itself) and a job of its own is also cancelled by name.
/// </summary>
public sealed class SrunLauncher(LauncherSpec spec, bool insideAllocation) : ILauncher
{
    public string Name => "srun";

    public LaunchPlan Plan(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var argv = new List<string> { spec.Program ?? "srun" };
        argv.AddRange(SlurmArguments.Resources(spec, request.JobName));
        argv.Add("--export=ALL");
        argv.Add("--kill-on-bad-exit=1");
        argv.AddRange(spec.ExtraArgs ?? []);
        argv.AddRange(request.Command);
        return new LaunchPlan(argv)
        {
            TerminateGrace = TimeSpan.FromSeconds(10),
            Cleanup = insideAllocation ? null : SlurmArguments.Cancel(request.JobName),
        };
    }
}
