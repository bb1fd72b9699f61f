using System.Globalization;
using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Classification;

/// <summary>
/// Turns evidence into a ranked root cause. Order of the rules (docs/diagnose.md, "Classifier rules"):
/// (1) within one log, a symptom after its cause is a cascade (NaN after loss spikes or a loss-scale collapse;
/// a generic exception after an earlier fault); (2) when a rank-killing fault exists, the network errors its
/// peers log are cascades; (3) code findings can name the cause of a bare NaN; (4) candidates are scored from
/// their strongest initiating evidence, with small bonuses for repetition, for being the first error of a log
/// and for confirmations; (5) with no initiating evidence, the symptoms themselves are ranked, at lower confidence.
/// </summary>
internal static class RootCauseClassifier
{
    private const double FirstErrorBonus = 0.03;
    private const double ConfirmationBonus = 0.04;
    private const double CodeSupportBonus = 0.05;

    public static (Verdict Verdict, List<Candidate> Candidates, List<EvidenceItem> Evidence, List<CodeFinding> Code) Classify(
        List<EvidenceItem> evidence, IReadOnlyList<CodeFinding> code, IReadOnlyDictionary<int, long> lastEnqueuedByRank, long? lastStepSeen)
    {
        DemoteSymptomsWithinLog(evidence);
        DemoteNetworkErrorsOfDeadRanks(evidence);
        CodeFinding? explanation = ExplainBareNan(evidence, code);

        List<Candidate> candidates = ScoreInitiating(evidence, code, explanation);
        string role = CausalRole.Initiating;
        if (candidates.Count == 0)
        {
            candidates = ScoreSymptoms(evidence);
            role = candidates.Count == 0 ? CausalRole.Context : candidates[0].Role;
        }

        candidates = candidates.OrderByDescending(c => c.Score).ThenBy(c => FirstOrder(evidence, c)).ToList();
        List<CodeFinding> findings = code.Select(f => Correlate(f, candidates)).ToList();
        Verdict verdict = BuildVerdict(evidence, candidates, role, StragglerRanks(lastEnqueuedByRank), explanation, lastStepSeen);
        return (verdict, candidates, evidence, findings);
    }

    private static void DemoteSymptomsWithinLog(List<EvidenceItem> evidence)
    {
        for (int i = 0; i < evidence.Count; i++)
        {
            EvidenceItem item = evidence[i];
            if (item.Role != CausalRole.Initiating)
            {
                continue;
            }

            EvidenceItem? cause = evidence.FirstOrDefault(e => e.File == item.File && e.Order < item.Order && e.Role == CausalRole.Initiating && Causes(e, item));
            if (cause is not null)
            {
                evidence[i] = item with { Role = CausalRole.Cascade, Note = $"follows {cause.Signal} at {cause.File}:{cause.Line} ({cause.Id})" };
            }
        }
    }

    /// <summary>Can <paramref name="cause"/> explain <paramref name="effect"/> when it comes first in the same log?</summary>
    private static bool Causes(EvidenceItem cause, EvidenceItem effect)
    {
        if (effect.Category == FailureCategory.NanOrInf)
        {
            return cause.Category is FailureCategory.LrTooHigh or FailureCategory.Fp16Overflow or FailureCategory.EccUncorrectable or FailureCategory.GpuXid;
        }

        // Generic exceptions, illegal accesses and segfaults after a named fault are how that fault surfaced.
        bool genericEffect = effect.Category == FailureCategory.CodeBug && effect.Weight <= 0.7 && effect.Signal != Signals.NcclInvalidUsage.Name;
        return genericEffect && cause.Category != FailureCategory.CodeBug && cause.Weight >= 0.6;
    }

