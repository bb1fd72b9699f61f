using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Tuning.Risk;

/// <summary>
/// Scores how likely a candidate is to break the job: the parameter space's rules (NCCL rejects it,
/// or it is known to corrupt results or hang), avoid-rules learned from earlier failures, NCCL buffer
/// memory against the headroom the job leaves, and distance from the last known-good configuration.
/// </summary>
internal sealed class RiskScorer(NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops, double memoryHeadroomGib, IReadOnlyList<AvoidRule> avoidRules, IReadOnlyList<CollectiveCall>? communicators = null)
{
    // Without the workload's calls, one communicator over the whole cluster per op.
    private readonly IReadOnlyList<CollectiveCall> _communicators = communicators
        ?? ops.Select(op => new CollectiveCall(op, 1, platform.Nodes, platform.GpusPerNode)).ToList();

    private readonly List<AvoidRule> _avoidRules = [.. avoidRules];

    public IReadOnlyList<AvoidRule> AvoidRules => _avoidRules;

    /// <summary>Learns a failure during this run so the same patch is not tried again.</summary>
    public void Learn(AvoidRule rule) => _avoidRules.Add(rule);

    public RiskAssessment Assess(NcclConfig candidate, NcclConfig knownGood)
    {
        double score = 0;
        var reasons = new List<string>();
        var evidence = new List<string>();
        foreach (ConfigViolation violation in ConfigValidator.Validate(candidate, platform, ops).Concat(TunerChoiceValidator.Validate(candidate, platform)))
        {
            double risk = violation.Severity switch { ViolationSeverity.Error => 1.0, ViolationSeverity.Hazard => 0.9, _ => 0.05 };
            score = Math.Max(score, risk);
            reasons.Add(violation.ToString());
        }

        foreach (AvoidRule rule in _avoidRules.Where(r => candidate.Matches(r.Patch)))
        {
            score = Math.Max(score, 0.95);
            reasons.Add($"avoid-rule {rule.Id}: {rule.FailureClass} ({rule.Reason})");
            evidence.Add($"rule:{rule.Id}");
        }

        double bufferGib = EstimatedBufferGib(candidate);
        if (bufferGib > memoryHeadroomGib)
        {
            score = Math.Max(score, 0.9);
            reasons.Add($"NCCL buffers (ring, tree, NVLS) ≈ {bufferGib:0.00} GiB exceed the {memoryHeadroomGib:0.00} GiB the job leaves free");
        }

        int changed = candidate.PatchFrom(knownGood).Count;
        double distance = Math.Min(0.3, 0.04 * changed);
        if (distance > 0)
        {
            reasons.Add($"{changed} parameter(s) away from the last known-good configuration");
        }

        return new RiskAssessment(Math.Round(Math.Max(score, distance), 3), reasons, evidence);
    }

    /// <summary>Ring, tree and NVLS buffers as NCCL allocates them per communicator; see <see cref="BufferEstimate"/>.</summary>
    private double EstimatedBufferGib(NcclConfig config) => BufferEstimate.Gib(platform, _communicators, config);
}
