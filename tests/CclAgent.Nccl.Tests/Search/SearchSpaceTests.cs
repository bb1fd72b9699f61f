using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using static CclAgent.Nccl.Tests.Support.Platforms;

namespace CclAgent.Nccl.Tests.Search;

public sealed class SearchSpaceTests
{
    private static readonly CollectiveOp[] AllReduce = [CollectiveOp.AllReduce];

    private static string[] Parameters(NcclPlatform platform, CollectiveOp[]? ops = null) =>
        SearchSpace.For(platform, ops ?? AllReduce).Dimensions.Select(d => d.Parameter).ToArray();

    [Fact]
    public void Every_space_has_the_core_dimensions_first()
    {
        Assert.Equal(
            [ParameterSpace.Algo, ParameterSpace.Proto, ParameterSpace.NThreads, ParameterSpace.BuffSize, SearchSpace.Channels],
            Parameters(H100SingleNode));
    }

    [Fact]
    public void Only_algorithm_and_protocol_are_implementation_dimensions()
    {
        SearchSpace space = SearchSpace.For(A40PcieIb, AllReduce);

        Assert.Equal([ParameterSpace.Algo, ParameterSpace.Proto], space.Dimensions.Where(d => d.IsImplementation).Select(d => d.Parameter));
    }

    [Fact]
    public void Socket_knobs_appear_only_on_tcp()
    {
        Assert.Contains(ParameterSpace.SocketNThreads, Parameters(With(NetworkKind.Tcp)));
        Assert.Contains(ParameterSpace.NSocksPerThread, Parameters(With(NetworkKind.Tcp)));
        foreach (NetworkKind other in new[] { NetworkKind.InfiniBand, NetworkKind.Roce, NetworkKind.Efa })
        {
            Assert.DoesNotContain(ParameterSpace.SocketNThreads, Parameters(With(other)));
            Assert.DoesNotContain(ParameterSpace.NSocksPerThread, Parameters(With(other)));
        }
    }

    [Theory]
    [InlineData(NetworkKind.InfiniBand, true)]
    [InlineData(NetworkKind.Roce, true)]
    [InlineData(NetworkKind.Tcp, false)]
    [InlineData(NetworkKind.Efa, false)]
    public void Qps_appear_only_on_ib_and_roce(NetworkKind network, bool expected)
    {
        Assert.Equal(expected, Parameters(With(network)).Contains(ParameterSpace.IbQps));
    }

    [Theory]
    [InlineData(8, 2, true)]
    [InlineData(1, 2, false)]
    [InlineData(8, 1, false)]
    public void Cross_nic_appears_only_with_several_nics_and_several_nodes(int nics, int nodes, bool expected)
    {
        Assert.Equal(expected, Parameters(With(NetworkKind.InfiniBand, nics, nodes)).Contains(ParameterSpace.CrossNic));
    }

    [Fact]
    public void A_single_node_has_no_network_dimensions()
    {
        string[] parameters = Parameters(H100SingleNode with { NicsPerNode = 8 });

        Assert.DoesNotContain(ParameterSpace.IbQps, parameters);
        Assert.DoesNotContain(ParameterSpace.NetGdrLevel, parameters);
        Assert.DoesNotContain(ParameterSpace.CrossNic, parameters);
    }

    [Fact]
    public void P2p_level_appears_only_on_multi_gpu_pcie_nodes()
    {
        Assert.Contains(ParameterSpace.P2PLevel, Parameters(A40PcieIb));
        Assert.DoesNotContain(ParameterSpace.P2PLevel, Parameters(A40PcieIb with { GpusPerNode = 1 }));
        Assert.DoesNotContain(ParameterSpace.P2PLevel, Parameters(H100NvSwitchIb));
    }

