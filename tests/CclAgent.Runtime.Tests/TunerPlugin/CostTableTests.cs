using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Runtime.TunerPlugin;
using CclAgent.Simulation;
using CclAgent.Simulation.CostModel;
using CclAgent.Testing;

namespace CclAgent.Runtime.Tests.TunerPlugin;

/// <summary>The cost table the simulated NCCL hands a tuner plugin, against the selector it stands for.</summary>
public sealed class CostTableTests
{
    /// <summary>Environments that change which cells NCCL allows (forced algorithm or protocol, fewer channels).</summary>
    private static readonly NcclConfig[] Environments =
    [
        NcclConfig.Default,
        NcclConfig.Default.With(ParameterSpace.Proto, "Simple"),
        NcclConfig.Default.With(ParameterSpace.Proto, "LL128"),
        NcclConfig.Default.With(ParameterSpace.Algo, "Ring"),
        NcclConfig.Default.With(ParameterSpace.Algo, "Tree"),
        NcclConfig.Default.With(ParameterSpace.MaxChannels, "2"),
    ];

    public static TheoryData<string> ShippedWorkloads()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedWorkloads))]
    public async Task Ignored_cells_are_minus_one_exactly_where_a_plugin_may_not_pick_the_cell(string workload)
    {
        SimulatedCluster cluster = await ClusterAsync(workload);
        foreach (NcclConfig environment in Environments)
        {
            foreach ((CollectiveCall call, _, _) in cluster.IterationCalls)
            {
                float[] table = cluster.Selector.CostTable(call, environment);
                table.Should().HaveCount(TunerCostTable.Length);
                for (int cell = 0; cell < table.Length; cell++)
                {
                    var (algorithm, protocol) = ((NcclAlgorithm)(cell / 3), (NcclProtocol)(cell % 3));
                    bool available = cluster.Selector.PluginCellAvailable(call, algorithm, protocol, environment);
                    if (available)
                    {
                        table[cell].Should().BeGreaterThanOrEqualTo(0, $"{algorithm}/{protocol} is available for {call} under {environment}");
                        table[cell].Should().Be((float)cluster.Selector.ModelTimeUs(call, algorithm, protocol, cluster.Selector.CommChannels(call, environment)));
                    }
                    else
                    {
                        table[cell].Should().Be(-1.0f, $"{algorithm}/{protocol} is not available for {call} under {environment}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShippedWorkloads))]
    public async Task The_first_minimum_of_the_cost_table_is_the_choice_NCCL_makes_without_a_plugin(string workload)
    {
        SimulatedCluster cluster = await ClusterAsync(workload);
        foreach (NcclConfig environment in Environments)
        {
            foreach ((CollectiveCall call, _, _) in cluster.IterationCalls)
            {
                NcclDecision? own = cluster.Selector.Choose(call, environment);
                bool picked = TunerCostTable.TryPick(cluster.Selector.CostTable(call, environment), out NcclAlgorithm algorithm, out NcclProtocol protocol);

                picked.Should().Be(own is not null, $"{call} under {environment}");
                if (own is not null)
                {
                    (algorithm, protocol).Should().Be((own.Algorithm, own.Protocol), $"{call} under {environment}");
                }
            }
        }
    }

    [Fact]
    public async Task Per_collective_choices_in_the_configuration_do_not_change_the_table()
    {
        SimulatedCluster cluster = await ClusterAsync("autoccl-a40-4x8-llama3-8b");
        (CollectiveCall call, TunerKey key, _) = cluster.IterationCalls[0];
        NcclConfig chosen = NcclConfig.Default.WithChoice(key, new TunerChoice(NcclAlgorithm.Tree, NcclProtocol.LL, 2));

        cluster.Selector.CostTable(call, chosen).Should().Equal(cluster.Selector.CostTable(call, NcclConfig.Default));
    }

    [Fact]
    public void The_first_minimum_skips_ignored_cells_and_keeps_the_earlier_of_two_equal_cells()
    {
        float[] table = Enumerable.Repeat(-1.0f, TunerCostTable.Length).ToArray();
        table[(1 * 3) + 2] = 5; // ring/simple
        table[(4 * 3) + 2] = 5; // nvls/simple, as cheap but later

        TunerCostTable.TryPick(table, out NcclAlgorithm algorithm, out NcclProtocol protocol).Should().BeTrue();
        (algorithm, protocol).Should().Be((NcclAlgorithm.Ring, NcclProtocol.Simple));
        TunerCostTable.TryPick(Enumerable.Repeat(-1.0f, TunerCostTable.Length).ToArray(), out _, out _).Should().BeFalse();
    }

    private static async Task<SimulatedCluster> ClusterAsync(string workload)
    {
        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(RepoPaths.Workload(workload), CancellationToken.None);
        return new SimulatedCluster(loaded.Value!, new SimulationOptions());
    }
}
