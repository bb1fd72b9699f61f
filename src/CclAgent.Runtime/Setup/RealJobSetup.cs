using CclAgent.Core.Workloads;
using CclAgent.Runtime.Execution;
using CclAgent.Runtime.Execution.Launchers;
using CclAgent.Runtime.Microbenchmarks;

namespace CclAgent.Runtime.Setup;

/// <summary>
/// Turns a workload file's <c>command</c>, <c>launcher</c>, <c>env</c>, <c>metrics</c> and <c>microbenchmark</c>
/// sections into the process runner's options, and checks up front that the programs exist, so a missing
/// launcher is one clear line before anything runs.
/// </summary>
internal static class RealJobSetup
{
    /// <summary>Replaced in every command element by the workload file's absolute path.</summary>
    public const string WorkloadPlaceholder = "{workload_file}";

    private static readonly string[] DefaultBenchmarkCommand = ["{op}_perf"];

    /// <summary>The training (or generic) job: one process per step. Null with a problem when it cannot run.</summary>
    public static (ProcessJobOptions? Options, string? Problem) ForJob(WorkloadSpec spec, string workloadFile, string runId)
    {
        if (spec.Command is not { Count: > 0 } command)
        {
            return (null, $"{workloadFile}: $.command: missing; a real run needs the job's argv, e.g. [\"python3\", \"train.py\"] (or use --dry-run)");
        }

        return Build(spec, workloadFile, runId, command, spec.Launcher, "$.command", TimeSpan.FromSeconds(spec.Tuning?.StepTimeoutSeconds ?? 1800));
    }

    /// <summary>The nccl-tests runs of the microbenchmark; <c>{op}</c> stays in the command for <see cref="NcclTestsBenchmark"/>.</summary>
    public static (ProcessJobOptions? Options, string? Problem) ForMicrobenchmark(WorkloadSpec spec, string workloadFile, string runId, IEnumerable<string> ops)
    {
        MicrobenchmarkSpec bench = spec.Microbenchmark ?? new MicrobenchmarkSpec();
        (ProcessJobOptions? options, string? problem) = Build(spec, workloadFile, runId + "-microbench", bench.Command ?? DefaultBenchmarkCommand, bench.Launcher ?? spec.Launcher, "$.microbenchmark.command", TimeSpan.FromSeconds(bench.TimeoutSeconds ?? 300));
        if (options is null)
        {
            return (null, problem);
        }

        // The placeholder makes one program per collective (all_reduce_perf, all_gather_perf): check each.
        foreach (string op in ops)
        {
            string program = options.Command[0].Replace(NcclTestsBenchmark.OpPlaceholder, op, StringComparison.Ordinal);
            if (options.Launcher is DirectLauncher && !ProgramLocator.Exists(program))
            {
                return (null, $"{workloadFile}: $.microbenchmark.command: program '{program}' was not found (not a file, not on PATH); build nccl-tests and point microbenchmark.command at its binaries, e.g. [\"/opt/nccl-tests/build/{{op}}_perf\"], or use --dry-run");
            }
        }

        return (options, null);
    }

    private static (ProcessJobOptions? Options, string? Problem) Build(WorkloadSpec spec, string workloadFile, string runId, IReadOnlyList<string> command, LauncherSpec? launcherSpec, string commandPath, TimeSpan timeout)
    {
        string absoluteWorkload = Path.GetFullPath(workloadFile);
        IReadOnlyList<string> argv = SelfCommand.Resolve([.. command.Select(a => a.Replace(WorkloadPlaceholder, absoluteWorkload, StringComparison.Ordinal))]);
        ILauncher launcher = LauncherFactory.ForThisProcess(launcherSpec);

        // With a launcher, the job's program may exist only on the compute nodes: check the launcher here.
        string program = launcher is DirectLauncher ? argv[0] : launcherSpec!.Program ?? launcher.Name;
        string field = launcher is DirectLauncher ? commandPath + "[0]" : (launcherSpec == spec.Launcher ? "$.launcher" : "$.microbenchmark.launcher") + ".kind";
        if (!program.Contains('{', StringComparison.Ordinal) && !ProgramLocator.Exists(program))
        {
            return (null, $"{workloadFile}: {field}: program '{program}' was not found (not a file, not on PATH)");
        }

        string? workingDirectory = spec.WorkingDirectory is { } dir
            ? Path.GetFullPath(dir, Path.GetDirectoryName(absoluteWorkload)!)
            : null;
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
        {
            return (null, $"{workloadFile}: $.working_directory: '{workingDirectory}' does not exist");
        }

        return (new ProcessJobOptions
        {
            Command = argv,
            Environment = [.. spec.Env ?? new Dictionary<string, string>()],
            WorkingDirectory = workingDirectory,
            StepTimeout = timeout,
            IterationRegex = spec.Metrics?.IterationRegex,
            Launcher = launcher,
            JobName = $"ccl-agent-{runId}",
        }, null);
    }
}
