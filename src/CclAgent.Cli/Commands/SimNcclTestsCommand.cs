using System.CommandLine;
using System.Globalization;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.NcclTests;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.NcclTests;

namespace CclAgent.Cli.Commands;

/// <summary>
/// `ccl-agent sim nccl-tests`: a drop-in stand-in for nccl-tests' `*_perf` binaries. Same flags, same
/// output format, NCCL_* variables read from the environment, timings from the simulator. Flags that only
/// change how a real GPU run is driven are accepted and ignored (docs/nccl-tests.md lists them).
/// </summary>
internal sealed class SimNcclTestsCommand : Command
{
    private const string WorkloadVariable = "CCL_AGENT_SIM_WORKLOAD";

    private static readonly Dictionary<string, (string Name, int Bytes)> DataTypes = new(StringComparer.Ordinal)
    {
        ["int8"] = ("int8", 1), ["char"] = ("int8", 1), ["uint8"] = ("uint8", 1),
        ["int32"] = ("int32", 4), ["int"] = ("int32", 4), ["uint32"] = ("uint32", 4),
        ["int64"] = ("int64", 8), ["uint64"] = ("uint64", 8),
        ["half"] = ("half", 2), ["float16"] = ("half", 2), ["float"] = ("float", 4), ["float32"] = ("float", 4),
        ["double"] = ("double", 8), ["float64"] = ("double", 8), ["bfloat16"] = ("bfloat16", 2),
        ["f8e4m3"] = ("f8e4m3", 1), ["f8e5m2"] = ("f8e5m2", 1),
    };

    private static readonly string[] RedOps = ["sum", "prod", "max", "min", "avg", "mulsum"];

