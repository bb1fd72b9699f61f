using System.Globalization;
using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>
/// Open MPI's <c>mpirun</c>: <c>-np</c>, hosts, and <c>-x NAME</c> for every variable of the step, so the
/// NCCL settings reach ranks on other nodes (mpirun only forwards what <c>-x</c> names). Values stay in the
/// environment, never in argv, so a secret in the workload's env does not appear in <c>ps</c>.
/// </summary>
public sealed class MpirunLauncher(LauncherSpec spec, bool runningAsRoot) : ILauncher
{
    public string Name => "mpirun";

    public LaunchPlan Plan(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var argv = new List<string> { spec.Program ?? "mpirun" };
        if (spec.AllowRunAsRoot ?? runningAsRoot)
        {
            // Open MPI refuses to start as root without it (containers and CI run as root).
            argv.Add("--allow-run-as-root");
        }

        if (spec.Oversubscribe == true)
        {
            argv.Add("--oversubscribe");
        }

        if (spec.Np is int np)
        {
            argv.AddRange(["-np", np.ToString(CultureInfo.InvariantCulture)]);
        }

        if (spec.Hosts is { Count: > 0 } hosts)
        {
            argv.AddRange(["--host", string.Join(',', hosts)]);
        }

        if (spec.Hostfile is { } hostfile)
        {
            argv.AddRange(["--hostfile", hostfile]);
        }

        foreach (string name in request.ExportedVariables)
        {
            argv.AddRange(["-x", name]);
        }

        argv.AddRange(spec.ExtraArgs ?? []);
        argv.AddRange(request.Command);
        return new LaunchPlan(argv) { TerminateGrace = TimeSpan.FromSeconds(3) };
    }
}
