using System.Globalization;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Nccl.Tuner;
using CclAgent.Tuning.Risk;
using MathNet.Numerics.Distributions;

namespace CclAgent.Tuning.Search;

/// <summary>
/// ccl-agent's search. Each step generates candidates from two sources — hypotheses (the surrogate's
/// best points anywhere in the space, which may switch algorithm×protocol subspace) and coordinate
/// descent moves (one dimension of the incumbent at a time, inside its subspace, most important
/// dimensions first) — then dedupes, validates, scores risk, predicts with uncertainty and ranks by
/// expected improvement over the incumbent. Every step of that pipeline is written to the candidate trace.
/// </summary>
internal sealed class SurrogateDescentSearch
{
    private const int HypothesisPool = 400;
    private const int TraceLimit = 24;

    private readonly SearchSpace _space;
    private readonly IterationSurrogate _surrogate;
    private readonly RiskScorer _risk;
    private readonly IReadOnlyDictionary<string, double> _importance;
    private readonly List<Hypothesis> _portfolio;
    private List<NcclConfig>? _pool;

    public SurrogateDescentSearch(SearchSpace space, IterationSurrogate surrogate, RiskScorer risk, IReadOnlyDictionary<string, double> importance, IReadOnlyList<Hypothesis>? portfolio = null)
    {
        _space = space;
        _surrogate = surrogate;
        _risk = risk;
        _importance = importance;
        _portfolio = [.. portfolio ?? []];
    }

    /// <summary>
    /// The collectives that may get their own algorithm, protocol and channels (through the tuner plugin); empty when
    /// the job has no plugin to apply them, and the search then moves environment variables only.
    /// </summary>
    public IReadOnlyList<CollectiveTarget> Collectives { get; init; } = [];

    /// <summary>
    /// Set when the job is tuned in place (<c>tune --in-job</c>): candidates are ranked by the cluster seconds they are
    /// expected to save, less the restart an environment change needs; a restart that is not worth it is not proposed.
    /// </summary>
    public RestartEconomics? InJob { get; init; }

    /// <summary>The planner's fastest predicted configurations; the hypothesis pool is drawn from them instead of another whole-space walk.</summary>
    public IReadOnlyList<NcclConfig> Shortlist { get; init; } = [];

    /// <summary>The platform, for which algorithm × protocol cells NCCL offers each collective.</summary>
    public NcclPlatform? Platform { get; init; }

    private static readonly int[] ChannelGrid = [.. TunerCells.Channels];

    /// <summary>In-job, a table change is preferred to any restart while its expected improvement is at least this fraction of the incumbent (about the noise a window resolves).</summary>
    private const double InJobMinimumGain = 0.002;

    /// <summary>Hypotheses that arrive during the run (the language model's); they compete with the rest from the next step on.</summary>
    public void AddHypotheses(IEnumerable<Hypothesis> hypotheses) => _portfolio.AddRange(hypotheses);

    public Proposal? Next(SearchState state, int step, CancellationToken cancellationToken = default)
    {
        var generated = new List<(NcclConfig Config, string Source)>();
        var hypothesisOf = new Dictionary<string, Hypothesis>(StringComparer.Ordinal);
        foreach (Hypothesis hypothesis in _portfolio)
        {
            NcclConfig config = state.Incumbent.With(hypothesis.Patch);
            generated.Add((config, hypothesis.Source));
            hypothesisOf.TryAdd(config.Key, hypothesis);
        }

        generated.AddRange(Hypotheses(cancellationToken).Select(c => (c, "hypothesis")));
        generated.AddRange(Neighbours(state.Incumbent).Select(c => (c, "descent")));
        if (Collectives.Count > 0 && Platform is not null)
        {
            if (Refined(state.Incumbent, cancellationToken) is { } refined)
            {
                generated.Add((refined, "per-collective"));
            }

            generated.AddRange(CollectiveMoves(state.Incumbent).Select(c => (c, "per-collective-descent")));
        }

        var trace = new List<CandidateTraceEntry>();
        var ranked = new List<(NcclConfig Config, string Source, double Mean, double Std, double Ei, RiskAssessment Risk, string Id)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        double best = state.IncumbentStats.Median;
        int n = 0;
        foreach ((NcclConfig config, string source) in generated)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string id = string.Create(CultureInfo.InvariantCulture, $"candidate:{step}:{++n}");
            if (!seen.Add(config.Key) || state.Visited(config))
            {
                trace.Add(Dropped(id, source, config, state, "deduped", "already generated or already tried"));
                continue;
            }

            RiskAssessment risk = _risk.Assess(config, state.KnownGood);
            if (risk.Blocked)
            {
                string stage = risk.Reasons.Any(r => r.StartsWith("error", StringComparison.Ordinal)) ? "validated" : "risk";
                trace.Add(Dropped(id, source, config, state, stage, string.Join("; ", risk.Reasons)) with { Risk = risk.Score });
                continue;
            }

            (double mean, double std) = _surrogate.Predict(config);
            if (!double.IsFinite(mean))
            {
                trace.Add(Dropped(id, source, config, state, "predicted", "failed in the microbenchmark") with { Risk = risk.Score });
                continue;
            }

            ranked.Add((config, source, mean, std, ExpectedImprovement(best, mean, std), risk, id));
        }

