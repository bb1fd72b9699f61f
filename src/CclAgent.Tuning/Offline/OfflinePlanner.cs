using CclAgent.Core.Context;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Risk;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Offline;

/// <summary>
/// Offline planning: retrieve memory (rules scored by similarity × recency × success, avoid-rules,
/// the most similar earlier run), build warm-start candidates, pick the first trial, prune
/// parameters the microbenchmark found irrelevant.
/// </summary>
internal static class OfflinePlanner
{
    /// <summary>
    /// How many of the walk's fastest predicted configurations the search starts from instead of walking the space again.
    /// Its hypothesis pool is the 400 fastest once the first measurements have corrected the surrogate; that correction
    /// is local, so they come from well within the 20,000 fastest before it.
    /// </summary>
    public const int ShortlistSize = 20000;

    public static OfflinePlan Plan(
        ContextFeatures context,
        SearchSpace space,
        MicrobenchmarkResult bench,
        MemoryStore memory,
        IterationSurrogate surrogate,
        RiskScorer risk,
        TuningOptions options,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ScoredRule> rules = memory.RetrieveRules(context, limit: 10);
        IReadOnlyList<ScoredAvoidRule> avoid = memory.AvoidRules(context);
        SimilarRun? earlier = memory.BestRun(context, options.WarmStartSimilarity);

        var candidates = new List<WarmStartCandidate>();
        if (earlier is { Run.BestConfig.Count: >= 0 } && earlier.Run.Speedup is > 1.0)
        {
            candidates.Add(Candidate("memory-run", NcclConfig.FromAssignments(earlier.Run.BestConfig), surrogate, risk,
                $"best configuration of run {earlier.Run.RunId} (similarity {earlier.Similarity:0.00}, speedup {earlier.Run.Speedup:0.000})",
                [$"rule:run-{earlier.Run.RunId}"]));
        }

        foreach (ScoredRule rule in rules.Take(3))
        {
            candidates.Add(Candidate("memory-rule", NcclConfig.FromAssignments(rule.Rule.Patch), surrogate, risk,
                $"rule {rule.Rule.Id}: {rule.Rule.Description} (score {rule.Score:0.000})", [$"rule:{rule.Rule.Id}"]));
        }

        // The one pass over the whole space, from the surrogate's per-collective tables (the same ranking as predicting
        // every configuration, without building 10⁵ of them). Risk is assessed lazily, fastest first.
        IReadOnlyList<NcclConfig> ranked = surrogate.RankSpace(space, cancellationToken) ?? RankByPredicting(space, surrogate, cancellationToken);
        NcclConfig? predicted = ranked.FirstOrDefault(c => !risk.Assess(c, NcclConfig.Default).Blocked);
        if (predicted is not null)
        {
            candidates.Add(Candidate("microbenchmark", predicted, surrogate, risk, "lowest iteration time predicted from the microbenchmark", ["tool:offline:microbench"]));
        }

        // An earlier run's confirmed best wins outright; otherwise the best predicted among safe candidates.
        WarmStartCandidate? chosen = candidates.Where(c => c.Risk < RiskAssessment.Threshold && c.Source == "memory-run").FirstOrDefault()
            ?? candidates.Where(c => c.Risk < RiskAssessment.Threshold).OrderBy(c => c.PredictedMs).FirstOrDefault();

        return new OfflinePlan
        {
            ContextSignature = context.Signature,
            SearchSpaceSize = space.Size,
            Dimensions = space.Dimensions.Select(d => d.Parameter).ToList(),
            PrunedDimensions = space.Dimensions.Where(d => !d.IsImplementation && bench.Importance.TryGetValue(d.Parameter, out double importance) && importance < options.PruneBelow)
                .Select(d => d.Parameter).ToList(),
            Importance = bench.Importance,
            MemoryRules = rules.Select(r => new RetrievedRule(r.Rule.Id, r.Rule.Patch, r.Rule.Description, Math.Round(r.Score, 4), r.Similarity)).ToList(),
            AvoidRules = avoid.Select(a => new RetrievedRule(a.Rule.Id, a.Rule.Patch, $"{a.Rule.FailureClass}: {a.Rule.Reason}", 1, a.Similarity)).ToList(),
            WarmStartCandidates = candidates,
            WarmStart = chosen,
            MicrobenchmarkRuns = bench.Runs,
            MicrobenchmarkFailures = bench.FailedRuns,
            MicrobenchmarkClusterSeconds = bench.ClusterSeconds,
            Collectives = bench.Collectives,
            Shortlist = ranked.Take(ShortlistSize).ToList(),
        };
    }

    /// <summary>
    /// The walk by predicting each configuration, where the surrogate's tables do not apply: checked per configuration,
    /// so a stop never waits for it; OrderBy is stable, so ties stay in the space's order.
    /// </summary>
    private static List<NcclConfig> RankByPredicting(SearchSpace space, IterationSurrogate surrogate, CancellationToken cancellationToken) =>
        space.Enumerate().Select(c => { cancellationToken.ThrowIfCancellationRequested(); return (c, surrogate.Predict(c).Mean); })
            .Where(p => double.IsFinite(p.Mean))
            .OrderBy(p => p.Mean).Select(p => p.c).ToList();

    private static WarmStartCandidate Candidate(string source, NcclConfig config, IterationSurrogate surrogate, RiskScorer risk, string rationale, IReadOnlyList<string> evidence)
    {
        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);
        double predicted = surrogate.Predict(config).Mean;
        return new WarmStartCandidate(source, config.ToAssignments(), double.IsFinite(predicted) ? Math.Round(predicted, 3) : -1, assessment.Score, rationale, evidence);
    }
}