    private static void DemoteNetworkErrorsOfDeadRanks(List<EvidenceItem> evidence)
    {
        for (int i = 0; i < evidence.Count; i++)
        {
            EvidenceItem item = evidence[i];
            if (item.Role != CausalRole.Initiating || item.Category is not (FailureCategory.IbNetworkError or FailureCategory.SocketNetworkError))
            {
                continue;
            }

            EvidenceItem? killer = evidence.FirstOrDefault(e => e.Role == CausalRole.Initiating && e.Weight >= 0.6 && FailureCategory.KillsRank(e.Category)
                && (e.File != item.File || e.Order < item.Order));
            if (killer is not null)
            {
                evidence[i] = item with { Role = CausalRole.Cascade, Note = $"peers see network errors when a rank dies: {killer.Category} at {killer.File}:{killer.Line} ({killer.Id})" };
            }
        }
    }

    /// <summary>A NaN with no cause in the logs, and a code finding that names one (an LR far too high, fp16 without a scaler).</summary>
    private static CodeFinding? ExplainBareNan(List<EvidenceItem> evidence, IReadOnlyList<CodeFinding> code)
    {
        bool bareNan = evidence.Any(e => e.Role == CausalRole.Initiating && e.Category == FailureCategory.NanOrInf);
        CodeFinding? explanation = bareNan ? code.Where(f => f.Explains is not null).OrderBy(f => Recommendations.Priority.Rank(f.Priority)).FirstOrDefault() : null;
        if (explanation is null)
        {
            return null;
        }

        for (int i = 0; i < evidence.Count; i++)
        {
            if (evidence[i].Role == CausalRole.Initiating && evidence[i].Category == FailureCategory.NanOrInf)
            {
                evidence[i] = evidence[i] with { Role = CausalRole.Cascade, Note = $"explained by {explanation.Rule} at {explanation.File}:{explanation.Line}" };
            }
        }

        return explanation;
    }

    private static List<Candidate> ScoreInitiating(List<EvidenceItem> evidence, IReadOnlyList<CodeFinding> code, CodeFinding? explanation)
    {
        var firstPerLog = evidence.Where(e => e.Role == CausalRole.Initiating).GroupBy(e => e.File).Select(g => g.MinBy(e => e.Order)!.Id).ToHashSet();
        var candidates = new List<Candidate>();
        foreach (IGrouping<string, EvidenceItem> group in evidence.Where(e => e.Role == CausalRole.Initiating).GroupBy(e => e.Category))
        {
            long occurrences = group.GroupBy(e => (e.File, e.Signal)).Sum(g => g.First().Occurrences);
            double score = group.Max(e => e.Weight)
                + Math.Min(0.04, 0.01 * Math.Log2(occurrences))
                + (group.Any(e => firstPerLog.Contains(e.Id)) ? FirstErrorBonus : 0)
                + (evidence.Any(e => e.Role == CausalRole.Confirmation && e.Category == group.Key) ? ConfirmationBonus : 0)
                + (code.Any(f => f.Categories.Contains(group.Key) && f.Priority != Recommendations.Priority.Low) ? CodeSupportBonus : 0);
            candidates.Add(Candidate(group.Key, score, CausalRole.Initiating, group.OrderByDescending(e => e.Weight).ThenBy(e => e.Order)));
        }

        if (explanation?.Explains is string explained)
        {
            IEnumerable<EvidenceItem> symptoms = evidence.Where(e => e.Category == FailureCategory.NanOrInf && e.Note?.StartsWith("explained by", StringComparison.Ordinal) == true);
            double score = symptoms.Max(e => e.Weight) + CodeSupportBonus;
            Candidate? existing = candidates.Find(c => c.Category == explained);
            candidates.Remove(existing!);
            candidates.Add(Candidate(explained, Math.Max(score, existing?.Score ?? 0), CausalRole.Initiating, symptoms.OrderBy(e => e.Order)));
        }

        return candidates;
    }

