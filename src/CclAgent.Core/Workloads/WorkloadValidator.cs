using System.Globalization;
using CclAgent.Core.Validation;

namespace CclAgent.Core.Workloads;

/// <summary>
/// Range and consistency checks for a parsed <see cref="WorkloadSpec"/>. Every problem names the
/// JSON path of the offending field (e.g. "$.iteration.collectives[1].bytes") and what was expected,
/// and all of them are reported together rather than stopping at the first.
/// </summary>
public static class WorkloadValidator
{
    private static readonly string[] Kinds = ["training", "generic"];
    private static readonly string[] Generations = ["volta", "ampere", "hopper", "blackwell"];
    private static readonly string[] Fabrics = ["nvswitch", "nvlink", "pcie"];
    private static readonly string[] CpuVendors = ["intel", "amd"];
    private static readonly string[] NetworkKinds = ["infiniband", "roce", "tcp", "efa"];
    private static readonly string[] GpuNicPaths = ["PIX", "PXB", "PHB", "SYS"];
    private static readonly string[] Ops = ["all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce"];

    // Upper bounds are sanity limits: far beyond any real cluster, but they catch unit mistakes (bits vs bytes, s vs ms).
    private const int MaxNodes = 4096;
    private const int MaxGpusPerNode = 16;
    private const double MaxBytes = 1L << 40;

    /// <summary>Longest description accepted: prose for people, copied into every run's config_snapshot.json.</summary>
    public const int MaxDescriptionLength = 64 * 1024;

    public static IReadOnlyList<InputProblem> Validate(WorkloadSpec spec, string file)
    {
        var problems = new ProblemCollector(file);
        CheckName(problems, spec.Name, "$.name");
        if (spec.Description is { Length: > MaxDescriptionLength } description)
        {
            problems.Add("$.description", string.Create(CultureInfo.InvariantCulture, $"is {description.Length} characters long; at most {MaxDescriptionLength} are accepted (it is copied into every run's config_snapshot.json)"));
        }

        problems.RequireOneOf(spec.Kind, "$.kind", Kinds);
        CheckCommand(problems, spec.Command);
        CheckEnv(problems, spec.Env);

        ClusterSpec? cluster = problems.Required(spec.Cluster, "$.cluster", "an object describing the GPUs, fabric and network");
        if (cluster is not null)
        {
            CheckCluster(problems, cluster);
        }

        if (spec.Model is not null)
        {
            CheckModel(problems, spec.Model);
        }

        IterationSpec? iteration = problems.Required(spec.Iteration, "$.iteration", "an object with compute_ms and collectives");
        if (iteration is not null)
        {
            CheckIteration(problems, iteration, cluster);
        }

        if (spec.Tuning is not null)
        {
            CheckTuning(problems, spec.Tuning);
        }

        LauncherValidator.Check(problems, spec.Launcher, "$.launcher");
        CheckMetrics(problems, spec.Metrics);
        CheckMicrobenchmark(problems, spec.Microbenchmark);
        CheckTuningCost(problems, spec.TuningCost);
        if (spec.WorkingDirectory is { } workingDirectory && string.IsNullOrWhiteSpace(workingDirectory))
        {
            problems.Add("$.working_directory", "is empty; expected a directory path");
        }

        return problems.Problems;
    }

