using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Simulation.Tests;

public sealed class TunerConfRoundTripTests
{
    private static SimulatedCluster Fsdp() =>
        new(SimulationFiles.LoadWorkload(SimulationFiles.SimWorkloads.Single(p => p.Contains("h100-2x8", StringComparison.Ordinal))), new SimulationOptions());

    private static NcclConfig ReadBack(SimulatedCluster cluster, NcclConfig config)
    {
        string text = TunerConfWriter.Render(TunerRows.For(config, cluster.TunerKeys), "round trip");
        NcclConfig environment = config.WithoutChoices();
        return TunerConfParser.Parse(text).Table.ApplyTo(environment, cluster.TunerKeys, (key, algorithm, protocol) =>
            cluster.Selector.PluginCellAvailable(key.Call, algorithm, protocol, environment));
    }

    [Fact]
    public void A_conf_written_parsed_and_applied_by_the_simulator_runs_exactly_the_choices_it_was_written_from()
    {
        SimulatedCluster cluster = Fsdp();
        NcclConfig config = NcclConfig.Default with { BuffSize = 1 << 20 };
        foreach (TunerKey key in cluster.TunerKeys)
        {
            config = config.WithChoice(key, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 4));
        }

        NcclConfig read = ReadBack(cluster, config);

        read.Should().Be(config);
        cluster.Estimate(read).IterationMs.Should().Be(cluster.Estimate(config).IterationMs);
        cluster.Estimate(read).IterationMs.Should().NotBe(cluster.Estimate(config.WithoutChoices()).IterationMs, "the rows change what NCCL runs");
    }

    [Fact]
    public void A_row_for_a_cell_NCCL_ignores_leaves_NCCLs_own_choice_in_place()
    {
        SimulatedCluster cluster = Fsdp();
        TunerKey gather = cluster.TunerKeys.First(k => k.Op == CollectiveOp.AllGather);
        NcclConfig treeGather = NcclConfig.Default.WithChoice(gather, new TunerChoice(NcclAlgorithm.Tree, NcclProtocol.Simple, 4));

        cluster.Estimate(treeGather).IterationMs.Should().Be(cluster.Estimate(NcclConfig.Default).IterationMs, "Tree does not implement all-gather: the plugin skips the row");
        ReadBack(cluster, treeGather).HasChoices.Should().BeFalse();
    }

    [Fact]
    public void NCCL_ALGO_in_the_environment_disables_rows_for_other_algorithms()
    {
        SimulatedCluster cluster = Fsdp();
        TunerKey key = cluster.TunerKeys[0];
        NcclConfig ring = NcclConfig.Default with { Algorithm = NcclAlgorithm.Ring };

        cluster.Estimate(ring.WithChoice(key, new TunerChoice(NcclAlgorithm.Nvls, NcclProtocol.Simple, 16))).IterationMs
            .Should().Be(cluster.Estimate(ring).IterationMs);
    }

    [Fact]
    public void Plugin_channels_replace_NCCLs_count_within_the_channels_the_communicator_set_up()
    {
        SimulatedCluster cluster = Fsdp();
        (CollectiveSpec spec, CollectiveCall call) = cluster.DistinctCollectives[0];
        TunerKey key = TunerKey.From(call);

        cluster.Selector.Choose(call, NcclConfig.Default.WithChoice(key, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 2)))!.Channels.Should().Be(2);
        NcclConfig capped = NcclConfig.Default with { MinChannels = 4, MaxChannels = 4 };
        cluster.Selector.Choose(call, capped.WithChoice(key, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 32)))!.Channels.Should().Be(4, spec.Name);
    }
}
