using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.TunerPlugin;

namespace CclAgent.Runtime.Tests.TunerPlugin;

/// <summary>
/// The binding against ccl-agent's real plugin binary. The plugin reads its conf from the process environment at init,
/// which a test cannot change for native code; these runs see no conf (its rows are tested through `sim train`).
/// </summary>
public sealed class TunerPluginLibraryTests
{
    private static readonly float[] RingSimpleCheapest = Table((NcclAlgorithm.Tree, NcclProtocol.LL, 40), (NcclAlgorithm.Ring, NcclProtocol.LL, 30), (NcclAlgorithm.Ring, NcclProtocol.Simple, 20));

    [Fact]
    public void The_plugin_binds_its_newest_table_ncclTunerPlugin_v5()
    {
        using TunerPluginLibrary library = TunerPluginLibrary.Load(TunerPluginBinary.Location, TextWriter.Null);

        library.Version.Should().Be(5);
        library.SymbolName.Should().Be("ncclTunerPlugin_v5");
        library.PluginName.Should().Be("ccl-agent");
        library.Path.Should().Be(TunerPluginBinary.Location);
    }

    [Fact]
    public void A_plugin_without_rows_leaves_NCCL_own_choice_and_the_caller_table_untouched()
    {
        using TunerPluginLibrary library = TunerPluginLibrary.Load(TunerPluginBinary.Location, TextWriter.Null);
        using TunerPluginContext context = library.CreateContext(new TunerPluginCommunicator(4, 32) { Constants = NcclTunerConstants.FromCostModel() });
        float[] table = (float[])RingSimpleCheapest.Clone();

        TunerPluginAnswer answer = context.GetCollInfo(CollectiveOp.AllReduce, 1 << 20, table);

        answer.Should().Be(new TunerPluginAnswer(NcclAlgorithm.Ring, NcclProtocol.Simple, 0, TunerPluginStatus.Answered));
        table.Should().Equal(RingSimpleCheapest);
    }

    [Fact]
    public void Many_contexts_on_one_library_each_answer_and_finalize()
    {
        using TunerPluginLibrary library = TunerPluginLibrary.Load(TunerPluginBinary.Location, TextWriter.Null);
        TunerPluginContext[] contexts = [.. Enumerable.Range(1, 4).Select(n => library.CreateContext(new TunerPluginCommunicator(n, 8 * n)))];

        contexts.Select(c => c.GetCollInfo(CollectiveOp.AllGather, 4096, RingSimpleCheapest).Status).Should().AllBeEquivalentTo(TunerPluginStatus.Answered);
        contexts[0].Dispose();
        contexts[0].Invoking(c => c.GetCollInfo(CollectiveOp.AllGather, 4096, RingSimpleCheapest)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void A_path_that_does_not_load_is_one_line_naming_the_path()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ccl-agent-no-such-dir", "libnccl-tuner-missing.so");

        Action load = () => TunerPluginLibrary.Load(path);

        load.Should().Throw<TunerPluginLoadException>().Which.Message.Should().Contain(path).And.Contain("cannot be loaded").And.NotContain("\n");
    }

    [Fact]
    public void A_library_without_tuner_tables_is_one_line_naming_what_was_expected()
    {
        Action load = () => TunerPluginLibrary.Load("libm.so.6");

        load.Should().Throw<TunerPluginLoadException>().Which.Message.Should()
            .Be("tuner plugin libm.so.6: exports none of ncclTunerPlugin_v5, ncclTunerPlugin_v4, ncclTunerPlugin_v3, ncclTunerPlugin_v2");
    }

    [Fact]
    public void A_name_that_resolves_nowhere_lists_every_library_tried()
    {
        Action load = () => TunerPluginLibrary.FromVariable("ccl-agent-test-missing");

        load.Should().Throw<TunerPluginLoadException>().Which.Message.Should()
            .StartWith("NCCL_TUNER_PLUGIN=ccl-agent-test-missing: no tuner plugin loads")
            .And.Contain("libnccl-tuner-ccl-agent-test-missing.so: cannot be loaded");
    }

    [Fact]
    public void No_plugin_variable_means_no_plugin() =>
        TunerPluginLibrary.FromVariable(null).Should().BeNull();

    [Fact]
    public void The_v5_constants_hold_NCCL_base_latencies_first()
    {
        double[] constants = NcclTunerConstants.FromCostModel();

        constants.Should().HaveCount(144);
        constants[(1 * 3) + 0].Should().Be(6.6, "baseLatencies[RING][LL]");
        constants[21 + (2 * 21) + (1 * 3) + 2].Should().Be(14.0, "hwLatencies[NET][RING][SIMPLE]");
    }

    [Theory]
    [InlineData(2, "%s", "table loaded", "NCCL WARN table loaded")]
    [InlineData(2, "raw %d text", null, "NCCL WARN raw %d text")]
    public void The_logger_prints_a_preformatted_message_as_NCCL_prints_its_own(int level, string fmt, string? message, string expected) =>
        TunerPluginLog.Line(level, fmt, message).Should().Be(expected);

    private static float[] Table(params (NcclAlgorithm Algorithm, NcclProtocol Protocol, float Cost)[] cells)
    {
        float[] table = Enumerable.Repeat(TunerCostTable.Ignored, TunerCostTable.Length).ToArray();
        foreach ((NcclAlgorithm algorithm, NcclProtocol protocol, float cost) in cells)
        {
            table[((int)algorithm * TunerCostTable.Protocols) + (int)protocol] = cost;
        }

        return table;
    }
}
