using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Simulation;
using CclAgent.Simulation.Truth;

namespace CclAgent.Tuning.Offline;

/// <summary>
/// The offline microbenchmark (nccl-tests over the workload's own message sizes and communicators):
/// every algorithm×protocol subspace at default resources, then a one-parameter-at-a-time sweep of
/// every other dimension inside the best subspaces. Its cost is a few dozen short nccl-tests runs
/// per collective, not training trials; it cannot see compute overlap, which is what the online loop is for.
/// </summary>
public sealed class Microbenchmark(ICollectiveBenchmark benchmark, SearchSpace space)
{
    /// <summary>How many of the fastest subspaces get a full sweep.</summary>
    public int SweptSubspaces { get; init; } = 3;

    public MicrobenchmarkResult Run(WorkloadSpec workload, CancellationToken cancellationToken)
    {
        int runs = 0;
        int failed = 0;
        var profiles = new List<CollectiveProfile>();
        foreach (CollectiveSpec spec in workload.Iteration!.Collectives!)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CollectiveCall call = SimulatedCluster.ToCall(spec);
            CollectiveBenchmarkReading? baseline = Measure(call, NcclConfig.Default, ref runs, ref failed);
            var subspaces = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (NcclConfig subspace in Subspaces())
            {
                if (Measure(call, subspace, ref runs, ref failed) is { } reading)
                {
                    subspaces[SubspaceKey(subspace)] = reading.TimeUs;
                }
            }

            var sweeps = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>(StringComparer.Ordinal);
            foreach ((string key, double baseTime) in subspaces.OrderBy(kv => kv.Value).Take(SweptSubspaces))
            {
                sweeps[key] = Sweep(call, FromKey(key), baseTime, ref runs, ref failed);
            }

            profiles.Add(new CollectiveProfile
            {
                Name = spec.Name ?? spec.Op!,
                Op = spec.Op!,
                Bytes = spec.Bytes!.Value,
                Count = spec.Count,
                Overlap = spec.Overlap,
                DefaultTimeUs = baseline?.TimeUs ?? double.NaN,
                DefaultChannels = baseline?.Channels ?? 1,
                SubspaceTimeUs = subspaces,
                Sweeps = sweeps,
            });
        }

        return new MicrobenchmarkResult { Collectives = profiles, Importance = Importance(profiles), Runs = runs, FailedRuns = failed };
    }

    public static string SubspaceKey(NcclConfig config) => $"{config.Algorithm?.ToString() ?? "-"}/{config.Protocol?.ToString() ?? "-"}";

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

    private Dictionary<string, IReadOnlyDictionary<string, double>> Sweep(CollectiveCall call, NcclConfig subspace, double baseTime, ref int runs, ref int failed)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (SearchDimension dimension in space.Dimensions.Where(d => !d.IsImplementation))
        {
            var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (string? value in dimension.Values.Where(v => v is not null))
            {
                NcclConfig config = SearchSpace.Set(subspace, dimension.Parameter, value);
                if (Measure(call, config, ref runs, ref failed) is { } reading)
                {
                    ratios[value!] = reading.TimeUs / baseTime;
                }
            }

            result[dimension.Parameter] = ratios;
        }

        return result;
    }

    private CollectiveBenchmarkReading? Measure(CollectiveCall call, NcclConfig config, ref int runs, ref int failed)
    {
        runs++;
        CollectiveBenchmarkReading? reading = benchmark.Measure(call, config);
        if (reading is null)
        {
            failed++;
        }

        return reading;
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
