using System.Globalization;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
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
        ranked = ranked.OrderByDescending(r => r.Ei * (1 - (0.2 * r.Risk.Score))).ThenBy(r => r.Mean).ToList();
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
        string rationale = chosen.Source != "descent"
            ? $"{chosen.Source}{claim}: surrogate predicts {chosen.Mean:0.0} ± {chosen.Std:0.0} ms vs incumbent {best:0.0} ms (expected improvement {chosen.Ei:0.00} ms)"
            : $"coordinate descent on {DescribePatch(chosen.Config.PatchFrom(state.Incumbent))}: predicted {chosen.Mean:0.0} ± {chosen.Std:0.0} ms";
        var kept = trace.Where(t => t.Selected || t.DroppedAt != "deduped").Take(TraceLimit * 2).ToList();
        IReadOnlyList<string> evidence = origin is not null && origin.Source == chosen.Source
            ? [chosen.Id, origin.Evidence, .. origin.Citations, .. chosen.Risk.Evidence]
            : [chosen.Id, .. chosen.Risk.Evidence];
        return new Proposal(chosen.Config, chosen.Source, rationale, chosen.Mean, evidence, kept) { Risk = chosen.Risk.Score };
    }

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
        // The pool is one pass over the whole space (the first step pays it): checked per configuration.
        _pool ??= _space.Enumerate()
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
                yield return _space.At(next);
            }
        }
    }

    private static CandidateTraceEntry Dropped(string id, string source, NcclConfig config, SearchState state, string stage, string reason) => new()
    {
        Id = id, Source = source, Config = config.ToAssignments(), Patch = config.PatchFrom(state.Incumbent), DroppedAt = stage, Reason = reason,
    };

    private static string DescribePatch(IReadOnlyDictionary<string, string> patch) =>
        patch.Count == 0 ? "nothing" : string.Join(", ", patch.Select(kv => $"{kv.Key}={kv.Value}"));

    private static double Round(double value) => Math.Round(value, 3);
}
