using System.Text.RegularExpressions;
using CclAgent.Core.Validation;

namespace CclAgent.Core.Workloads;

/// <summary>Checks a <see cref="LauncherSpec"/>: a known kind, sane counts, and the fields its kind needs.</summary>
public static partial class LauncherValidator
{
    public static readonly IReadOnlyList<string> Kinds = ["none", "mpirun", "torchrun", "srun", "sbatch"];

    public static void Check(ProblemCollector problems, LauncherSpec? launcher, string path)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (launcher is null)
        {
            return;
        }

        problems.RequireOneOf(launcher.Kind, path + ".kind", [.. Kinds]);
        problems.RequireRange(launcher.Np, path + ".np", 1, 1_000_000, required: false);
        problems.RequireRange(launcher.Nnodes, path + ".nnodes", 1, 100_000, required: false);
        problems.RequireRange(launcher.NprocPerNode, path + ".nproc_per_node", 1, 1024, required: false);
        problems.RequireRange(launcher.Nodes, path + ".nodes", 1, 100_000, required: false);
        problems.RequireRange(launcher.NtasksPerNode, path + ".ntasks_per_node", 1, 1024, required: false);
        problems.RequireRange(launcher.GpusPerNode, path + ".gpus_per_node", 1, 64, required: false);
        NonEmpty(problems, launcher.Program, path + ".program", "a program path or name");
        NonEmpty(problems, launcher.Hostfile, path + ".hostfile", "a file path");
        NonEmpty(problems, launcher.Partition, path + ".partition", "a Slurm partition name");
        NonEmpty(problems, launcher.Account, path + ".account", "a Slurm account name");
        NonEmpty(problems, launcher.RdzvBackend, path + ".rdzv_backend", "a rendezvous backend such as \"c10d\"");
        NonEmpty(problems, launcher.RdzvId, path + ".rdzv_id", "a rendezvous id");

        if (launcher.RdzvEndpoint is { } endpoint && !EndpointPattern().IsMatch(endpoint))
        {
            problems.Add(path + ".rdzv_endpoint", $"\"{endpoint}\" is not host:port; expected e.g. \"node001:29500\"");
        }

        if (launcher.TimeLimit is { } time && !TimeLimitPattern().IsMatch(time))
        {
            problems.Add(path + ".time_limit", $"\"{time}\" is not a Slurm time; expected minutes, \"MM:SS\", \"HH:MM:SS\" or \"D-HH:MM:SS\"");
        }

        for (int i = 0; i < (launcher.Hosts?.Count ?? 0); i++)
        {
            NonEmpty(problems, launcher.Hosts![i], $"{path}.hosts[{i}]", "a host name, optionally with :slots");
        }

        for (int i = 0; i < (launcher.ExtraArgs?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(launcher.ExtraArgs![i]))
            {
                problems.Add($"{path}.extra_args[{i}]", "is empty; expected a non-empty argument");
            }
        }

        if (launcher.Kind == "torchrun" && launcher.NprocPerNode is null)
        {
            problems.Add(path + ".nproc_per_node", "missing; torchrun needs the number of processes per node");
        }

        if (launcher.Kind == "mpirun" && launcher.Np is null && launcher.Hosts is null && launcher.Hostfile is null)
        {
            problems.Add(path + ".np", "missing; mpirun needs np (or hosts / hostfile to derive the process count)");
        }
    }

    private static void NonEmpty(ProblemCollector problems, string? value, string path, string expected)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, $"is empty; expected {expected}");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-\[\]:]+:[0-9]{1,5}$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-9]{2}|[0-9]+:[0-9]{2}:[0-9]{2}|[0-9]+-[0-9]{1,2}(:[0-9]{2}(:[0-9]{2})?)?|UNLIMITED|INFINITE)$")]
    private static partial Regex TimeLimitPattern();
}