    private static void CheckName(ProblemCollector problems, string? name, string path)
    {
        if (problems.Required(name, path, "a non-empty name") is string value && string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, "is empty; expected a non-empty name");
        }
    }

    private static void CheckCommand(ProblemCollector problems, IReadOnlyList<string>? command, string path = "$.command")
    {
        if (command is null)
        {
            return;
        }

        // An empty argv would start nothing; an empty argument is almost always a templating slip.
        if (command.Count == 0)
        {
            problems.Add(path, "is empty; expected an argv array such as [\"python3\", \"train.py\"]");
        }

        for (int i = 0; i < command.Count; i++)
        {
            if (string.IsNullOrEmpty(command[i]))
            {
                problems.Add(Index(path, i), "is empty; expected a non-empty argument");
            }
        }
    }

    private static void CheckMetrics(ProblemCollector problems, MetricsSpec? metrics)
    {
        if (metrics?.IterationRegex is not { } pattern)
        {
            return;
        }

        try
        {
            IterationPattern.Compile(pattern);
        }
        catch (ArgumentException ex)
        {
            // RegexParseException is an ArgumentException too; the message names what is wrong.
            problems.Add("$.metrics.iteration_regex", ex.Message);
        }
    }

    private static void CheckMicrobenchmark(ProblemCollector problems, MicrobenchmarkSpec? bench)
    {
        if (bench is null)
        {
            return;
        }

        CheckCommand(problems, bench.Command, "$.microbenchmark.command");
        LauncherValidator.Check(problems, bench.Launcher, "$.microbenchmark.launcher");
        problems.RequireRange(bench.MaxRuns, "$.microbenchmark.max_runs", 1, 10_000, required: false);
        problems.RequireRange(bench.SweptSubspaces, "$.microbenchmark.swept_subspaces", 0, 64, required: false);
        problems.RequireRange(bench.Iters, "$.microbenchmark.iters", 1, 100_000, required: false);
        problems.RequireRange(bench.WarmupIters, "$.microbenchmark.warmup_iters", 0, 100_000, required: false);
        problems.RequireRange(bench.TimeoutSeconds, "$.microbenchmark.timeout_seconds", 1, 86_400, required: false);
    }

    private static void CheckTuningCost(ProblemCollector problems, TuningCostSpec? cost)
    {
        if (cost is null)
        {
            return;
        }

        // A day is far beyond any real job start; a larger value is almost always milliseconds given as seconds.
        problems.RequireRange(cost.JobStartSeconds, "$.tuning_cost.job_start_seconds", 0, 86_400, required: false);
        problems.RequireRange(cost.MicrobenchmarkStartSeconds, "$.tuning_cost.microbenchmark_start_seconds", 0, 86_400, required: false);
        problems.RequireRange(cost.RemainingIterations, "$.tuning_cost.remaining_iterations", 0, 1e9, required: false);
    }

    private static void CheckEnv(ProblemCollector problems, IReadOnlyDictionary<string, string>? env)
    {
        foreach ((string name, string? value) in env ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                problems.Add($"$.env.{name}", "is null; expected a string value");
            }
        }
    }

    private static void CheckCluster(ProblemCollector problems, ClusterSpec cluster)
    {
        problems.RequireOneOf(cluster.Generation, "$.cluster.generation", Generations);
        problems.RequireRange(cluster.Nodes, "$.cluster.nodes", 1, MaxNodes);
        problems.RequireRange(cluster.GpusPerNode, "$.cluster.gpus_per_node", 1, MaxGpusPerNode);
        problems.RequireOneOf(cluster.IntraFabric, "$.cluster.intra_fabric", Fabrics);
        problems.RequireRange(cluster.SmCount, "$.cluster.sm_count", 1, 1000, required: false);
        problems.RequireRange(cluster.GpuMemoryGib, "$.cluster.gpu_memory_gib", 1, 1024, required: false);
        problems.RequireRange(cluster.PcieGen, "$.cluster.pcie_gen", 3, 6, required: false);
        problems.RequireRange(cluster.NvlinkGbps, "$.cluster.nvlink_gbps", 1, 5000, required: false);
        problems.RequireRange(cluster.CpuSockets, "$.cluster.cpu_sockets", 1, 8, required: false);
        problems.RequireOneOf(cluster.CpuVendor, "$.cluster.cpu_vendor", CpuVendors);

        if (cluster.Network is not null)
        {
            CheckNetwork(problems, cluster.Network);
        }
        else if (cluster.Nodes > 1)
        {
            problems.Add("$.cluster.network", $"missing; expected an object with kind, nics_per_node and nic_gbps because nodes is {cluster.Nodes} (> 1)");
        }
    }

    private static void CheckNetwork(ProblemCollector problems, NetworkSpec network)
    {
        problems.RequireOneOf(network.Kind, "$.cluster.network.kind", NetworkKinds);
        problems.RequireRange(network.NicsPerNode, "$.cluster.network.nics_per_node", 1, 32);
        problems.RequireRange(network.NicGbps, "$.cluster.network.nic_gbps", 1, 3200);
        problems.RequireOneOf(network.GpuNicPath, "$.cluster.network.gpu_nic_path", GpuNicPaths);
    }

    private static void CheckModel(ProblemCollector problems, ModelSpec model)
    {
        if (model.Name is not null)
        {
            CheckName(problems, model.Name, "$.model.name");
        }

        problems.RequireRange(model.ParametersBillions, "$.model.parameters_billions", 0, 100_000, required: false);
        if (model.Framework is null || string.IsNullOrWhiteSpace(model.Framework))
        {
            problems.Add("$.model.framework", "is empty; expected a framework name such as \"pytorch\"");
        }

        foreach ((string axis, int degree) in model.Parallelism ?? new Dictionary<string, int>())
        {
            problems.RequireRange(degree, $"$.model.parallelism.{axis}", 1, 1_000_000);
        }
    }

    private static void CheckIteration(ProblemCollector problems, IterationSpec iteration, ClusterSpec? cluster)
    {
        // compute_ms may be omitted: the simulator then models a communication-only iteration.
        problems.RequireRange(iteration.ComputeMs, "$.iteration.compute_ms", 0, 1e7, required: false);
        problems.RequireRange(iteration.GpuMemoryHeadroomGib, "$.iteration.gpu_memory_headroom_gib", 0, 1024);

        IReadOnlyList<CollectiveSpec>? collectives = iteration.Collectives;
        if (collectives is null || collectives.Count == 0)
        {
            problems.Add("$.iteration.collectives", $"{(collectives is null ? "missing" : "is empty")}; expected a non-empty array of collectives");
            return;
        }

        // Bound the communicator shape by the cluster only when the cluster's own value is valid,
        // so one bad cluster.nodes does not echo as a problem on every collective.
        int maxNodes = Bounded(cluster?.Nodes, MaxNodes);
        int maxRanks = Bounded(cluster?.GpusPerNode, MaxGpusPerNode);
        for (int i = 0; i < collectives.Count; i++)
        {
            string path = Index("$.iteration.collectives", i);
            if (problems.Required(collectives[i], path, "a collective object") is CollectiveSpec collective)
            {
                CheckCollective(problems, collective, path, maxNodes, maxRanks);
            }
        }
    }

    private static void CheckCollective(ProblemCollector problems, CollectiveSpec collective, string path, int maxNodes, int maxRanks)
    {
        problems.RequireOneOf(collective.Op, path + ".op", Ops);
        problems.RequireRange(collective.Bytes, path + ".bytes", 1, MaxBytes);
        problems.RequireRange(collective.Count, path + ".count", 1, 1e6);
        problems.RequireRange(collective.Nodes, path + ".nodes", 1, maxNodes, required: false);
        problems.RequireRange(collective.RanksPerNode, path + ".ranks_per_node", 1, maxRanks, required: false);
        problems.RequireRange(collective.ConcurrentGroups, path + ".concurrent_groups", 1, 4096);
        problems.RequireRange(collective.Overlap, path + ".overlap", 0, 1);
    }

    private static void CheckTuning(ProblemCollector problems, TuningSpec tuning)
    {
        problems.RequireRange(tuning.Budget, "$.tuning.budget", 1, 1000, required: false);
        if (tuning.SlaMaxIterationMs is double sla && !(sla > 0 && double.IsFinite(sla)))
        {
            problems.Add("$.tuning.sla_max_iteration_ms", string.Create(CultureInfo.InvariantCulture, $"{sla} is out of range; expected a number > 0"));
        }

        problems.RequireRange(tuning.TargetSpeedup, "$.tuning.target_speedup", 1, 100, required: false);
        problems.RequireRange(tuning.PlateauSteps, "$.tuning.plateau_steps", 1, 1000, required: false);
        problems.RequireRange(tuning.Iterations, "$.tuning.iterations", 1, 100_000, required: false);
        problems.RequireRange(tuning.WarmupIterations, "$.tuning.warmup_iterations", 0, 100_000, required: false);
        problems.RequireRange(tuning.StepTimeoutSeconds, "$.tuning.step_timeout_seconds", 1, 86_400, required: false);
    }

    private static int Bounded(int? clusterValue, int limit) =>
        clusterValue is int value && value >= 1 && value <= limit ? value : limit;

    private static string Index(string arrayPath, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
}
