using System.Globalization;
using System.Text;
using CclAgent.Core.Context;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Knowledge;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Advice;

/// <summary>
/// The named context sections a prompt is built from. Priorities decide what survives a small budget:
/// the search space and the workload are needed to propose anything legal, measurements come next,
/// then memory, and knowledge snippets are cut first (the model has general knowledge of its own).
/// </summary>
internal static class AdviceSections
{
    public const int SearchSpacePriority = 100;
    public const int WorkloadPriority = 95;
    public const int ContextSignaturePriority = 90;
    public const int RecentTrialsPriority = 80;
    public const int MicrobenchmarkPriority = 70;
    public const int MemoryRulesPriority = 50;
    public const int KnowledgePriority = 40;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static AdviceSection Workload(WorkloadSpec workload)
    {
        ClusterSpec cluster = workload.Cluster!;
        var text = new StringBuilder();
        text.Append(C, $"name: {workload.Name}\n");
        text.Append(C, $"cluster: {cluster.Nodes} node(s) × {cluster.GpusPerNode} {cluster.Gpu ?? "GPU"} ({cluster.Generation}), intra-node {cluster.IntraFabric}");
        if (cluster.Network is { } network)
        {
            text.Append(C, $", network {network.Kind} {network.NicsPerNode}×{network.NicGbps} Gb/s, gdr={network.Gdr}, ecmp={network.Ecmp}, gpu_nic_path={network.GpuNicPath}, rail_optimized={network.RailOptimized}");
        }

        text.Append(C, $"\ncpu: {cluster.CpuSockets ?? 2} socket(s) {cluster.CpuVendor}; acs_enabled={cluster.AcsEnabled}\n");
        text.Append(C, $"compute per iteration: {workload.Iteration!.ComputeMs ?? 0} ms; GPU memory left for NCCL: {workload.Iteration.GpuMemoryHeadroomGib} GiB\n");
        text.Append("collectives per iteration:\n");
        foreach (CollectiveSpec c in workload.Iteration.Collectives!)
        {
            text.Append(C, $"- {c.Name ?? c.Op}: {c.Op}, {c.Bytes} bytes × {c.Count}, {c.Nodes ?? 1} node(s) × {c.RanksPerNode ?? 1} rank(s), overlap {c.Overlap}\n");
        }

        return new AdviceSection("workload", WorkloadPriority, text.ToString());
    }

    public static AdviceSection ContextSignature(ContextFeatures features, NcclPlatform platform) => new(
        "context signature",
        ContextSignaturePriority,
        $"signature: {features.Signature}\nLL128 supported: {platform.Ll128Supported}; NVLS available: {platform.NvlsSupported}; transport: {platform.Network}; multi-node: {platform.MultiNode}\n");

    public static AdviceSection SearchSpace(SearchSpace space)
    {
        var text = new StringBuilder("Only these variables and values may be proposed (unset means NCCL decides):\n");
        foreach (SearchDimension d in space.Dimensions)
        {
            string name = d.Parameter == Nccl.Search.SearchSpace.Channels ? "NCCL_MIN_NCHANNELS and NCCL_MAX_NCHANNELS (always the same value)" : d.Parameter;
            text.Append(C, $"- {name}: {string.Join(", ", d.Values.Where(v => v is not null))}\n");
        }

        return new AdviceSection("search space", SearchSpacePriority, text.ToString());
    }

    public static AdviceSection Microbenchmark(OfflinePlan plan, double defaultPredictedMs)
    {
        var text = new StringBuilder();
        text.Append(C, $"NCCL defaults, predicted: {defaultPredictedMs:0.0} ms per iteration\n");
        foreach (WarmStartCandidate candidate in plan.WarmStartCandidates.Where(c => c.Source == "microbenchmark"))
        {
            text.Append(C, $"predicted best configuration: {string.Join(" ", candidate.Config.Select(kv => $"{kv.Key}={kv.Value}"))} at {candidate.PredictedMs:0.0} ms\n");
        }

        text.Append("parameter importance (share of iteration-time spread in the microbenchmark):\n");
        foreach ((string parameter, double importance) in plan.Importance.OrderByDescending(kv => kv.Value))
        {
            text.Append(C, $"- {parameter}: {importance:0.000}{(plan.PrunedDimensions.Contains(parameter) ? " (pruned: no measurable effect)" : string.Empty)}\n");
        }

        return new AdviceSection("microbenchmark signals", MicrobenchmarkPriority, text.ToString()) { Citations = ["tool:offline:microbench"] };
    }

    public static AdviceSection MemoryRules(OfflinePlan plan)
    {
        var text = new StringBuilder();
        foreach (RetrievedRule rule in plan.MemoryRules.Take(5))
        {
            text.Append(C, $"- rule:{rule.Id} (score {rule.Score:0.000}): {rule.Description}\n");
        }

        foreach (RetrievedRule rule in plan.AvoidRules.Take(5))
        {
            text.Append(C, $"- AVOID rule:{rule.Id}: {string.Join(" ", rule.Patch.Select(kv => $"{kv.Key}={kv.Value}"))} failed before ({rule.Description})\n");
        }

        if (text.Length == 0)
        {
            text.Append("no rules from earlier runs of similar contexts\n");
        }

        return new AdviceSection("memory rules", MemoryRulesPriority, text.ToString())
        {
            Citations = [.. plan.MemoryRules.Take(5).Select(r => "rule:" + r.Id), .. plan.AvoidRules.Take(5).Select(r => "rule:" + r.Id)],
        };
    }

    public static AdviceSection Knowledge(IReadOnlyList<KnowledgeSnippet> chunks)
    {
        var text = new StringBuilder();
        foreach (KnowledgeSnippet chunk in chunks)
        {
            text.Append(C, $"[{chunk.Citation}] {chunk.Heading}\n{chunk.Text}\n\n");
        }

        return new AdviceSection("knowledge snippets", KnowledgePriority, text.Length == 0 ? "none retrieved\n" : text.ToString())
        {
            Citations = chunks.Select(c => c.Citation).ToList(),
        };
    }

    /// <summary>The most recent steps, newest first, so truncation keeps what matters now.</summary>
    public static AdviceSection RecentTrials(IReadOnlyList<StepRecord> steps, string incumbent, double incumbentMs)
    {
        var text = new StringBuilder();
        text.Append(C, $"current best: {incumbent} at {incumbentMs:0.00} ms\n");
        foreach (StepRecord s in steps.Reverse().Take(8))
        {
            string change = s.ConfigDelta.Count == 0 ? "no change" : string.Join(" ", s.ConfigDelta.Select(kv => $"{kv.Key}={kv.Value}"));
            text.Append(C, $"- step {s.Step} ({s.Source}): {change} → {s.Status}{(s.FailureClass is null ? string.Empty : $" ({s.FailureClass})")}, {s.Metrics.IterationMsMedian?.ToString("0.00", C) ?? "no time"} ms, {s.Decision?.Decision} [metric:{s.Step}:iteration_ms]\n");
        }

        return new AdviceSection("recent trials", RecentTrialsPriority, text.ToString())
        {
            Citations = steps.Reverse().Take(8).Where(s => s.Metrics.IterationMsMedian is not null).Select(s => $"metric:{s.Step}:iteration_ms").ToList(),
        };
    }
}
