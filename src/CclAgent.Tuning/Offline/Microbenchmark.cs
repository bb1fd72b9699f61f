using CclAgent.Core.Statistics;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Cost;

namespace CclAgent.Tuning.Offline;

/// <summary>
/// The offline microbenchmark (nccl-tests over the workload's own message sizes and communicators):
/// every algorithm×protocol subspace at default resources, then a one-parameter-at-a-time sweep of
/// every other dimension inside the best subspaces. Its cost is a few dozen short nccl-tests runs
/// per collective, not training trials; it cannot see compute overlap, which is what the online loop is for.
/// The ranking always runs whole; each sweep runs only while it can plausibly save, over the job's remaining
/// iterations, the cluster time its runs cost (the stopping rule in <c>RunBudget.Worth</c>), so the budget is
/// cluster time rather than a run count. Estimates come from the cost model, never wall time, so it is deterministic.
/// </summary>
internal sealed class Microbenchmark(ICollectiveBenchmark benchmark, SearchSpace space)
{
    /// <summary>How many of the fastest subspaces get a full sweep.</summary>
    public int SweptSubspaces { get; init; } = 3;

    /// <summary>
    /// An explicit cap on runs (<c>$.microbenchmark.max_runs</c>); unbounded by default. With a cap, every collective's
    /// default and subspace runs come first, so a small cap cuts the per-parameter sweeps, never the subspace ranking.
    /// </summary>
    public int MaxRuns { get; init; } = int.MaxValue;

    /// <summary>Charges each run its cluster time; unset, the workload's cost model estimates it (a simulated benchmark).</summary>
    public ClusterCharge? Charge { get; init; }

    /// <summary>
    /// Relative gain a sweep of a parameter is assumed able to find until one was measured: AutoCCL reports up to
    /// 35% bandwidth from tuning NCCL's six parameters (NSDI'25). After that, the largest gain measured for it so far.
    /// </summary>
    public const double PriorSweepGain = 0.35;

    public async Task<MicrobenchmarkResult> RunAsync(WorkloadSpec workload, CancellationToken cancellationToken)
    {
        var budget = new RunBudget(MaxRuns, Charge ?? new ClusterCharge(TuningCostModel.For(workload), TimeProvider.System, realJobs: false, realMicrobenchmark: false));

        // Without a cap, each collective is swept right after its subspaces; with one, every collective's subspaces
        // come first so the cap cuts sweeps, not the ranking.
        bool deferSweeps = MaxRuns != int.MaxValue;
        var measured = new List<Measured>();
        foreach ((CollectiveSpec spec, CollectiveCall call) in Distinct(workload.Iteration!.Collectives!))
        {
            CollectiveBenchmarkReading? baseline = await MeasureAsync(call, NcclConfig.Default, budget, cancellationToken);
            var subspaces = new Dictionary<string, double>(StringComparer.Ordinal);
            var skipped = new List<string>();
            foreach (NcclConfig subspace in Subspaces())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (budget.Exhausted)
                {
                    skipped.Add(SubspaceKey(subspace));
                }
                else if (await MeasureAsync(call, subspace, budget, cancellationToken) is { } reading)
                {
                    subspaces[SubspaceKey(subspace)] = reading.TimeUs;
                }
            }

            var item = new Measured(spec, call, baseline, subspaces) { Skipped = skipped, BestUs = Best(baseline, subspaces) };
            measured.Add(item);
            if (!deferSweeps)
            {
                await SweepBestAsync(item, budget, cancellationToken);
            }
        }

