using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Tuning.Risk;

namespace CclAgent.Tuning.Tests;

public sealed class RiskScorerTests
{
    private static async Task<RiskScorer> ScorerAsync(string workload, params AvoidRule[] rules)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(workload);
        var platform = NcclPlatform.FromCluster(spec.Cluster!);
        CollectiveOp[] ops = spec.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray();
        return new RiskScorer(platform, ops, spec.Iteration.GpuMemoryHeadroomGib, rules);
    }

    [Fact]
    public async Task A_config_with_min_channels_above_max_channels_is_blocked_with_score_one()
    {
        RiskScorer risk = await ScorerAsync("h100-1x8-nvswitch-tp8");
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.MinChannels, "16").With(ParameterSpace.MaxChannels, "4");

        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);

        Assert.True(assessment.Blocked);
        Assert.Equal(1.0, assessment.Score);
        Assert.NotEmpty(assessment.Reasons);
    }

    [Fact]
    public async Task LL128_on_a_PCIe_platform_is_blocked()
    {
        RiskScorer risk = await ScorerAsync("l40s-1x8-pcie-ddp");
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.Proto, "LL128");

        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);

        Assert.True(assessment.Blocked);
        Assert.True(assessment.Score >= RiskAssessment.Threshold);
        Assert.Contains(assessment.Reasons, r => r.Contains("LL128", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_matching_avoid_rule_blocks_the_candidate_and_cites_the_rule()
    {
        var rule = new AvoidRule("avoid-1", new Dictionary<string, string> { [ParameterSpace.BuffSize] = "16777216" }, "cuda_oom", "out of memory");
        RiskScorer risk = await ScorerAsync("h100-1x8-nvswitch-tp8", rule);
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.BuffSize, "16777216");

        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);

        Assert.True(assessment.Blocked);
        Assert.Contains(assessment.Reasons, r => r.Contains("avoid-1", StringComparison.Ordinal));
        Assert.Contains("rule:avoid-1", assessment.Evidence);
    }

    [Fact]
    public async Task An_avoid_rule_that_does_not_match_does_not_block()
    {
        var rule = new AvoidRule("avoid-1", new Dictionary<string, string> { [ParameterSpace.BuffSize] = "16777216" }, "cuda_oom", "out of memory");
        RiskScorer risk = await ScorerAsync("h100-1x8-nvswitch-tp8", rule);

        RiskAssessment assessment = risk.Assess(NcclConfig.Default.With(ParameterSpace.BuffSize, "2097152"), NcclConfig.Default);

        Assert.False(assessment.Blocked);
    }

    [Fact]
    public async Task A_rule_learned_during_the_run_blocks_the_same_patch_afterwards()
    {
        RiskScorer risk = await ScorerAsync("l40s-1x8-pcie-ddp");
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.NThreads, "512");
        Assert.False(risk.Assess(config, NcclConfig.Default).Blocked);

        risk.Learn(new AvoidRule("learned", config.PatchFrom(NcclConfig.Default), "timeout", "watchdog"));

        RiskAssessment after = risk.Assess(config, NcclConfig.Default);
        Assert.True(after.Blocked);
        Assert.NotEmpty(after.Reasons);
        Assert.Single(risk.AvoidRules);
    }

    [Fact]
    public async Task A_harmless_one_parameter_change_is_below_the_threshold()
    {
        RiskScorer risk = await ScorerAsync("h100-1x8-nvswitch-tp8");
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.NThreads, "256");

        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);

        Assert.False(assessment.Blocked);
        Assert.True(assessment.Score < RiskAssessment.Threshold);
        Assert.True(assessment.Score > 0, "a change from known-good carries a small distance risk");
    }

    [Fact]
    public async Task The_known_good_configuration_itself_carries_no_risk()
    {
        RiskScorer risk = await ScorerAsync("h100-1x8-nvswitch-tp8");

        RiskAssessment assessment = risk.Assess(NcclConfig.Default, NcclConfig.Default);

        Assert.Equal(0, assessment.Score);
        Assert.Empty(assessment.Reasons);
    }

    [Fact]
    public async Task NCCL_buffers_larger_than_the_memory_headroom_are_blocked()
    {
        RiskScorer risk = await ScorerAsync("l40s-1x8-pcie-ddp"); // 3 GiB headroom
        // MIN and MAX: NCCL_MAX_NCHANNELS alone only caps NCCL's own (small, on PCIe) channel count.
        NcclConfig config = NcclConfig.Default.With(ParameterSpace.MinChannels, "32").With(ParameterSpace.MaxChannels, "32").With(ParameterSpace.BuffSize, "67108864");

        RiskAssessment assessment = risk.Assess(config, NcclConfig.Default);

        Assert.True(assessment.Blocked);
        Assert.Contains(assessment.Reasons, r => r.Contains("GiB", StringComparison.Ordinal));
    }
}
