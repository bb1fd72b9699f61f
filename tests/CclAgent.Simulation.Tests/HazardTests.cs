using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation.Tests;

public sealed class HazardTests
{
    private static readonly CollectiveCall AllReduce = new(CollectiveOp.AllReduce, 64L << 20, 1, 8);

    private static Outcome Evaluate(ClusterSpec spec, NcclConfig config, double headroomGib = 8) =>
        new HazardModel(Clusters.Model(spec), [AllReduce], headroomGib).Evaluate(config);

    [Fact]
    public void Default_config_runs()
    {
        Assert.Equal(OutcomeKind.Ok, Evaluate(Clusters.A100Node, NcclConfig.Default).Kind);
    }

    [Fact]
    public void Min_channels_above_max_channels_is_an_init_error()
    {
        Outcome outcome = Evaluate(Clusters.A100Node, NcclConfig.Default with { MinChannels = 16, MaxChannels = 4 });
        Assert.Equal(OutcomeKind.InitError, outcome.Kind);
        Assert.Equal("channels-min-le-max", outcome.Rule);
    }

    [Fact]
    public void Forcing_LL128_on_PCIe_corrupts_results()
    {
        Outcome outcome = Evaluate(Clusters.PcieNode(), NcclConfig.Default with { Protocol = NcclProtocol.LL128 });
        Assert.Equal(OutcomeKind.Corrupted, outcome.Kind);
    }

    [Fact]
    public void P2P_level_SYS_through_an_ACS_root_complex_hangs()
    {
        Assert.Equal(OutcomeKind.Hang, Evaluate(Clusters.PcieNode(acs: true), NcclConfig.Default with { P2PLevel = PathLevel.SYS }).Kind);
        Assert.Equal(OutcomeKind.Ok, Evaluate(Clusters.PcieNode(acs: false), NcclConfig.Default with { P2PLevel = PathLevel.SYS }).Kind);
    }

    [Fact]
    public void Sixteen_MiB_buffers_on_32_channels_run_out_of_memory_with_small_headroom()
    {
        var config = NcclConfig.Default with { BuffSize = 16L << 20, MinChannels = 32, MaxChannels = 32 };
        Outcome outcome = Evaluate(Clusters.A100Node, config, headroomGib: 2);
        Assert.Equal(OutcomeKind.OutOfMemory, outcome.Kind);
        Assert.Equal(OutcomeKind.Ok, Evaluate(Clusters.A100Node, config, headroomGib: 8).Kind);
    }
}
