namespace CclAgent.Core.Workloads;

/// <summary>
/// How each tuning step starts the real job: directly, or under <c>mpirun</c>, <c>torchrun</c>, <c>srun</c>
/// (inside or outside an allocation) or <c>sbatch</c> (one batch job per step, for nightly runs). Only the
/// fields of the chosen kind are used; docs/running-real-jobs.md shows the argv each one produces.
/// </summary>
public sealed record LauncherSpec
{
    /// <summary>"none" (run the command itself), "mpirun", "torchrun", "srun" or "sbatch".</summary>
    // set, not init: the JSON source generator would otherwise drop this default (dotnet/runtime#84484).
    public string Kind { get; set; } = "none";

    /// <summary>The launcher program (default: the kind's name, found on PATH), e.g. "/opt/openmpi/bin/mpirun".</summary>
    public string? Program { get; init; }

    /// <summary>mpirun <c>-np</c>; srun/sbatch <c>--ntasks</c> (total processes).</summary>
    public int? Np { get; init; }

    /// <summary>mpirun <c>--host</c> entries ("node1:8").</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>mpirun <c>--hostfile</c>.</summary>
    public string? Hostfile { get; init; }

    /// <summary>mpirun <c>--allow-run-as-root</c>; null adds it only when the agent itself runs as root.</summary>
    public bool? AllowRunAsRoot { get; init; }

    /// <summary>mpirun <c>--oversubscribe</c> (more processes than cores, e.g. a small CI machine).</summary>
    public bool? Oversubscribe { get; init; }

    /// <summary>torchrun <c>--nnodes</c>.</summary>
    public int? Nnodes { get; init; }

    /// <summary>torchrun <c>--nproc-per-node</c>.</summary>
    public int? NprocPerNode { get; init; }

    /// <summary>torchrun <c>--rdzv-endpoint</c> ("host:port").</summary>
    public string? RdzvEndpoint { get; init; }

    /// <summary>torchrun <c>--rdzv-backend</c> (default c10d).</summary>
    public string? RdzvBackend { get; init; }

    /// <summary>torchrun <c>--rdzv-id</c> (default: one per step, so two steps never join the same rendezvous).</summary>
    public string? RdzvId { get; init; }

    /// <summary>srun/sbatch <c>--nodes</c>.</summary>
    public int? Nodes { get; init; }

    /// <summary>srun/sbatch <c>--ntasks-per-node</c>.</summary>
    public int? NtasksPerNode { get; init; }

    /// <summary>srun/sbatch <c>--gpus-per-node</c>.</summary>
    public int? GpusPerNode { get; init; }

    /// <summary>srun/sbatch <c>--partition</c>.</summary>
    public string? Partition { get; init; }

    /// <summary>srun/sbatch <c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary>srun/sbatch <c>--time</c> ("HH:MM:SS" or minutes); the step timeout still applies.</summary>
    public string? TimeLimit { get; init; }

    /// <summary>More launcher arguments, placed after the generated ones and before the job's command.</summary>
    public IReadOnlyList<string>? ExtraArgs { get; init; }
}