        var profiles = new List<CollectiveProfile>();
        foreach (Measured item in measured)
        {
            if (deferSweeps)
            {
                await SweepBestAsync(item, budget, cancellationToken);
            }

            (CollectiveSpec spec, _, CollectiveBenchmarkReading? baseline, Dictionary<string, double> subspaces) = item;
            var sweeps = item.Sweeps;
            profiles.Add(new CollectiveProfile
            {
                Name = spec.Name ?? spec.Op!,
                Op = spec.Op!,
                Bytes = spec.Bytes!.Value,
                Count = spec.Count,
                Overlap = spec.Overlap,
                Nodes = item.Call.Nodes,
                Ranks = item.Call.Ranks,
                DefaultTimeUs = baseline?.TimeUs ?? double.NaN,
                DefaultChannels = baseline?.Channels ?? 1,
                SubspaceTimeUs = subspaces,
                SkippedSubspaces = item.Skipped,
                Sweeps = sweeps,
            });
        }

        return new MicrobenchmarkResult
        {
            Collectives = profiles,
            Importance = Importance(profiles),
            Runs = budget.Runs,
            FailedRuns = budget.Failed,
            SkippedRuns = budget.Skipped,
            StopReason = budget.StopReason,
            ClusterSeconds = Math.Round(budget.Charge.MicrobenchmarkSeconds, 3),
            RemainingIterations = budget.Charge.Model.RemainingIterations,
            SweepDecisions = budget.Decisions,
        };
    }

    /// <summary>
    /// One entry per distinct collective: entries with the same call (op, bytes, nodes, ranks per node, groups) and
    /// overlap are one communication pattern, so they are measured once and weighted by their summed count. A
    /// per-layer list of thousands of entries then costs what its few shapes cost, in nccl-tests runs and in every
    /// surrogate prediction after. First-occurrence order; a workload without repeats is unchanged.
    /// </summary>
    private static List<(CollectiveSpec Spec, CollectiveCall Call)> Distinct(IReadOnlyList<CollectiveSpec> collectives)
    {
        // The group keeps its first entry's name: the deliverables look the workload entry up by it.
        var groups = new List<(CollectiveSpec Spec, CollectiveCall Call)>();
        var index = new Dictionary<(CollectiveCall, double), int>();
        foreach (CollectiveSpec spec in collectives)
        {
            CollectiveCall call = CollectiveCall.From(spec);
            if (index.TryGetValue((call, spec.Overlap), out int at))
            {
                groups[at] = (groups[at].Spec with { Count = groups[at].Spec.Count + spec.Count }, call);
            }
            else
            {
                index[(call, spec.Overlap)] = groups.Count;
                groups.Add((spec, call));
            }
        }

        return groups;
    }

    public static string SubspaceKey(NcclConfig config) =>
        SubspaceKeys[config.Algorithm is { } a ? (int)a + 1 : 0, config.Protocol is { } p ? (int)p + 1 : 0];

    /// <summary>"Ring/Simple", "-/-" …: built once, because the surrogate asks for one per collective per configuration it predicts.</summary>
    private static readonly string[,] SubspaceKeys = BuildSubspaceKeys();

    private static string[,] BuildSubspaceKeys()
    {
        NcclAlgorithm[] algorithms = Enum.GetValues<NcclAlgorithm>();
        NcclProtocol[] protocols = Enum.GetValues<NcclProtocol>();
        var keys = new string[algorithms.Length + 1, protocols.Length + 1];
        for (int a = 0; a <= algorithms.Length; a++)
        {
            for (int p = 0; p <= protocols.Length; p++)
            {
                keys[a, p] = $"{(a == 0 ? "-" : algorithms[a - 1].ToString())}/{(p == 0 ? "-" : protocols[p - 1].ToString())}";
            }
        }

        return keys;
    }

    public static NcclConfig FromKey(string key)
    {
        string[] parts = key.Split('/');
        return NcclConfig.Default
            .With(ParameterSpace.Algo, parts[0] == "-" ? null : parts[0])
            .With(ParameterSpace.Proto, parts[1] == "-" ? null : parts[1]);
    }

    private IEnumerable<NcclConfig> Subspaces()
    {
        SearchDimension algorithms = space.Dimension(ParameterSpace.Algo)!;
        SearchDimension protocols = space.Dimension(ParameterSpace.Proto)!;
        foreach (string? algorithm in algorithms.Values)
        {
            foreach (string? protocol in protocols.Values)
            {
                yield return NcclConfig.Default.With(ParameterSpace.Algo, algorithm).With(ParameterSpace.Proto, protocol);
            }
        }
    }

    private async Task SweepBestAsync(Measured item, RunBudget budget, CancellationToken cancellationToken)
    {
        SearchDimension[] dimensions = space.Dimensions.Where(d => !d.IsImplementation).ToArray();
        foreach ((string key, double baseTime) in item.Subspaces.OrderBy(kv => kv.Value).Take(SweptSubspaces))
        {
            // The subspace is worth sweeping only if all its parameters together could plausibly beat the best so far.
            double remaining = dimensions.Aggregate(1.0, (left, d) => left * (1 - budget.PlausibleGain(d.Parameter)));
            int runs = dimensions.Sum(d => d.Values.Count(v => v is not null));
            if (!budget.Worth(item, key, null, baseTime, remaining, runs))
            {
                budget.Skipped += runs;
                continue;
            }

            item.Sweeps[key] = await SweepAsync(item, key, dimensions, baseTime, budget, cancellationToken);
        }
    }

    private async Task<Dictionary<string, IReadOnlyDictionary<string, double>>> SweepAsync(Measured item, string key, SearchDimension[] dimensions, double baseTime, RunBudget budget, CancellationToken cancellationToken)
    {
        NcclConfig subspace = FromKey(key);
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (SearchDimension dimension in dimensions)
        {
            // A parameter is swept whole or not at all: not measured is not "no effect" (pruning) nor "failed" (the surrogate).
            int values = dimension.Values.Count(v => v is not null);
            if (budget.Runs + values > budget.Max)
            {
                budget.Skipped += values;
                budget.StopReason = MicrobenchmarkStops.MaxRuns;
                continue;
            }

            if (!budget.Worth(item, key, dimension.Parameter, baseTime, 1 - budget.PlausibleGain(dimension.Parameter), values))
            {
                budget.Skipped += values;
                continue;
            }

            var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string? value in dimension.Values.Where(v => v is not null))
            {
                NcclConfig config = SearchSpace.Set(subspace, dimension.Parameter, value);
                if (await MeasureAsync(item.Call, config, budget, cancellationToken) is { } reading)
                {
                    ratios[value!] = reading.TimeUs / baseTime;
                    item.BestUs = Math.Min(item.BestUs, reading.TimeUs);
                }
            }

            budget.Observed(dimension.Parameter, ratios.Values);
            result[dimension.Parameter] = ratios;
        }

        return result;
    }

    private async Task<CollectiveBenchmarkReading?> MeasureAsync(CollectiveCall call, NcclConfig config, RunBudget budget, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (budget.Exhausted)
        {
            budget.Skipped++;
            budget.StopReason = MicrobenchmarkStops.MaxRuns;
            return null;
        }

        budget.Runs++;
        long started = budget.Charge.Start();
        CollectiveBenchmarkReading? reading = await benchmark.MeasureAsync(call, config, cancellationToken);
        budget.Charge.MicrobenchmarkRun(reading?.TimeUs, started);

        // Defence in depth behind the adapters: an impossible time would rank a subspace first and become a
        // ratio of zero or infinity in every prediction; it is a failed run, like one that printed nothing.
        if (reading is not null && !MeasurementBounds.IsPlausibleCollectiveUs(reading.TimeUs))
        {
            reading = null;
        }

        if (reading is null)
        {
            budget.Failed++;
        }

        return reading;
    }

    private static double Best(CollectiveBenchmarkReading? baseline, Dictionary<string, double> subspaces) =>
        subspaces.Values.Append(baseline?.TimeUs ?? double.PositiveInfinity).Min();

    private sealed record Measured(CollectiveSpec Spec, CollectiveCall Call, CollectiveBenchmarkReading? Baseline, Dictionary<string, double> Subspaces)
    {
        public IReadOnlyList<string> Skipped { get; init; } = [];

        /// <summary>The fastest time measured for this collective so far (µs per call).</summary>
        public double BestUs { get; set; } = double.PositiveInfinity;

        public Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Sweeps { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The run count cap, the cluster time spent, and the stopping rule's memory of what sweeps found.</summary>
    private sealed class RunBudget(int max, ClusterCharge charge)
    {
        private readonly Dictionary<string, double> _gain = new(StringComparer.Ordinal);

        public int Max { get; } = max;
        public ClusterCharge Charge { get; } = charge;
        public int Runs { get; set; }
        public int Failed { get; set; }
        public int Skipped { get; set; }
        public bool Exhausted => Runs >= Max;
        public string StopReason { get; set; } = MicrobenchmarkStops.Complete;
        public List<SweepDecision> Decisions { get; } = [];

        public double PlausibleGain(string parameter) => _gain.TryGetValue(parameter, out double gain) ? gain : PriorSweepGain;

        public void Observed(string parameter, IEnumerable<double> ratios)
        {
            double best = ratios.Select(r => 1 - r).Where(double.IsFinite).DefaultIfEmpty(0).Max();
            _gain[parameter] = Math.Clamp(Math.Max(_gain.GetValueOrDefault(parameter), best), 0, 1);
        }

        /// <summary>
        /// The stopping rule: the sweep's plausible saving (how far it could beat this collective's best so far, per call,
        /// × calls per iteration × the iterations the job will still run) against the cluster time of its runs.
        /// </summary>
        public bool Worth(Measured item, string subspace, string? parameter, double baseUs, double remainingFraction, int runs)
        {
            TuningCostModel model = Charge.Model;
            double savingUs = Math.Max(0, Math.Min(item.BestUs, baseUs) - (baseUs * remainingFraction));
            double saving = savingUs * item.Spec.Count * model.RemainingIterations / 1e6;
            double cost = runs * model.MicrobenchmarkRunSeconds(baseUs);
            bool worth = saving >= cost;
            Decisions.Add(new SweepDecision(item.Spec.Name ?? item.Spec.Op!, subspace, parameter, runs, Math.Round(saving, 3), Math.Round(cost, 3), worth));
            if (!worth && StopReason == MicrobenchmarkStops.Complete)
            {
                StopReason = MicrobenchmarkStops.GainBelowCost;
            }

            return worth;
        }
    }

    private static Dictionary<string, double> Importance(IReadOnlyList<CollectiveProfile> profiles)
    {
        double total = profiles.Sum(p => p.Count * p.DefaultTimeUs);
        var importance = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (CollectiveProfile profile in profiles)
        {
            double weight = total > 0 ? profile.Count * profile.DefaultTimeUs / total : 0;
            double subspaceGain = profile.SubspaceTimeUs.Count == 0 ? 0 : 1 - (profile.SubspaceTimeUs.Values.Min() / profile.DefaultTimeUs);
            Add(importance, ParameterSpace.Algo, weight * Math.Abs(subspaceGain));
            Add(importance, ParameterSpace.Proto, weight * Math.Abs(subspaceGain));
            foreach (var sweep in profile.Sweeps.Values)
            {
                foreach ((string parameter, IReadOnlyDictionary<string, double> ratios) in sweep)
                {
                    double effect = ratios.Count == 0 ? 0 : ratios.Values.Max(r => Math.Abs(1 - r));
                    Add(importance, parameter, weight * effect);
                }
            }
        }

        return importance;
    }

    private static void Add(Dictionary<string, double> map, string key, double value) =>
        map[key] = Math.Max(map.GetValueOrDefault(key), Math.Round(value, 6));
}