        if (ranked.Count == 0)
        {
            return null;
        }

        // Risk breaks ties: among near-equal expected improvements prefer the safer move.
        ranked = ranked.OrderByDescending(r => Value(r.Config, r.Ei * (1 - (0.2 * r.Risk.Score)), best - r.Mean, state.Incumbent)).ThenBy(r => r.Mean).ToList();
        if (InJob is not null)
        {
            foreach (var r in ranked.Where(r => RestartEconomics.NeedsRestart(r.Config, state.Incumbent) && Value(r.Config, r.Ei, best - r.Mean, state.Incumbent) <= 0).ToList())
            {
                trace.Add(Dropped(r.Id, r.Source, r.Config, state, "restart", string.Create(CultureInfo.InvariantCulture,
                    $"needs a job restart ({InJob.RestartSeconds:0} s) that its predicted saving ({best - r.Mean:0.000} ms × {InJob.RemainingIterations:0} remaining iterations) does not pay for")));
                ranked.Remove(r);
            }

            // In the running job first: a restart only once no table change is expected to beat the incumbent beyond noise.
            double worthWindow = state.IncumbentStats.Median * InJobMinimumGain;
            var inJob = ranked.Where(r => !RestartEconomics.NeedsRestart(r.Config, state.Incumbent)).ToList();
            if (inJob.Count > 0 && (inJob[0].Ei >= worthWindow || ranked.Count == inJob.Count))
            {
                ranked = [.. inJob, .. ranked.Except(inJob)];
            }

            if (ranked.Count == 0)
            {
                return null;
            }
        }

        var chosen = ranked[0];
        for (int i = 0; i < ranked.Count && i < TraceLimit; i++)
        {
            var r = ranked[i];
            trace.Add(new CandidateTraceEntry
            {
                Id = r.Id, Source = r.Source, Config = r.Config.ToAssignments(), Patch = r.Config.PatchFrom(state.Incumbent),
                Risk = r.Risk.Score, PredictedMs = Round(r.Mean), PredictedStdMs = Round(r.Std), Acquisition = Round(r.Ei),
                Rank = i + 1, Selected = i == 0, DroppedAt = i == 0 ? null : "ranked", Reason = i == 0 ? "highest expected improvement" : "lower expected improvement",
            });
        }

