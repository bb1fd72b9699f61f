using System.Globalization;
using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>
/// PyTorch's <c>torchrun</c> (elastic launch): nodes, processes per node and the rendezvous. A command whose
/// program is not a <c>.py</c> script is run with <c>--no-python</c>. Restarts are off: a failing
/// configuration must surface as a failed step, not be retried silently. Each node must run the same
/// command; on Slurm, wrap it in an <c>srun</c> job script or use the srun launcher with a torchrun command.
/// </summary>
public sealed class TorchrunLauncher(LauncherSpec spec) : ILauncher
{
    public string Name => "torchrun";

    public LaunchPlan Plan(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var argv = new List<string>
        {
            spec.Program ?? "torchrun",
            $"--nnodes={(spec.Nnodes ?? 1).ToString(CultureInfo.InvariantCulture)}",
            $"--nproc-per-node={(spec.NprocPerNode ?? 1).ToString(CultureInfo.InvariantCulture)}",
        };
        if (spec.RdzvEndpoint is { } endpoint)
        {
            argv.Add($"--rdzv-backend={spec.RdzvBackend ?? "c10d"}");
            argv.Add($"--rdzv-endpoint={endpoint}");
            argv.Add($"--rdzv-id={spec.RdzvId ?? request.JobName}");
        }
        else
        {
            // One node and no endpoint: torchrun's own local rendezvous on a free port.
            argv.Add("--standalone");
        }

        argv.Add("--max-restarts=0");
        argv.AddRange(spec.ExtraArgs ?? []);
        if (!request.Command[0].EndsWith(".py", StringComparison.OrdinalIgnoreCase))
        {
            argv.Add("--no-python");
        }

        argv.AddRange(request.Command);
        return new LaunchPlan(argv) { TerminateGrace = TimeSpan.FromSeconds(5) };
    }
}
