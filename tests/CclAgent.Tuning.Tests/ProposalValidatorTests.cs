using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Runtime.Simulated;
using CclAgent.Simulation;
using CclAgent.Tuning.Advice;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Risk;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Tests;

public sealed class ProposalValidatorTests
{
    [Fact]
    public async Task A_rejected_multi_setting_proposal_names_every_problem_not_only_the_first()
    {
        ProposalValidator validator = await ValidatorAsync("l40s-1x8-pcie-ddp");
        ProposedSetting[] settings =
        [
            new() { Name = "NCCL_NOT_A_KNOB", Value = "1" },
            new() { Name = ParameterSpace.Algo, Value = "Ring" },
            new() { Name = ParameterSpace.Algo, Value = "Tree" },
            new() { Name = "NCCL_ALSO_BOGUS", Value = "2" },
        ];

        ProposalCheck check = validator.Check(settings, NcclConfig.Default, NcclConfig.Default);

        check.Config.Should().BeNull();
        check.Problem.Should().Contain("NCCL_NOT_A_KNOB").And.Contain("NCCL_ALSO_BOGUS").And.Contain($"{ParameterSpace.Algo} is set twice");
    }

    [Fact]
    public async Task A_proposal_with_two_values_off_the_grid_names_both()
    {
        ProposalValidator validator = await ValidatorAsync("l40s-1x8-pcie-ddp");
        ProposedSetting[] settings =
        [
            new() { Name = ParameterSpace.BuffSize, Value = "4194304" },
            new() { Name = ParameterSpace.MinChannels, Value = "12" },
            new() { Name = ParameterSpace.MaxChannels, Value = "12" },
        ];

        ProposalCheck check = validator.Check(settings, NcclConfig.Default, NcclConfig.Default);

        check.Config.Should().BeNull();
        check.Problem.Should().Contain($"{ParameterSpace.BuffSize}=4194304").And.Contain($"{ParameterSpace.MinChannels}=12");
    }

    private static async Task<ProposalValidator> ValidatorAsync(string workload)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(workload);
        var platform = NcclPlatform.FromCluster(spec.Cluster!);
        CollectiveOp[] ops = spec.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray();
        SearchSpace space = SearchSpace.For(platform, ops);
        var cluster = new SimulatedCluster(spec, new SimulationOptions { Seed = 11 });
        MicrobenchmarkResult bench = await new Microbenchmark(new SimulatedCollectiveBenchmark(cluster), space).RunAsync(spec, CancellationToken.None);
        var surrogate = new IterationSurrogate(bench, spec.Iteration.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, cluster.Space);
        return new ProposalValidator(space, new RiskScorer(platform, ops, spec.Iteration.GpuMemoryHeadroomGib, []), surrogate, platform, ops);
    }
}