    /// <summary>Only symptoms (timeouts, flushes, closed connections) or confirmations: rank them, at lower confidence.</summary>
    private static List<Candidate> ScoreSymptoms(List<EvidenceItem> evidence)
    {
        var candidates = evidence.Where(e => e.Role is CausalRole.Cascade or CausalRole.Confirmation && e.Weight > 0)
            .GroupBy(e => e.Category)
            .Select(g => Candidate(g.Key, g.Max(e => e.Weight) * 0.8, g.Any(e => e.Role == CausalRole.Cascade) ? CausalRole.Cascade : CausalRole.Confirmation, g.OrderByDescending(e => e.Weight).ThenBy(e => e.Order)))
            .ToList();

        // A hang (a timeout, or nothing after a clean init) with the marks of broken peer-to-peer is the PCIe ACS/IOMMU
        // signature: NCCL on P2P only inside the node, ACS redirection, an IOMMU not in pass-through, GPUs joined only
        // through PCIe (NVIDIA/nccl#2079, #606, #631). Each further independent mark adds a little confidence.
        bool completed = evidence.Exists(e => e.Signal == Signals.RunCompleted.Name);
        bool hang = candidates.Exists(c => c.Category == FailureCategory.NcclTimeout)
            || (candidates.Count == 0 && !completed && evidence.Exists(e => e.Signal == Signals.NcclInitComplete.Name));
        List<EvidenceItem> marks = P2pMarks(evidence);

        // Logs that show nothing but how the GPUs are joined (an nvidia-smi topo -m, lspci's ACS bits): the question asked
        // is a topology one, and broken peer-to-peer is the answer such evidence can support (NVIDIA/nccl#667, #2079).
        hang |= candidates.Count == 0 && !completed && marks.Exists(m => m.Signal == Signals.GpuPciePath.Name || m.Signal == Signals.AcsEnabled.Name);

        // NCCL connected its peers over P2P and then the log stops, with no error: the first collective never finished
        // (Lightning-AI/pytorch-lightning#19425: rings over P2P/IPC, then 100 % GPU and nothing).
        hang |= candidates.Count == 0 && !completed && marks.Exists(m => m.Signal == Signals.P2pTransport.Name);
        if (hang && marks.Count > 0)
        {
            IEnumerable<EvidenceItem> support = marks.Concat(evidence.Where(e => e.Category == FailureCategory.NcclTimeout || e.Signal == Signals.NcclInitComplete.Name));
            candidates.Add(Candidate(FailureCategory.P2pHang, Math.Min(0.6, (0.55 * 0.8) + 0.01 + (0.04 * (marks.Count - 1))), CausalRole.Cascade, support));
        }
        else if (candidates.Count == 0 && !completed && (InitOnlyOnOneHost(evidence) || HangOnOneHost(evidence)))
        {
            // Nothing but NCCL's first init lines from one host, on a real NIC: NCCL stopped inside the node. With no
            // network between ranks to blame, broken GPU peer-to-peer is the usual cause (NVIDIA/nccl-tests#117), at low
            // confidence: NCCL_P2P_DISABLE=1 is the test that tells.
            candidates.Add(Candidate(FailureCategory.P2pHang, 0.3, CausalRole.Cascade, evidence.Where(e => e.Signal == Signals.NcclBootstrapSeen.Name || e.Signal == Signals.RanksOnOneHost.Name)));
        }

        // A hang or a failure with no named fault while NCCL talked over a container bridge or virtual interface: the
        // other nodes cannot reach that address (NVIDIA/nccl#331, #913). Not when the run stayed inside one node on P2P,
        // nor when every rank is on one host: no other node has to reach the bridge, local peers always can.
        EvidenceItem? bridge = evidence.Find(e => e.Signal == Signals.VirtualInterface.Name);
        if (bridge is not null && !candidates.Exists(c => c.Category == FailureCategory.P2pHang) && OnOneHost(evidence) is null)
        {
            IEnumerable<EvidenceItem> support = evidence.Where(e => e.Signal == Signals.VirtualInterface.Name).Concat(evidence.Where(e => e.Role == CausalRole.Cascade));
            candidates.Add(Candidate(FailureCategory.BootstrapInterface, bridge.Weight, CausalRole.Cascade, support));
        }

        return candidates;
    }

