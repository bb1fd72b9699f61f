using System.Globalization;
using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>The resource flags srun and sbatch share.</summary>
internal static class SlurmArguments
{
    public static IEnumerable<string> Resources(LauncherSpec spec, string jobName)
    {
        yield return $"--job-name={jobName}";
        if (spec.Nodes is int nodes)
        {
            yield return $"--nodes={nodes.ToString(CultureInfo.InvariantCulture)}";
        }

        if (spec.Np is int tasks)
        {
            yield return $"--ntasks={tasks.ToString(CultureInfo.InvariantCulture)}";
        }

        if (spec.NtasksPerNode is int perNode)
        {
            yield return $"--ntasks-per-node={perNode.ToString(CultureInfo.InvariantCulture)}";
        }

        if (spec.GpusPerNode is int gpus)
        {
            yield return $"--gpus-per-node={gpus.ToString(CultureInfo.InvariantCulture)}";
        }

        if (spec.Partition is { } partition)
        {
            yield return $"--partition={partition}";
        }

        if (spec.Account is { } account)
        {
            yield return $"--account={account}";
        }

        if (spec.TimeLimit is { } time)
        {
            yield return $"--time={time}";
        }
    }

    /// <summary>Cancels the step's job by its unique name: ranks started by slurmd are not in our process tree.</summary>
    public static IReadOnlyList<string> Cancel(string jobName) => ["scancel", $"--name={jobName}"];
}
