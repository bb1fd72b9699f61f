using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Nccl.Tuner;
using CclAgent.Tuning.Offline;

namespace CclAgent.Tuning.Search;

/// <summary>
/// The online surrogate: predicts a configuration's iteration time from the microbenchmark (per
/// collective: subspace time × one-at-a-time ratios), composes collectives with the workload's
/// compute and overlap, anchors on a measured run, and corrects itself from every trial with a
/// Gaussian process over encoded configurations fitted to the log residuals. Its uncertainty is the
/// GP's posterior variance: small next to measured points, back to the prior far from them.
/// </summary>
internal sealed partial class IterationSurrogate
{
    private readonly MicrobenchmarkResult _bench;
    private readonly double _computeMs;
    private readonly int _smCount;
    private readonly ConfigEncoder _encoder;
    private readonly GaussianProcess _residuals = new(lengthScale: 0.45, minSignalVariance: 0.03 * 0.03);
    private double _anchor = 1;

    public IterationSurrogate(MicrobenchmarkResult bench, double computeMs, int smCount, SearchSpace space)
    {
        _bench = bench;
        _computeMs = computeMs;
        _smCount = smCount;
        _encoder = new ConfigEncoder(space, bench.Collectives.Select(p => p.Key).Distinct().ToList());
    }

    /// <summary>Weight of the cross-run model in the prior (the microbenchmark model has the rest).</summary>
    public const double CrossRunWeight = 0.4;

    private readonly Dictionary<string, double> _priorCache = new(StringComparer.Ordinal);
    private Func<NcclConfig, double>? _crossRunPrior;

    /// <summary>
    /// Blends a cross-run prior (predicted log time relative to the default, learned from earlier runs
    /// of similar contexts) into the microbenchmark model, geometrically, before any residual correction.
    /// </summary>
    public void UseCrossRunPrior(Func<NcclConfig, double> relativeLog)
    {
        _crossRunPrior = relativeLog;
        _priorCache.Clear();
        _rawByConfig.Clear();
    }

    /// <summary>Trials the residual model has seen.</summary>
    public int Observations => _residuals.Count;

    /// <summary>Anchors predictions on a measured baseline so the model's absolute error cancels.</summary>
    public void Anchor(NcclConfig config, double measuredMs)
    {
        double raw = RawIterationMs(config);
        _anchor = double.IsFinite(raw) && raw > 0 && double.IsFinite(measuredMs) && measuredMs > 0 ? measuredMs / raw : 1;
    }

    /// <summary>Adds a measured trial; <paramref name="relativeNoise"/> is the measurement's standard error over its median.</summary>
    public void Observe(NcclConfig config, double measuredMs, double relativeNoise = 0.005)
    {
        double predicted = _anchor * RawIterationMs(config);
        if (!double.IsFinite(predicted) || predicted <= 0 || !double.IsFinite(measuredMs) || measuredMs <= 0)
        {
            return; // no residual to learn from: log of a non-positive time is not a number
        }

        double noise = double.IsFinite(relativeNoise) ? relativeNoise : 1;
        _residuals.Add(_encoder.Encode(config), Math.Log(measuredMs / predicted), noise * noise);
    }

    /// <summary>Predicted iteration time (ms) and its standard deviation.</summary>
    public (double Mean, double StdDev) Predict(NcclConfig config)
    {
        double raw = _anchor * RawIterationMs(config);
        if (!double.IsFinite(raw))
        {
            return (double.PositiveInfinity, 0);
        }

        // Before the first fit every prediction is the prior: the whole-space walks skip encoding 10⁵ configurations.
        (double correction, double variance) = _residuals.Fitted ? _residuals.Predict(_encoder.Encode(config)) : _residuals.Prior;
        double mean = raw * Math.Exp(correction);
        return (mean, mean * Math.Sqrt(variance));
    }

    /// <summary>
    /// Sweep ratios by collective, subspace, parameter and value. The whole-space walks ask for the same few hundred ratios
    /// 10⁵ times each; the surrogate is used from one thread (the planner, then the search).
    /// </summary>
    private readonly Dictionary<(CollectiveProfile Profile, string Subspace, string Parameter, string Value), double?> _ratios = [];

    /// <summary>Communication time of one collective (µs) predicted from the microbenchmark; ∞ when it failed there.</summary>
    private double CollectiveUs(CollectiveProfile profile, NcclConfig config)
    {
        string key = Microbenchmark.SubspaceKey(config);
        if (SubspaceUs(profile, key) is not double time)
        {
            return double.PositiveInfinity;
        }

        foreach ((_, string parameter, string? value) in ResourceValues(config))
        {
            if (value is null)
            {
                continue;
            }

            double? ratio = CachedRatio(profile, key, parameter, value);
            if (ratio is null)
            {
                return double.PositiveInfinity;
            }

            time *= ratio.Value;
        }

        return time;
    }