    /// <summary>The one host every rank runs on, when the logs show it and no log shows another.</summary>
    private static string? OnOneHost(List<EvidenceItem> evidence)
    {
        List<string> hosts = evidence.Where(e => e.Signal == Signals.RanksOnOneHost.Name).Select(e => e.Facts["host"]).Distinct().ToList();
        return hosts.Count == 1 ? hosts[0] : null;
    }

    /// <summary>
    /// Several ranks, all on one host, a clean start and nothing after it, with no transport off the node: the same
    /// inference as <see cref="InitOnlyOnOneHost"/>, made from the rank placement, where a container bridge in NCCL's
    /// interface list does not change it (the ranks never use the network).
    /// </summary>
    private static bool HangOnOneHost(List<EvidenceItem> evidence) =>
        OnOneHost(evidence) is not null
        && evidence.Where(e => e.Signal == Signals.RanksOnOneHost.Name).Max(e => int.Parse(e.Facts["ranks"], CultureInfo.InvariantCulture)) > 1
        && evidence.Exists(e => e.Signal == Signals.NcclBootstrapSeen.Name || e.Signal == Signals.NcclInitComplete.Name)
        && !evidence.Exists(e => e.Signal == Signals.NetTransport.Name || (e.Weight > 0 && e.Signal != Signals.VirtualInterface.Name));

    private static bool InitOnlyOnOneHost(List<EvidenceItem> evidence) =>
        evidence.Count(e => e.Signal == Signals.NcclBootstrapSeen.Name) == 1
        && !evidence.Exists(e => e.Signal == Signals.VirtualInterface.Name || e.Signal == Signals.NetTransport.Name || e.Weight > 0);

    /// <summary>The first line of each independent mark of broken GPU peer-to-peer.</summary>
    private static List<EvidenceItem> P2pMarks(List<EvidenceItem> evidence)
    {
        var marks = new List<EvidenceItem>();
        if (!evidence.Exists(e => e.Signal == Signals.NetTransport.Name) && evidence.Find(e => e.Signal == Signals.P2pTransport.Name) is { } p2p)
        {
            marks.Add(p2p);
        }

        foreach (string signal in new[] { Signals.AcsEnabled.Name, Signals.IommuNotPassthrough.Name, Signals.GpuPciePath.Name })
        {
            if (evidence.Find(e => e.Signal == signal) is { } mark)
            {
                marks.Add(mark);
            }
        }

        return marks;
    }

    private static Candidate Candidate(string category, double score, string role, IEnumerable<EvidenceItem> items) => new()
    {
        Category = category,
        Score = Math.Round(score, 3),
        Role = role,
        Domain = items.FirstOrDefault(e => e.Category == category)?.Domain ?? FailureCategory.DomainOf(category),
        EvidenceIds = items.Select(e => e.Id).Take(12).ToList(),
    };

    private static long FirstOrder(List<EvidenceItem> evidence, Candidate candidate) =>
        evidence.Where(e => candidate.EvidenceIds.Contains(e.Id)).Select(e => e.Order).DefaultIfEmpty(long.MaxValue).Min();

    private static CodeFinding Correlate(CodeFinding finding, List<Candidate> candidates)
    {
        bool correlated = candidates.Count > 0 && (finding.Categories.Contains(candidates[0].Category) || finding.Explains == candidates[0].Category);
        return correlated
            ? finding with { Correlated = true, Priority = Recommendations.Priority.Rank(finding.Priority) > 1 ? Recommendations.Priority.High : finding.Priority }
            : finding;
    }

    private static List<int>? StragglerRanks(IReadOnlyDictionary<int, long> lastEnqueued)
    {
        if (lastEnqueued.Count < 2 || lastEnqueued.Values.Min() == lastEnqueued.Values.Max())
        {
            return null;
        }

        long behind = lastEnqueued.Values.Min();
        return lastEnqueued.Where(kv => kv.Value == behind).Select(kv => kv.Key).Order().Take(32).ToList();
    }

