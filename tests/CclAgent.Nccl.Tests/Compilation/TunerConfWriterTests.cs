using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tests.Compilation;

public sealed class TunerConfWriterTests
{
    [Fact]
    public void Header_is_the_example_plugin_column_list()
    {
        Assert.Equal("collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff", TunerConfWriter.Header);
    }

    [Fact]
    public void Rows_use_lowercase_names_and_minus_one_wildcards()
    {
        TunerConfRow[] rows =
        [
            new(CollectiveOp.AllReduce, 0, 1024, NcclAlgorithm.Tree, NcclProtocol.LL, 8, 4, 32),
            new(CollectiveOp.ReduceScatter, 1025, 65536, NcclAlgorithm.NvlsTree, NcclProtocol.LL128, null, null, null),
            new(CollectiveOp.AllGather, 65537, 1048576, NcclAlgorithm.CollnetDirect, null, 16, 2, null),
            new(CollectiveOp.Broadcast, 0, 1024, NcclAlgorithm.CollnetChain, NcclProtocol.Simple, null, null, 8),
            new(CollectiveOp.Reduce, 0, 1024, null, null, null, null, null),
        ];

        string text = TunerConfWriter.Render(rows, "tuned by ccl-agent\nrun r1");

        Assert.Equal(
            """
            # tuned by ccl-agent
            # run r1
            collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff
            allreduce,0,1024,tree,ll,8,4,32,-1,-1
            reducescatter,1025,65536,nvls_tree,ll128,-1,-1,-1,-1,-1
            allgather,65537,1048576,collnet_direct,-1,16,2,-1,-1,-1
            broadcast,0,1024,collnet_chain,simple,-1,-1,8,-1,-1
            reduce,0,1024,-1,-1,-1,-1,-1,-1,-1

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Theory]
    [InlineData(NcclAlgorithm.Ring, "ring")]
    [InlineData(NcclAlgorithm.Nvls, "nvls")]
    [InlineData(NcclAlgorithm.Pat, "pat")]
    public void Algorithm_names_are_lowercase(NcclAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, TunerConfWriter.AlgorithmName(algorithm));
    }

    [Theory]
    [InlineData(0, 0, 1024)]
    [InlineData(1024, 0, 1024)]
    [InlineData(1025, 1025, 65536)]
    [InlineData(1048576, 65537, 1048576)]
    [InlineData(16777216, 1048577, 16777216)]
    [InlineData(16777217, 16777217, 4294967296)]
    [InlineData(1L << 40, 16777217, 4294967296)]
    public void Sizes_fall_in_the_optimize_config_bins(long bytes, long min, long max)
    {
        Assert.Equal((min, max), TunerConfWriter.BinOf(bytes));
    }

    [Fact]
    public void Bins_are_contiguous_from_zero()
    {
        IReadOnlyList<(long Min, long Max)> bins = TunerConfWriter.SizeBins;

        Assert.Equal(0, bins[0].Min);
        for (int i = 1; i < bins.Count; i++)
        {
            Assert.Equal(bins[i - 1].Max + 1, bins[i].Min);
        }
    }
}