        hypothesisOf.TryGetValue(chosen.Config.Key, out Hypothesis? origin);
        string claim = origin?.Rationale is { } why ? $" ({origin.Evidence}: \"{why}\")" : string.Empty;
        string rationale = chosen.Source.StartsWith("per-collective", StringComparison.Ordinal)
            ? $"{chosen.Source} on {DescribePatch(chosen.Config.PatchFrom(state.Incumbent))}: surrogate predicts {chosen.Mean:0.0} ± {chosen.Std:0.0} ms vs incumbent {best:0.0} ms"
            : chosen.Source != "descent"
            ? $"{chosen.Source}{claim}: surrogate predicts {chosen.Mean:0.0} ± {chosen.Std:0.0} ms vs incumbent {best:0.0} ms (expected improvement {chosen.Ei:0.00} ms)"
            : $"coordinate descent on {DescribePatch(chosen.Config.PatchFrom(state.Incumbent))}: predicted {chosen.Mean:0.0} ± {chosen.Std:0.0} ms";
        if (InJob is not null)
        {
            rationale += RestartEconomics.NeedsRestart(chosen.Config, state.Incumbent)
                ? string.Create(CultureInfo.InvariantCulture, $"; restarts the job: predicted saving {InJob.NetSeconds(best - chosen.Mean, false):0} s over the remaining iterations > the restart's {InJob.RestartSeconds:0} s")
                : "; in the running job (table rewrite, no restart)";
        }

