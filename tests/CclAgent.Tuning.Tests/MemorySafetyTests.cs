using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Simulation;
using CclAgent.Testing;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Risk;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Tuning.Tests;

/// <summary>GPU memory: the tuner's buffer estimate follows NCCL's allocation and never runs a configuration out of memory.</summary>
public sealed class MemorySafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    private static string DecodeFixture => Path.Combine(RepoPaths.Root, "tests", "CclAgent.Tuning.Tests", "Fixtures", "a100-1x8-nvswitch-70b-tp8-decode.json");

    [Fact]
    public async Task A_70B_TP8_decode_on_eight_A100s_with_2_GiB_free_applies_no_configuration_that_runs_out_of_memory()
    {
        WorkloadSpec spec = await TuningHarness.LoadAsync(DecodeFixture);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, DecodeFixture, _temp.Path, memory, _time, "run-decode", budget: 24);

        IReadOnlyList<StepRecord> steps = await TuningEngineTests.ReadStepsAsync(result);
        steps.Where(s => s.FailureClass?.Name == "cuda_oom").Should().BeEmpty();
        result.Outcome.Summary!.FailedTrials.Should().Be(0);
    }

    [Fact]
    public async Task The_risk_estimate_of_NCCL_buffers_is_never_below_the_simulated_clusters_allocation()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal).Append(DecodeFixture);
        foreach (string file in files)
        {
            WorkloadSpec spec = await TuningHarness.LoadAsync(file);
            var platform = NcclPlatform.FromCluster(spec.Cluster!);
            var calls = spec.Iteration!.Collectives!.Select(CollectiveCall.From).ToList();
            var truth = new SimulatedCluster(spec, new SimulationOptions()).Hazards;
            SearchSpace space = SearchSpace.For(platform, calls.Select(c => c.Op).Distinct().ToArray());
            foreach (NcclConfig config in space.Enumerate().Where((_, i) => i % 7 == 0))
            {
                double trueGib = truth.BufferBytes(config) / (1024.0 * 1024 * 1024);
                BufferEstimate.Gib(platform, calls, config).Should().BeGreaterThanOrEqualTo(trueGib - 1e-9, $"{Path.GetFileName(file)} {config.Key}");
            }
        }
    }

    [Fact]
    public void NVLS_buffers_count_on_NVSwitch_Hopper_and_not_when_another_algorithm_is_forced()
    {
        var platform = new NcclPlatform { Generation = GpuGeneration.Hopper, Fabric = IntraFabric.NvSwitch, Network = NetworkKind.None, Nodes = 1, GpusPerNode = 8, NicsPerNode = 0, GdrSupported = false, AcsEnabled = false, CpuIsAmd = false };
        CollectiveCall[] calls = [new(CollectiveOp.AllReduce, 1 << 20, 1, 8)];

        double withNvls = BufferEstimate.Gib(platform, calls, NcclConfig.Default with { MinChannels = 16, MaxChannels = 16 });
        double tree = BufferEstimate.Gib(platform, calls, NcclConfig.Default with { MinChannels = 16, MaxChannels = 16, Algorithm = NcclAlgorithm.Tree });

        // ncclNvlsBufferSetup: 16 channels × 2 × (128 KiB × 8 steps) × 8 heads = 256 MiB.
        (withNvls - tree).Should().BeApproximately(0.25, 1e-9);
    }
}
