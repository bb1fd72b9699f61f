using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// The real HTA trace in Fixtures/hta (SOURCE.md). Expected values were computed with python3's json/gzip over the file:
/// GPU events = ph "X" with cat kernel/gpu_memcpy/gpu_memset (3774); kernels whose name starts with "nccl" are communication;
/// busy time per class is the union of [ts, ts+dur); idle = window - union(all); overlap = |comm ∩ compute| / |comm|.
/// </summary>
public sealed class KinetoFixtureTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hta", "nccl_data.json.gz");

    [Fact]
    public void Real_trace_breakdown_and_overlap_match_the_hand_computed_values()
    {
        TraceReport r = TraceAnalyzer.Analyze([Fixture], "auto", null);
        r.Format.Should().Be("kineto");
        r.Integrity.Valid.Should().BeTrue();
        RankBreakdown b = r.Breakdown.Should().ContainSingle().Subject;
        b.Rank.Should().Be(0);
        b.WindowUs.Should().BeApproximately(660551.006, 0.01);
        b.ComputeUs.Should().BeApproximately(115655.843, 0.01);
        b.CommunicationUs.Should().BeApproximately(46876.492, 0.01);
        b.MemcpyUs.Should().BeApproximately(2653.570, 0.01);
        b.IdleUs.Should().BeApproximately(503050.928, 0.01);
        r.Overlap.Single().Ratio.Should().Be(0.1561);
    }

    [Fact]
    public void Real_trace_collectives_use_kernel_args_and_nccl_tests_bandwidth()
    {
        TraceReport r = TraceAnalyzer.Analyze([Fixture], "kineto", null);
        // 7 groups: 5 allreduce sizes and 2 broadcast sizes, 3 kernels each (21 NCCL kernels).
        r.Collectives.Should().HaveCount(7);
        r.Collectives.Sum(c => c.Count).Should().Be(21);
        // allreduce of 6637568 floats = 26550272 B; durations 2160.803, 2417.184, 2636.669 us, mean 2404.885 us;
        // algbw = 26550272 / 2404.885e-6 / 1e9 = 11.040 GB/s; busbw factor 2(n-1)/n = 1 for n = 2.
        CollectiveRow row = r.Collectives.Single(c => c.Op == "allreduce" && c.Bytes == 26550272);
        row.Should().BeEquivalentTo(new { Dtype = "Float", Algorithm = "RING", Protocol = "LL", Count = 3, Ranks = 1 });
        row.MeanUs.Should().BeApproximately(2404.885, 0.001);
        row.P95Us.Should().Be(2636.669);
        row.AlgbwGbps.Should().BeApproximately(11.040, 0.001);
        row.BusbwGbps.Should().Be(row.AlgbwGbps);
    }

    [Theory]
    [InlineData("ncclKernel_AllReduce_RING_LL_Sum_float(ncclDevComm*, unsigned long, ncclWork*)", "allreduce", "RING", "LL", "float")]
    [InlineData("ncclDevKernel_AllReduce_Sum_f32_RING_LL(ncclDevComm*, unsigned long, ncclWork*)", "allreduce", "RING", "LL", "f32")]
    [InlineData("ncclDevKernel_ReduceScatter_Sum_bf16_RING_SIMPLE", "reducescatter", "RING", "SIMPLE", "bf16")]
    public void Nccl_kernel_names_of_both_families_give_op_algorithm_protocol_and_dtype(string name, string op, string algo, string proto, string dtype)
    {
        Kineto.NcclKernelName.Parse(name).Should().Be(new Kineto.NcclKernelName(op, algo, proto, dtype));
    }
}