        var kept = trace.Where(t => t.Selected || t.DroppedAt != "deduped").Take(TraceLimit * 2).ToList();
        IReadOnlyList<string> evidence = origin is not null && origin.Source == chosen.Source
            ? [chosen.Id, origin.Evidence, .. origin.Citations, .. chosen.Risk.Evidence]
            : [chosen.Id, .. chosen.Risk.Evidence];
        return new Proposal(chosen.Config, chosen.Source, rationale, chosen.Mean, evidence, kept) { Risk = chosen.Risk.Score };
    }

    /// <summary>
    /// The ranking score: expected improvement per iteration; in-job, the cluster seconds it is expected to save. A table
    /// change is a cheap experiment, so its optimistic expected improvement counts; a restart is paid for certain, so it
    /// must pay off on the predicted saving alone.
    /// </summary>
    private double Value(NcclConfig config, double expectedImprovementMs, double predictedSavingMs, NcclConfig incumbent) =>
        InJob is null ? expectedImprovementMs
        : RestartEconomics.NeedsRestart(config, incumbent) ? InJob.NetSeconds(Math.Max(0, predictedSavingMs), restart: true)
        : InJob.NetSeconds(expectedImprovementMs, restart: false);

    /// <summary>EI for minimisation: (best − μ)Φ(z) + σφ(z).</summary>
    public static double ExpectedImprovement(double best, double mean, double std)
    {
        if (std <= 1e-12)
        {
            return Math.Max(0, best - mean);
        }

        double z = (best - mean) / std;
        return ((best - mean) * Normal.CDF(0, 1, z)) + (std * Normal.PDF(0, 1, z));
    }

    private IEnumerable<NcclConfig> Hypotheses(CancellationToken cancellationToken)
    {
        // The pool is one pass over the planner's shortlist (or the whole space without one; the first step pays it).
        _pool ??= (Shortlist.Count > 0 ? Shortlist : _space.Enumerate())
            .Select(c => { cancellationToken.ThrowIfCancellationRequested(); return (Config: c, Mean: _surrogate.Predict(c).Mean); })
            .Where(p => double.IsFinite(p.Mean))
            .OrderBy(p => p.Mean)
            .Take(HypothesisPool)
            .Select(p => p.Config)
            .ToList();
        return _pool.OrderBy(c => _surrogate.Predict(c).Mean).Take(12);
    }

    /// <summary>One dimension at a time: ±1 and ±2 grid steps for resources, every alternative for implementation dimensions.</summary>
    private IEnumerable<NcclConfig> Neighbours(NcclConfig incumbent)
    {
        int[] at = _space.IndexesOf(incumbent);
        var order = Enumerable.Range(0, _space.Dimensions.Count)
            .OrderByDescending(d => _importance.GetValueOrDefault(_space.Dimensions[d].Parameter == SearchSpace.Channels ? SearchSpace.Channels : _space.Dimensions[d].Parameter));
        foreach (int d in order)
        {
            SearchDimension dimension = _space.Dimensions[d];
            IEnumerable<int> moves = dimension.IsImplementation
                ? Enumerable.Range(0, dimension.Values.Count).Where(i => i != at[d])
                : new[] { at[d] - 2, at[d] - 1, at[d] + 1, at[d] + 2 }.Where(i => i >= 0 && i < dimension.Values.Count);
            foreach (int index in moves)
            {
                int[] next = (int[])at.Clone();
                next[d] = index;
                yield return _space.At(next) with { Choices = incumbent.Choices }; // environment moves keep the per-collective choices
            }
        }
    }

    /// <summary>
    /// One collective at a time, most communication first: another algorithm × protocol at its channels, ±1 and ±2
    /// channel-grid steps, or back to NCCL's choice. Rows need NCCL_ALGO / NCCL_PROTO unset, so a move from an
    /// incumbent that forces them starts from the same environment without them.
    /// </summary>
    private IEnumerable<NcclConfig> CollectiveMoves(NcclConfig incumbent)
    {
        // In-job the environment is the running job's: rows can only pick among the cells it leaves NCCL.
        NcclConfig basis = InJob is null ? incumbent with { Algorithm = null, Protocol = null } : incumbent;
        foreach (CollectiveTarget target in Collectives)
        {
            TunerChoice? current = incumbent.ChoiceFor(target.Key);
            int channels = current?.Channels ?? Snap(incumbent.MaxChannels ?? target.DefaultChannels);
            foreach (TunerChoice choice in Cells(target.Key, channels, basis).Where(c => c != current))
            {
                yield return basis.WithChoice(target.Key, choice);
            }

            if (current is null)
            {
                continue;
            }

            int at = Array.IndexOf(ChannelGrid, Snap(current.Channels));
            foreach (int index in new[] { at - 2, at - 1, at + 1, at + 2 }.Where(i => i >= 0 && i < ChannelGrid.Length && i != at))
            {
                yield return basis.WithChoice(target.Key, current with { Channels = ChannelGrid[index] });
            }

            yield return basis.WithChoice(target.Key, null);
        }
    }

    /// <summary>The incumbent with each collective in turn set to the choice the surrogate predicts best for it (one greedy pass).</summary>
    private NcclConfig? Refined(NcclConfig incumbent, CancellationToken cancellationToken)
    {
        NcclConfig config = InJob is null ? incumbent with { Algorithm = null, Protocol = null } : incumbent;
        double bestMs = _surrogate.Predict(config).Mean;
        foreach (CollectiveTarget target in Collectives)
        {
            foreach (int channels in ChannelGrid)
            {
                foreach (TunerChoice choice in Cells(target.Key, channels, config))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    NcclConfig candidate = config.WithChoice(target.Key, choice);
                    double ms = _surrogate.Predict(candidate).Mean;
                    if (ms < bestMs)
                    {
                        (config, bestMs) = (candidate, ms);
                    }
                }
            }
        }

        return config.Key == incumbent.Key ? null : config;
    }

    /// <summary>Every algorithm × protocol NCCL offers this collective on the platform at the given channels, within what NCCL_ALGO / NCCL_PROTO leave.</summary>
    private static IEnumerable<TunerChoice> Cells(TunerKey key, int channels, NcclConfig environment, NcclPlatform platform) =>
        from algorithm in TunerCells.Algorithms
        where environment.Algorithm is null || environment.Algorithm == algorithm
        from protocol in TunerCells.Protocols
        where environment.Protocol is null || environment.Protocol == protocol
        let choice = new TunerChoice(algorithm, protocol, channels)
        where TunerChoiceValidator.Problem(key, choice, platform) is null
        select choice;

    private IEnumerable<TunerChoice> Cells(TunerKey key, int channels, NcclConfig environment) => Cells(key, channels, environment, Platform!);

    private static int Snap(int channels) => ChannelGrid.MinBy(c => Math.Abs(Math.Log2(c) - Math.Log2(Math.Max(1, channels))));

    private static CandidateTraceEntry Dropped(string id, string source, NcclConfig config, SearchState state, string stage, string reason) => new()
    {
        Id = id, Source = source, Config = config.ToAssignments(), Patch = config.PatchFrom(state.Incumbent), DroppedAt = stage, Reason = reason,
    };

    private static string DescribePatch(IReadOnlyDictionary<string, string> patch) =>
        patch.Count == 0 ? "nothing" : string.Join(", ", patch.Select(kv => $"{kv.Key}={kv.Value}"));

    private static double Round(double value) => Math.Round(value, 3);
}
