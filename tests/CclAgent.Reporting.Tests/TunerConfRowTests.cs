using CclAgent.Reporting.Runs;

namespace CclAgent.Reporting.Tests;

public sealed class TunerConfRowTests
{
    [Fact]
    public void NCCL_example_tuner_conf_rows_are_read_as_the_example_plugin_lists_them()
    {
        IReadOnlyList<TunerConfRow> rows = TunerConfRow.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "nvidia-nccl-example-tuner.conf")));

        // Expectation written from NVIDIA/nccl ext-tuner/example/nccl_tuner.conf by hand.
        rows.Should().HaveCount(9);
        rows[0].Should().Be(new TunerConfRow("allreduce", "0", "65536", "tree", "simple", "2", "1", "-1"));
        rows[2].Should().Be(new TunerConfRow("allreduce", "1048577", "4294967295", "ring", "ll128", "-1", "-1", "-1"));
        rows[5].Should().Be(new TunerConfRow("allgather", "0", "4294967295", "ring", "simple", "4", "2", "-1"));
        rows.Select(r => r.Collective).Distinct().Should().BeEquivalentTo(["allreduce", "broadcast", "allgather", "reducescatter", "reduce"]);
    }
}