    private readonly Option<string> _op = new("--op") { Description = $"Collective, as the *_perf binary it stands in for: {string.Join(", ", OpNames.All)} (also all_reduce_perf, allreduce).", DefaultValueFactory = _ => "all_reduce" };
    private readonly Option<string> _minBytes = new("-b", "--minbytes") { Description = "Smallest size in bytes (K/M/G suffixes). Default 32M.", DefaultValueFactory = _ => "32M" };
    private readonly Option<string> _maxBytes = new("-e", "--maxbytes") { Description = "Largest size in bytes (K/M/G suffixes). Default 32M.", DefaultValueFactory = _ => "32M" };
    private readonly Option<string> _stepBytes = new("-i", "--stepbytes") { Description = "Size increment when -f is not given. Default 1M.", DefaultValueFactory = _ => "1M" };
    private readonly Option<long> _stepFactor = new("-f", "--stepfactor") { Description = "Size multiplication factor (overrides -i when > 1).", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _threads = new("-t", "--nthreads") { Description = "Threads per process (ranks = processes × threads × GPUs).", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _gpus = new("-g", "--ngpus") { Description = "GPUs per thread. Given: ranks = MPI processes × -t × -g, packed onto the cluster's nodes. Absent: the workload's communicator shape." };
    private readonly Option<int> _iters = new("-n", "--iters") { Description = "Timed iterations (more iterations, less noise).", DefaultValueFactory = _ => 20 };
    private readonly Option<int> _warmup = new("-w", "--warmup_iters") { Description = "Warm-up iterations (printed only).", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _aggIters = new("-m", "--agg_iters") { Description = "Aggregated iterations (printed only).", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _check = new("-c", "--check") { Description = "Check iterations; 0 prints N/A in #wrong.", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _redop = new("-o") { Description = $"Reduction: {string.Join("/", RedOps)} (all is not supported). nccl-tests' long form --op names the collective here.", DefaultValueFactory = _ => "sum" };
    private readonly Option<string> _datatype = new("-d", "--datatype") { Description = "Data type: int8, uint8, int32, uint32, int64, uint64, half, float, double, bfloat16, f8e4m3, f8e5m2.", DefaultValueFactory = _ => "float" };
    private readonly Option<int> _root = new("-r", "--root") { Description = "Root rank for broadcast/reduce.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _blocking = new("-z", "--blocking") { Description = "Blocking collectives (printed only).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _graph = new("-G", "--cudagraph") { Description = "CUDA graph launches (printed only).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _cpuTime = new("-C", "--report_cputime") { Description = "1: label the time column cputime.", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> _workload = new("--workload") { Description = $"Workload spec whose cluster (and the first collective with --op: nodes, ranks per node) is simulated. Env: {WorkloadVariable}." };
    private readonly Option<string?> _cluster = new("--cluster") { Description = $"Built-in cluster instead of a workload: {string.Join(", ", ClusterPresets.Names)} (default {ClusterPresets.Default})." };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the small run-to-run noise.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _runCycles = new("-N", "--run_cycles") { Description = "Repeat the size sweep N times in one table (0: until killed, one row at a time, paced by the simulated time).", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _onHang = new("--on-hang") { Description = "A configuration the simulator knows hangs: exit (print \"simulated hang\", exit 3) or block (print the header, then wait until killed, as a real hang).", DefaultValueFactory = _ => "exit" };

    // Accepted so command lines written for the real binaries run unchanged; they do not change the prediction.
    private readonly Option<string>[] _ignored =
    [
        new("-p", "--parallel_init"), new("-y", "--stream_null"), new("-T", "--timeout"),
        new("-S", "--report_timestamps"), new("-J", "--output_file"), new("-a", "--average"), new("-R", "--local_register"),
        new("-x", "--cta_policy"), new("-D", "--device_implementation"), new("-V", "--device_cta_count"), new("-M", "--memory_report"),
        new("-I"), new("-u", "--unalign"),
    ];

    public SimNcclTestsCommand()
        : base("nccl-tests", "Print the simulator's prediction in nccl-tests' *_perf format (same flags; NCCL_* variables from the environment).")
    {
        foreach (Option option in new Option[] { _op, _minBytes, _maxBytes, _stepBytes, _stepFactor, _threads, _gpus, _iters, _warmup, _aggIters, _check, _redop, _datatype, _root, _blocking, _graph, _cpuTime, _workload, _cluster, _seed, _runCycles, _onHang })
        {
            Options.Add(option);
        }

        foreach (Option<string> option in _ignored)
        {
            option.Description = "Accepted for compatibility with nccl-tests; ignored by the simulator.";
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;

        string opText = parse.GetValue(_op)!;
        CollectiveOp op;
        try
        {
            op = OpNames.Parse(opText.EndsWith("_perf", StringComparison.Ordinal) ? opText[..^5] : opText);
        }
        catch (ArgumentException)
        {
            return await Problem(error, $"--op: unknown collective '{opText}'; expected one of {string.Join(", ", OpNames.All)}");
        }

        string? sizeProblem = null;
        long minBytes = Size(parse.GetValue(_minBytes), "-b", ref sizeProblem);
        long maxBytes = Size(parse.GetValue(_maxBytes), "-e", ref sizeProblem);
        long stepBytes = Size(parse.GetValue(_stepBytes), "-i", ref sizeProblem);
        long stepFactor = parse.GetValue(_stepFactor);
        string typeText = parse.GetValue(_datatype)!;
        string redop = parse.GetValue(_redop)!;
        string onHang = parse.GetValue(_onHang)!;
        string? problem = sizeProblem
            ?? (minBytes > maxBytes ? $"invalid sizes for 'minbytes' and 'maxbytes': {minBytes} > {maxBytes}" : null)
            ?? (stepFactor <= 1 && stepBytes <= 0 ? "-i: the step must be positive when -f is not given" : null)
            ?? (!DataTypes.ContainsKey(typeText) ? $"-d: unsupported data type '{typeText}'" : null)
            ?? (!RedOps.Contains(redop) ? $"-o: unsupported reduction '{redop}'; expected one of {string.Join(", ", RedOps)}" : null)
            ?? (parse.GetValue(_iters) < 1 ? "-n: expected at least 1 iteration" : null)
            ?? (parse.GetValue(_threads) < 1 || parse.GetValue(_gpus) is < 1 ? "-t/-g: expected at least 1" : null)
            ?? (parse.GetValue(_runCycles) < 0 ? "-N: expected a number of cycles, or 0 to run until killed" : null)
            ?? (onHang is not ("exit" or "block") ? $"--on-hang: expected exit or block, not '{onHang}'" : null);
        if (problem is not null)
        {
            return await Problem(error, problem);
        }

        (ClusterSpec? cluster, CollectiveSpec? shape, string? clusterProblem) = await ResolveClusterAsync(parse, op, cancellationToken);
        if (cluster is null)
        {
            return await Problem(error, clusterProblem!);
        }

        int nodes = shape?.Nodes ?? cluster.Nodes ?? 1;
        int ranksPerNode = shape?.RanksPerNode ?? cluster.GpusPerNode ?? 1;
        if (parse.GetValue(_gpus) is int gpus)
        {
            // The real binaries' rank count: processes × threads × GPUs per thread, packed onto nodes.
            int total = MpiWorldSize() * parse.GetValue(_threads) * gpus;
            int perNode = Math.Max(1, cluster.GpusPerNode ?? total);
            nodes = (total + perNode - 1) / perNode;
            if (total % nodes != 0)
            {
                return await Problem(error, $"-g: {total} ranks do not spread evenly over {nodes} nodes of {perNode} GPUs");
            }

            ranksPerNode = total / nodes;
        }

        // Under mpirun/srun only rank 0 of an MPI-built nccl-tests prints; the other ranks stay silent.
        if (MpiRank() > 0)
        {
            return ExitCodes.Success;
        }

        (string typeName, int typeBytes) = DataTypes[typeText];
        var run = new NcclTestsRun
        {
            Op = op,
            ProgramName = OpNames.All.First(n => OpNames.Parse(n) == op) + "_perf",
            Nodes = nodes,
            RanksPerNode = ranksPerNode,
            MinBytes = minBytes,
            MaxBytes = maxBytes,
            StepBytes = stepBytes,
            StepFactor = stepFactor,
            Iterations = parse.GetValue(_iters),
            WarmupIterations = parse.GetValue(_warmup),
            AggregatedIterations = parse.GetValue(_aggIters),
            Check = parse.GetValue(_check),
            Threads = parse.GetValue(_threads),
            GpusPerThread = parse.GetValue(_gpus) ?? 1,
            Graph = parse.GetValue(_graph),
            Blocking = parse.GetValue(_blocking),
            CpuTime = parse.GetValue(_cpuTime) != 0,
            DataType = typeName,
            DataTypeBytes = typeBytes,
            RedOp = redop,
            Root = parse.GetValue(_root),
            Seed = parse.GetValue(_seed),
            RunCycles = parse.GetValue(_runCycles),
            BlockOnHang = onHang == "block",
            GpuName = cluster.Gpu ?? "GPU",
            DebugInfo = Environment.GetEnvironmentVariable("NCCL_DEBUG") is { } debug && (debug.Equals("INFO", StringComparison.OrdinalIgnoreCase) || debug.Equals("TRACE", StringComparison.OrdinalIgnoreCase)),
        };

        KeyValuePair<string, string?>[] variables = [.. Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string))];
        NcclConfig config = NcclEnvCompiler.FromEnvironment(variables);
        foreach (UnreadVariable unread in UnreadNcclVariables.Of(variables))
        {
            await error.WriteLineAsync(unread.Warning);
        }

        var emulator = new NcclTestsEmulator(ClusterModel.From(cluster));

        // Endless (-N 0) and blocking (--on-hang block) runs return only when cancelled (Ctrl+C, SIGTERM); a kill ends them outright.
        NcclTestsEmulation result = await emulator.RunAsync(run, config, output, TimeProvider.System, cancellationToken);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"error: the simulated run failed: {result.Error}");
            return ExitCodes.JobFailed;
        }

        return ExitCodes.Success;
    }

    private async Task<(ClusterSpec? Cluster, CollectiveSpec? Shape, string? Problem)> ResolveClusterAsync(ParseResult parse, CollectiveOp op, CancellationToken cancellationToken)
    {
        string? workloadPath = parse.GetValue(_workload);
        string? preset = parse.GetValue(_cluster);
        if (workloadPath is not null && preset is not null)
        {
            return (null, null, "--workload and --cluster are exclusive; give one");
        }

        workloadPath ??= preset is null ? NonEmpty(Environment.GetEnvironmentVariable(WorkloadVariable)) : null;
        if (workloadPath is null)
        {
            preset ??= ClusterPresets.Default;
            return ClusterPresets.TryGet(preset, out ClusterSpec spec)
                ? (spec, null, null)
                : (null, null, $"--cluster: unknown preset '{preset}'; expected one of {string.Join(", ", ClusterPresets.Names)}");
        }

        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(workloadPath, cancellationToken);
        if (loaded.Value is not WorkloadSpec workload)
        {
            return (null, null, string.Join(Environment.NewLine + "error: ", loaded.Problems.Take(20).Select(p => p.ToString())));
        }

        if (workload.Cluster is null)
        {
            return (null, null, $"{workloadPath}: $.cluster: a simulated cluster is required");
        }

        CollectiveSpec? shape = workload.Iteration?.Collectives?.FirstOrDefault(c => c.Op is not null && OpNames.All.Contains(c.Op.ToLowerInvariant()) && OpNames.Parse(c.Op) == op);
        return (workload.Cluster, shape, null);
    }

    private static long Size(string? text, string flag, ref string? problem)
    {
        if (NcclTestsSize.TryParse(text, out long bytes))
        {
            return bytes;
        }

        problem ??= $"{flag}: invalid size '{text}'; expected bytes with an optional K, M or G suffix";
        return 0;
    }

    // MPI first, then torchrun's RANK/WORLD_SIZE (set for its workers, also under srun), then Slurm's task ids.
    private static int MpiWorldSize() => FirstInt("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "WORLD_SIZE", "SLURM_NTASKS") ?? 1;

    private static int MpiRank() => FirstInt("OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "RANK", "SLURM_PROCID") ?? 0;

    private static int? FirstInt(params string[] names)
    {
        foreach (string name in names)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }
        }

        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<int> Problem(TextWriter error, string problem)
    {
        await error.WriteLineAsync("error: " + problem);
        return ExitCodes.InvalidInput;
    }
}
