using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Offline;

namespace CclAgent.Tuning.Search;

/// <summary>
/// The online surrogate: predicts a configuration's iteration time from the microbenchmark (per
/// collective: subspace time × one-at-a-time ratios), composes collectives with the workload's
/// compute and overlap, anchors on the measured baseline, and corrects itself from every trial
/// (per-subspace residuals, shrunk toward the global residual). Its uncertainty is the spread of
/// those residuals plus a prior that grows with distance from measured points.
/// </summary>
public sealed class IterationSurrogate
{
    private readonly MicrobenchmarkResult _bench;
    private readonly double _computeMs;
    private readonly int _smCount;
    private readonly Dictionary<string, List<double>> _residuals = new(StringComparer.Ordinal);
    private readonly List<double> _allResiduals = [];
    private double _anchor = 1;

    public IterationSurrogate(MicrobenchmarkResult bench, double computeMs, int smCount)
    {
        _bench = bench;
        _computeMs = computeMs;
        _smCount = smCount;
    }

    /// <summary>Anchors predictions on a measured baseline so the model's absolute error cancels.</summary>
    public void Anchor(double measuredBaselineMs) => _anchor = measuredBaselineMs / Math.Max(1e-9, RawIterationMs(NcclConfig.Default));

    public void Observe(NcclConfig config, double measuredMs)
    {
        double predicted = _anchor * RawIterationMs(config);
        if (!double.IsFinite(predicted) || predicted <= 0)
        {
            return;
        }

        double residual = Math.Log(measuredMs / predicted);
        string key = Microbenchmark.SubspaceKey(config);
        if (!_residuals.TryGetValue(key, out List<double>? list))
        {
            _residuals[key] = list = [];
        }

        list.Add(residual);
        _allResiduals.Add(residual);
    }

    /// <summary>Predicted iteration time (ms) and its standard deviation.</summary>
    public (double Mean, double StdDev) Predict(NcclConfig config)
    {
        double raw = _anchor * RawIterationMs(config);
        if (!double.IsFinite(raw))
        {
            return (double.PositiveInfinity, 0);
        }

        string key = Microbenchmark.SubspaceKey(config);
        double global = _allResiduals.Count == 0 ? 0 : _allResiduals.Average();
        List<double> local = _residuals.GetValueOrDefault(key) ?? [];
        double correction = ((local.Sum()) + (2 * global)) / (local.Count + 2);
        double spread = _allResiduals.Count < 2 ? 0.03 : Math.Max(0.005, StdDev(_allResiduals));
        double distance = Unmeasured(config) * 0.01;
        return (raw * Math.Exp(correction), raw * Math.Sqrt((spread * spread) + (distance * distance)));
    }

    /// <summary>Communication time of one collective (µs) predicted from the microbenchmark; ∞ when it failed there.</summary>
    public static double CollectiveUs(CollectiveProfile profile, NcclConfig config)
    {
        string key = Microbenchmark.SubspaceKey(config);
        if (!profile.SubspaceTimeUs.TryGetValue(key, out double time))
        {
            return double.PositiveInfinity;
        }

        foreach ((string parameter, string? value) in ResourceValues(config))
        {
            if (value is null)
            {
                continue;
            }

            double? ratio = Ratio(profile, key, parameter, value);
            if (ratio is null)
            {
                return double.PositiveInfinity;
            }

            time *= ratio.Value;
        }

        return time;
    }

    private double RawIterationMs(NcclConfig config)
    {
        double exposed = 0;
        double overlapped = 0;
        double smLoss = 0;
        foreach (CollectiveProfile profile in _bench.Collectives)
        {
            double totalMs = CollectiveUs(profile, config) * profile.Count / 1000.0;
            if (!double.IsFinite(totalMs))
            {
                return double.PositiveInfinity;
            }

            exposed += totalMs * (1 - profile.Overlap);
            double hidden = totalMs * profile.Overlap;
            overlapped += hidden;
            int channels = config.MaxChannels ?? profile.DefaultChannels;
            smLoss += hidden * channels / _smCount;
        }

        return exposed + Math.Max(_computeMs + smLoss, overlapped);
    }

    private static IEnumerable<(string Parameter, string? Value)> ResourceValues(NcclConfig config)
    {
        foreach ((string name, string value) in config.ToAssignments())
        {
            if (name is ParameterSpace.Algo or ParameterSpace.Proto or ParameterSpace.MinChannels)
            {
                continue;
            }

            yield return name == ParameterSpace.MaxChannels ? (SearchSpace.Channels, value) : (name, value);
        }
    }

    /// <summary>The sweep ratio from the same subspace, else from one with the same protocol, else the mean over measured subspaces.</summary>
    private static double? Ratio(CollectiveProfile profile, string key, string parameter, string value)
    {
        if (profile.Sweeps.TryGetValue(key, out var own) && own.TryGetValue(parameter, out var values))
        {
            return values.TryGetValue(value, out double r) ? r : null;
        }

        string protocol = key.Split('/')[1];
        var similar = profile.Sweeps.Where(s => s.Key.EndsWith("/" + protocol, StringComparison.Ordinal)).Select(s => s.Value).ToList();
        var pool = similar.Count > 0 ? similar : profile.Sweeps.Values.ToList();
        var ratios = pool.Select(s => s.TryGetValue(parameter, out var v) && v.TryGetValue(value, out double r) ? r : (double?)null).ToList();
        if (ratios.Count == 0)
        {
            return 1;
        }

        return ratios.Any(r => r is null) ? null : ratios.Average(r => r!.Value);
    }

    private int Unmeasured(NcclConfig config)
    {
        string key = Microbenchmark.SubspaceKey(config);
        int resources = ResourceValues(config).Count(v => v.Value is not null);
        return _bench.Collectives.Any(p => p.Sweeps.ContainsKey(key)) ? Math.Max(0, resources - 1) : resources + 1;
    }

    private static double StdDev(List<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
