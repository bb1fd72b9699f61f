using System.Globalization;
using CclAgent.Core.Context;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Knowledge;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Advice;

/// <summary>
/// Asks the language model for advice and turns the answers into ordinary candidates: offline one
/// configuration to try first (a warm-start candidate), online a few hypotheses for the search
/// portfolio. The model only proposes: every proposal passes <see cref="ProposalValidator"/> (parameter
/// space, grid, risk) before it can run, the surrogate still ranks it, and measurement decides.
/// </summary>
internal sealed class ModelProposals(
    IModelAdvisor session,
    IKnowledgeSource library,
    WorkloadSpec workload,
    ContextFeatures features,
    NcclPlatform platform,
    SearchSpace space,
    ProposalValidator validator)
{
    public const int MaxHypotheses = 3;

    private const string Instructions =
        "You advise ccl-agent, a tuner of NCCL environment variables for distributed GPU training. " +
        "Numbers decide: every proposal is validated against the parameter space and risk rules, ranked by a surrogate model and measured. " +
        "Propose only variables and values listed under 'search space'. Never propose values known to corrupt results or hang " +
        "(non-power-of-two NCCL_NTHREADS or NCCL_BUFFSIZE, LL128 where unsupported, P2P beyond PXB with ACS). " +
        "Cite the evidence ids you rely on (rag:…, rule:…, metric:…) exactly as they appear in the context.";

    private OfflinePlan? _plan;
    private double _defaultMs = double.NaN;

    /// <summary>Model proposals that passed validation (offline and online).</summary>
    public int ValidatedProposals { get; private set; }

    /// <summary>
    /// Offline: asks for a configuration to try first. A valid proposal is added to the warm-start
    /// candidates; it becomes the first trial (unless an earlier run's confirmed best is remembered)
    /// when the surrogate does not predict it slower than NCCL's defaults.
    /// </summary>
    public async Task<OfflinePlan> ProposeBaselineAsync(OfflinePlan plan, IterationSurrogate surrogate, CancellationToken cancellationToken)
    {
        _plan = plan;
        double defaultMs = surrogate.Predict(NcclConfig.Default).Mean;
        _defaultMs = defaultMs;
        if (!session.CanAsk)
        {
            return plan;
        }

        IReadOnlyList<KnowledgeSnippet> snippets = library.Search(KnowledgeQuery(), 4);
        var request = new AdviceQuestion
        {
            Purpose = "baseline",
            Phase = "offline",
            Instructions = Instructions,
            Task = "Propose ONE NCCL configuration to try first for this workload, expected to beat NCCL's defaults. " +
                   "Set only the variables that matter; leave the rest unset.",
            Sections =
            [
                AdviceSections.Workload(workload),
                AdviceSections.ContextSignature(features, platform),
                AdviceSections.SearchSpace(space),
                AdviceSections.Microbenchmark(plan, defaultMs),
                AdviceSections.MemoryRules(plan),
                AdviceSections.Knowledge(snippets),
            ],
        };

        AdviceAnswer<BaselineReply> result = await session.AskAsync(
            request,
            AdviceJsonContext.Default.BaselineReply,
            reply => Verdict([validator.Check(reply.Settings, NcclConfig.Default, NcclConfig.Default)]),
            cancellationToken);
        if (result.Value is not { } baseline)
        {
            return plan;
        }

        ProposalCheck check = validator.Check(baseline.Settings, NcclConfig.Default, NcclConfig.Default);
        if (!check.Ok)
        {
            return plan;
        }

        ValidatedProposals++;
        var candidate = new WarmStartCandidate(
            "llm",
            check.Config!.ToAssignments(),
            check.PredictedMs!.Value,
            check.Risk!.Value,
            $"model proposal ({result.Evidence}): {Clip(baseline.Rationale)}",
            [result.Evidence!, .. KnownCitations(baseline.Citations, result.Citations)]);
        bool adopt = plan.WarmStart?.Source != "memory-run" && check.PredictedMs <= Math.Round(defaultMs, 3);
        return plan with
        {
            WarmStartCandidates = [.. plan.WarmStartCandidates, candidate],
            WarmStart = adopt ? candidate : plan.WarmStart,
        };
    }

    /// <summary>Online: asks for up to three hypotheses on top of the incumbent; the valid ones join the search portfolio.</summary>
    public async Task<IReadOnlyList<Hypothesis>> ProposeHypothesesAsync(SearchState state, IReadOnlyList<StepRecord> steps, int step, CancellationToken cancellationToken)
    {
        if (!session.CanAsk || _plan is null)
        {
            return [];
        }

        string incumbent = state.Incumbent.Key;
        IReadOnlyList<KnowledgeSnippet> snippets = library.Search(KnowledgeQuery() + " " + string.Join(' ', state.Incumbent.ToAssignments().Keys), 3);
        var request = new AdviceQuestion
        {
            Purpose = "hypotheses",
            Phase = "online",
            Step = step,
            Instructions = Instructions,
            Task = $"Propose between one and {MaxHypotheses} hypotheses: changes to the current best configuration that should make the iteration faster. " +
                   "Do not repeat configurations already tried or ones that failed.",
            Sections =
            [
                AdviceSections.Workload(workload),
                AdviceSections.ContextSignature(features, platform),
                AdviceSections.SearchSpace(space),
                AdviceSections.RecentTrials(steps, incumbent, state.IncumbentStats.Median),
                AdviceSections.Microbenchmark(_plan, _defaultMs),
                AdviceSections.MemoryRules(_plan),
                AdviceSections.Knowledge(snippets),
            ],
        };

        AdviceAnswer<HypothesesReply> result = await session.AskAsync(
            request,
            AdviceJsonContext.Default.HypothesesReply,
            reply => Verdict(CheckAll(reply, state)),
            cancellationToken);
        if (result.Value is not { } hypotheses)
        {
            return [];
        }

        var accepted = new List<Hypothesis>();
        List<ProposalCheck> checks = CheckAll(hypotheses, state);
        for (int i = 0; i < checks.Count; i++)
        {
            if (checks[i].Ok)
            {
                HypothesisProposal proposal = hypotheses.Hypotheses[i];
                accepted.Add(new Hypothesis("llm", checks[i].Patch, result.Evidence!)
                {
                    Rationale = Clip(proposal.Rationale),
                    Citations = KnownCitations(proposal.Citations, result.Citations),
                });
            }
        }

        ValidatedProposals += accepted.Count;
        return accepted;
    }

    private List<ProposalCheck> CheckAll(HypothesesReply reply, SearchState state)
    {
        var checks = new List<ProposalCheck>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((HypothesisProposal proposal, int index) in reply.Hypotheses.Select((p, i) => (p, i)))
        {
            ProposalCheck check = index >= MaxHypotheses
                ? new ProposalCheck(new Dictionary<string, string>(), null, null, null, $"more than {MaxHypotheses} hypotheses")
                : validator.Check(proposal.Settings, state.Incumbent, state.KnownGood);
            if (check.Ok && (state.Visited(check.Config!) || !seen.Add(check.Config!.Key)))
            {
                check = check with { Config = null, Problem = "this configuration was already tried or proposed" };
            }

            checks.Add(check);
        }

        if (checks.Count == 0)
        {
            checks.Add(new ProposalCheck(new Dictionary<string, string>(), null, null, null, "no hypotheses proposed"));
        }

        return checks;
    }

    private static AdviceVerdict Verdict(IReadOnlyList<ProposalCheck> checks) => new(
        checks.Where(c => c.Ok).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Describe()} (risk {c.Risk:0.00}, predicted {c.PredictedMs:0.00} ms)")).ToList(),
        checks.Where(c => !c.Ok).Select(c => c.Patch.Count == 0 ? c.Problem! : $"{c.Describe()}: {c.Problem}").ToList());

    /// <summary>Keeps only citations the agent can resolve: chunks of the library or ids that were in the prompt.</summary>
    private List<string> KnownCitations(IReadOnlyList<string> cited, IReadOnlyList<string> inPrompt) =>
        cited.Select(c => c.Trim())
            .Where(c => inPrompt.Contains(c, StringComparer.Ordinal) || library.Contains(c))
            .Distinct(StringComparer.Ordinal).Take(5).ToList();

    private string KnowledgeQuery()
    {
        var terms = new List<string> { platform.Fabric.ToString(), platform.Network.ToString(), platform.Generation.ToString(), "protocol algorithm channels" };
        terms.AddRange(workload.Iteration!.Collectives!.Select(c => c.Op!.Replace('_', ' ')));
        if (workload.Iteration.Collectives!.Any(c => c.Overlap >= 0.5))
        {
            terms.Add("overlap compute SM contention");
        }

        terms.AddRange(space.Dimensions.Select(d => d.Parameter));
        return string.Join(' ', terms);
    }

    private static string Clip(string text) => text.Length <= 400 ? text.Trim() : text[..400].Trim() + "…";
}
