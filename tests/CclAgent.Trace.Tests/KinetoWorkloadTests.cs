using CclAgent.Testing;
using CclAgent.Core.Workloads;

namespace CclAgent.Trace.Tests;

/// <summary>
/// <c>trace workload</c> on the hand-written 3-rank fixture (Fixtures/straggler/SOURCE.md) and the real HTA trace.
/// Straggler fixture by hand: compute union per rank 2 x 400 us over 2 ProfilerSteps = 400 us = 0.4 ms per iteration;
/// all-reduce 1048576 x 4 B = 4194304 B, 2 calls / 2 steps = 1 per iteration, compute overlap per step 100 + 90 + 50 us
/// of 3 x 200 us, so 480 / 1200 = 0.4; all-gather 786432 x 2 B (bf16) = 1572864 B, never under compute, overlap 0;
/// a 3-rank communicator on 8-GPU nodes is 1 node of 3.
/// </summary>
public sealed class KinetoWorkloadTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "straggler");
    private static readonly string Cluster = Path.Combine(AppContext.BaseDirectory, "Fixtures", "clusters", "h100-1x8.json");

    private static string[] Ranks => [Path.Combine(Dir, "rank0.json"), Path.Combine(Dir, "rank1.json"), Path.Combine(Dir, "rank2.json")];

    [Fact]
    public void Compute_per_iteration_is_the_compute_union_divided_by_the_profiler_steps()
    {
        WorkloadSpec spec = TraceWorkload.Build(Ranks, Cluster);
        spec.Iteration!.ComputeMs.Should().Be(0.4);
        spec.Cluster!.GpusPerNode.Should().Be(8);
        spec.Name.Should().Be("trace-rank0");
    }

    [Fact]
    public void Collectives_carry_op_nccl_tests_bytes_calls_per_iteration_shape_and_overlap()
    {
        WorkloadSpec spec = TraceWorkload.Build(Ranks, Cluster);
        spec.Iteration!.Collectives.Should().BeEquivalentTo(
            new[]
            {
                new { Name = "all_gather_1572864", Op = "all_gather", Bytes = 1572864L, Count = 1, Nodes = 1, RanksPerNode = 3, Overlap = 0.0 },
                new { Name = "all_reduce_4194304", Op = "all_reduce", Bytes = 4194304L, Count = 1, Nodes = 1, RanksPerNode = 3, Overlap = 0.4 },
            },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_directory_of_rank_files_gives_the_same_spec_as_the_files()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"trace-ranks-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            foreach (string f in Ranks)
            {
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            }

            TraceWorkload.ToJson(TraceWorkload.Build([dir], Cluster)).Should().Be(TraceWorkload.ToJson(TraceWorkload.Build(Ranks, Cluster)));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Real_trace_gives_one_call_per_iteration_of_each_of_its_seven_collectives()
    {
        // python3 over the file: compute union 115655.843 us / 3 ProfilerSteps = 38.552 ms; every group has 3 kernels;
        // overlap of the 26550272 B all-reduce with compute = 0.139, world size 2 on one 8-GPU node.
        string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hta", "nccl_data.json.gz");
        WorkloadSpec spec = TraceWorkload.Build([fixture], Cluster);
        spec.Iteration!.ComputeMs.Should().Be(38.552);
        spec.Iteration.Collectives.Should().HaveCount(7).And.OnlyContain(c => c.Count == 1 && c.Nodes == 1 && c.RanksPerNode == 2);
        spec.Iteration.Collectives!.Single(c => c.Bytes == 26550272).Overlap.Should().Be(0.139);
        spec.Iteration.Collectives!.Where(c => c.Op == "broadcast").Select(c => c.Bytes).Should().Equal(424, 212480);
    }

    [Fact]
    public void A_cluster_file_that_is_a_whole_workload_lends_its_cluster()
    {
        string path = Path.Combine(RepoPaths.Root, "workload", "sim", "h100-2x8-ib400-fsdp.json");
        TraceWorkload.Build(Ranks, path).Cluster!.Nodes.Should().Be(2);
    }

    [Fact]
    public void A_cluster_with_a_bad_field_is_rejected_naming_the_file_and_the_field()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cluster-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, File.ReadAllText(Cluster).Replace("\"gpus_per_node\": 8", "\"gpus_per_node\": 0", StringComparison.Ordinal));
        try
        {
            Action build = () => TraceWorkload.Build(Ranks, path);
            build.Should().Throw<TraceInputException>().WithMessage($"{path}: $.cluster.gpus_per_node*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