    [Fact]
    public void Gdr_level_appears_only_on_multi_node_gdr_networks()
    {
        Assert.Contains(ParameterSpace.NetGdrLevel, Parameters(A40PcieIb));
        Assert.DoesNotContain(ParameterSpace.NetGdrLevel, Parameters(A40PcieIb with { GdrSupported = false }));
    }

    [Fact]
    public void Algorithms_are_only_those_every_op_supports()
    {
        SearchDimension Algo(NcclPlatform p, CollectiveOp[] ops) => SearchSpace.For(p, ops).Dimension(ParameterSpace.Algo)!;

        Assert.Equal([null, "Ring", "Tree"], Algo(A40PcieIb, AllReduce).Values);
        Assert.Equal([null, "Ring"], Algo(A40PcieIb, [CollectiveOp.AllReduce, CollectiveOp.AllGather]).Values);
        Assert.Equal([null, "Ring", "Tree", "Nvls", "NvlsTree"], Algo(H100NvSwitchIb, AllReduce).Values);
        Assert.Equal([null, "Ring", "Tree", "Nvls"], Algo(H100SingleNode, AllReduce).Values);
    }

    [Fact]
    public void Enumerate_yields_size_minus_the_socket_product_exclusions_all_distinct()
    {
        SearchSpace space = SearchSpace.For(With(NetworkKind.Tcp), AllReduce);
        SearchDimension threads = space.Dimension(ParameterSpace.SocketNThreads)!;
        SearchDimension socks = space.Dimension(ParameterSpace.NSocksPerThread)!;
        long excludedPairs = threads.Values.SelectMany(t => socks.Values, (t, s) => Value(t) * Value(s)).Count(product => product > 64);
        long excluded = excludedPairs * (space.Size / (threads.Values.Count * socks.Values.Count));

        List<NcclConfig> all = space.Enumerate().ToList();

        Assert.Equal(space.Size - excluded, all.Count);
        Assert.Equal(all.Count, all.Select(c => c.Key).Distinct().Count());
        Assert.All(all, c => Assert.True(c.SocketNThreads.GetValueOrDefault(1) * c.NSocksPerThread.GetValueOrDefault(1) <= 64));
        Assert.Equal(NcclConfig.Default, all[0]);

        static int Value(string? v) => v is null ? 1 : int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Size_is_the_product_of_the_dimension_sizes()
    {
        SearchSpace space = SearchSpace.For(H100SingleNode, AllReduce);

        Assert.Equal(4L * 4 * 5 * 6 * 8, space.Size);
        Assert.Equal(space.Size, space.Enumerate().LongCount());
    }

    [Fact]
    public void At_and_IndexesOf_round_trip_over_the_whole_space()
    {
        SearchSpace space = SearchSpace.For(A40PcieIb, AllReduce);
        int[] sizes = space.Dimensions.Select(d => d.Values.Count).ToArray();
        var random = new Random(1234);

        for (int n = 0; n < 2000; n++)
        {
            int[] indexes = sizes.Select(size => random.Next(size)).ToArray();

            Assert.Equal(indexes, space.IndexesOf(space.At(indexes)));
        }
    }

    [Fact]
    public void Channels_are_set_as_min_equal_max()
    {
        SearchSpace space = SearchSpace.For(A40PcieIb, AllReduce);
        int[] indexes = new int[space.Dimensions.Count];
        indexes[4] = space.Dimensions[4].IndexOf("16");

        NcclConfig config = space.At(indexes);

        Assert.Equal((16, 16), (config.MinChannels, config.MaxChannels));
        Assert.Equal("16", SearchSpace.Get(config, SearchSpace.Channels));
    }

    [Fact]
    public void A_value_outside_the_grid_maps_to_the_default_index()
    {
        SearchSpace space = SearchSpace.For(A40PcieIb, AllReduce);

        int[] indexes = space.IndexesOf(new NcclConfig { NThreads = 320, Algorithm = NcclAlgorithm.Tree });

        Assert.Equal(0, indexes[2]);
        Assert.Equal(2, indexes[0]);
    }
}
