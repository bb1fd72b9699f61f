using CclAgent.Core.Workloads;

namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>Chooses the launcher a workload names; the process facts it needs (root? inside an allocation?) are passed in.</summary>
public static class LauncherFactory
{
    public static ILauncher Create(LauncherSpec? spec, bool runningAsRoot, bool insideSlurmAllocation) =>
        (spec?.Kind ?? "none").ToLowerInvariant() switch
        {
            "none" => DirectLauncher.Instance,
            "mpirun" => new MpirunLauncher(spec!, runningAsRoot),
            "torchrun" => new TorchrunLauncher(spec!),
            "srun" => new SrunLauncher(spec!, insideSlurmAllocation),
            "sbatch" => new SbatchLauncher(spec!),
            string other => throw new ArgumentException($"Unknown launcher kind '{other}'; expected one of {string.Join(", ", LauncherValidator.Kinds)}.", nameof(spec)),
        };

    /// <summary>For this process: root is euid 0 (Open MPI's check); an allocation is SLURM_JOB_ID being set.</summary>
    public static ILauncher ForThisProcess(LauncherSpec? spec) =>
        Create(spec, PosixSignals.IsRoot(), !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SLURM_JOB_ID")));
}