    /// <summary>A subspace's base time (µs); null when it failed in the microbenchmark.</summary>
    private static double? SubspaceUs(CollectiveProfile profile, string key)
    {
        if (profile.SubspaceTimeUs.TryGetValue(key, out double time))
        {
            return time;
        }

        // Not measured (budget spent): no evidence either way, so assume NCCL's default time; failed: never.
        return profile.SkippedSubspaces.Contains(key) && double.IsFinite(profile.DefaultTimeUs) ? profile.DefaultTimeUs : null;
    }

    private double? CachedRatio(CollectiveProfile profile, string key, string parameter, string value)
    {
        if (!_ratios.TryGetValue((profile, key, parameter, value), out double? ratio))
        {
            ratio = Ratio(profile, key, parameter, value);
            _ratios[(profile, key, parameter, value)] = ratio;
        }

        return ratio;
    }

    /// <summary>
    /// Raw times the whole-space walk already computed, for the configurations it handed out (by reference: the search's
    /// first step predicts its 20,000 again). Raw time depends on the microbenchmark and the prior only, not on trials.
    /// </summary>
    private readonly Dictionary<NcclConfig, double> _rawByConfig = new(ReferenceEqualityComparer.Instance);

    private double RawIterationMs(NcclConfig config) =>
        _rawByConfig.TryGetValue(config, out double raw) ? raw : BlendCrossRunPrior(config, MicrobenchIterationMs(config));

    /// <summary>The microbenchmark model's time blended with the cross-run prior, when there is one.</summary>
    private double BlendCrossRunPrior(NcclConfig config, double microbench)
    {
        if (_crossRunPrior is null || !double.IsFinite(microbench))
        {
            return microbench;
        }

        string key = config.Key;
        if (!_priorCache.TryGetValue(key, out double relative))
        {
            relative = _crossRunPrior(config) - _crossRunPrior(NcclConfig.Default);
            _priorCache[key] = relative;
        }

        double crossRun = MicrobenchIterationMs(NcclConfig.Default) * Math.Exp(relative);
        return Math.Exp(((1 - CrossRunWeight) * Math.Log(microbench)) + (CrossRunWeight * Math.Log(crossRun)));
    }

    private double MicrobenchIterationMs(NcclConfig config)
    {
        double exposed = 0;
        double overlapped = 0;
        double smLoss = 0;
        foreach (CollectiveProfile profile in _bench.Collectives)
        {
            NcclConfig effective = ForCollective(config, profile.Key);
            double totalMs = CollectiveUs(profile, effective) * profile.Count / 1000.0;
            if (!double.IsFinite(totalMs))
            {
                return double.PositiveInfinity;
            }

            exposed += totalMs * (1 - profile.Overlap);
            double hidden = totalMs * profile.Overlap;
            overlapped += hidden;
            int channels = effective.MaxChannels ?? profile.DefaultChannels;
            smLoss += hidden * channels / _smCount;
        }

        return exposed + Math.Max(_computeMs + smLoss, overlapped);
    }

    /// <summary>
    /// How one collective runs under a configuration, in the microbenchmark's terms: a per-collective choice acts like
    /// NCCL_ALGO / NCCL_PROTO / channels set for that collective alone (nccl-tests measured exactly those).
    /// </summary>
    public static NcclConfig ForCollective(NcclConfig config, TunerKey key)
    {
        NcclConfig environment = config.WithoutChoices();
        if (config.ChoiceFor(key) is not { } choice)
        {
            return environment;
        }

        int? channels = choice.Channels == TunerChoice.NcclChannels ? environment.MaxChannels : Math.Min(choice.Channels, environment.MaxChannels ?? int.MaxValue);
        return environment with { Algorithm = choice.Algorithm, Protocol = choice.Protocol, MinChannels = channels, MaxChannels = channels };
    }

    /// <summary>The resource knobs a configuration sets, in the order their ratios multiply (Position: in DefinitionsByName).</summary>
    private static IEnumerable<(int Position, string Parameter, string? Value)> ResourceValues(NcclConfig config)
    {
        for (int position = 0; position < ParameterSpace.DefinitionsByName.Count; position++)
        {
            ParameterDefinition definition = ParameterSpace.DefinitionsByName[position];
            string name = definition.Name;
            if (definition.Read(config) is not string value)
            {
                continue;
            }

            if (name is ParameterSpace.Algo or ParameterSpace.Proto or ParameterSpace.MinChannels)
            {
                continue;
            }

            yield return name == ParameterSpace.MaxChannels ? (position, SearchSpace.Channels, value) : (position, name, value);
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
        // Sweeps that never measured this parameter (budget spent) say nothing about it.
        var ratios = pool.Where(s => s.ContainsKey(parameter)).Select(s => s[parameter].TryGetValue(value, out double r) ? r : (double?)null).ToList();
        if (ratios.Count == 0)
        {
            return 1;
        }

        return ratios.Any(r => r is null) ? null : ratios.Average(r => r!.Value);
    }
}