    private static Verdict BuildVerdict(List<EvidenceItem> evidence, List<Candidate> candidates, string role, IReadOnlyList<int>? stragglers, CodeFinding? explanation, long? lastStepSeen)
    {
        if (candidates.Count == 0)
        {
            return new Verdict
            {
                RootCause = evidence.Count == 0 ? "no failure evidence found in the input" : "no failure evidence found; only context lines matched",
                Category = FailureCategory.Unknown,
                Confidence = 0,
                Role = CausalRole.Context,
                Domain = FailureDomain.Unknown,
                FailureStep = LastStep(evidence) ?? lastStepSeen,
                StragglerRanks = stragglers,
                Reasoning = ["no line matched a failure signal; see docs/diagnose.md for the formats recognised"],
            };
        }

        Candidate top = candidates[0];
        EvidenceItem root = evidence.First(e => e.Id == top.EvidenceIds[0]);
        double second = candidates.Skip(1).Where(c => c.Role == CausalRole.Initiating).Select(c => c.Score).DefaultIfEmpty(0).Max();
        double confidence = Math.Min(0.99, top.Score) * (1 - (0.4 * second / top.Score));
        return new Verdict
        {
            RootCause = RootCauseText.Describe(top.Category, root, explanation, stragglers),
            Category = top.Category,
            Confidence = Math.Round(Math.Clamp(confidence, 0, 0.99), 2),
            Role = role,
            Domain = top.Domain,
            FailureStep = root.Step ?? evidence.Where(e => top.EvidenceIds.Contains(e.Id)).Select(e => e.Step).FirstOrDefault(s => s is not null) ?? LastStep(evidence) ?? lastStepSeen,
            EvidenceIds = top.EvidenceIds,
            StragglerRanks = stragglers,
            Reasoning = Reasoning(evidence, candidates, root, role, explanation),
        };
    }

    private static long? LastStep(List<EvidenceItem> evidence) => evidence.Select(e => e.Step).Where(s => s is not null).DefaultIfEmpty(null).Max();

    private static List<string> Reasoning(List<EvidenceItem> evidence, List<Candidate> candidates, EvidenceItem root, string role, CodeFinding? explanation)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            role == CausalRole.Initiating
                ? $"{root.Id} at {root.File}:{root.Line} ({root.Signal}) is the strongest initiating fault"
                : $"no initiating fault was found; {root.Id} at {root.File}:{root.Line} ({root.Signal}) is the strongest symptom, so the cause is probably in a log not given (another rank, the node's dmesg)",
        };
        if (explanation is not null)
        {
            lines.Add($"the logs show only the NaN; {explanation.Rule} at {explanation.File}:{explanation.Line} explains it: {explanation.Message}");
        }

        foreach (IGrouping<string, EvidenceItem> cascade in evidence.Where(e => e.Role == CausalRole.Cascade && e.Id != root.Id).GroupBy(e => e.Signal).Take(6))
        {
            lines.Add(string.Create(c, $"{cascade.Key} ×{cascade.Sum(e => 1)} set aside as cascade{(cascade.First().Note is string note ? $" ({note})" : string.Empty)}"));
        }

        foreach (IGrouping<string, EvidenceItem> confirmation in evidence.Where(e => e.Role == CausalRole.Confirmation).GroupBy(e => e.Signal))
        {
            lines.Add(string.Create(c, $"{confirmation.Key} ×{confirmation.Count()} {(confirmation.First().Category == candidates[0].Category ? "confirms it" : "seen, with nothing to confirm")}"));
        }

        foreach (Candidate other in candidates.Skip(1).Take(3))
        {
            lines.Add(string.Create(c, $"other candidate: {other.Category} (score {other.Score:0.00})"));
        }

        return lines;
    }
}
