using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation.Tests;

public sealed class CostModelTests
{
    private static readonly ClusterModel H100 = Clusters.Model(Clusters.H100Node);
    private static readonly ClusterModel A100 = Clusters.Model(Clusters.A100Node);

    [Theory]
    [InlineData(NcclAlgorithm.Ring, NcclProtocol.Simple)]
    [InlineData(NcclAlgorithm.Ring, NcclProtocol.LL)]
    [InlineData(NcclAlgorithm.Tree, NcclProtocol.LL128)]
    public void True_time_grows_with_message_size_for_a_fixed_decision(NcclAlgorithm algorithm, NcclProtocol protocol)
    {
        var truth = new GroundTruthModel(A100);
        var decision = new NcclDecision(algorithm, protocol, 8, 512, NcclSelector.ChunkBytes(protocol, NcclConfig.Default), 0);
        double previous = 0;
        for (long bytes = 1024; bytes <= 1L << 30; bytes *= 2)
        {
            double time = truth.CallTimeUs(new CollectiveCall(CollectiveOp.AllReduce, bytes, 1, 8), decision, NcclConfig.Default);
            Assert.True(time > previous, $"{bytes} B: {time} µs is not above {previous} µs");
            previous = time;
        }
    }

    [Fact]
    public void Nccl_model_time_grows_with_message_size()
    {
        var selector = new NcclSelector(H100);
        double previous = 0;
        for (long bytes = 1024; bytes <= 1L << 30; bytes *= 2)
        {
            double time = selector.ModelTimeUs(new CollectiveCall(CollectiveOp.AllReduce, bytes, 1, 8), NcclAlgorithm.Ring, NcclProtocol.Simple, 16);
            Assert.True(time > previous);
            previous = time;
        }
    }

    [Fact]
    public void Nccl_model_bandwidth_is_linear_in_channels_while_each_channel_gets_the_top_link_speed()
    {
        var selector = new NcclSelector(H100);
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8);
        double one = selector.ModelAlgorithmBandwidth(call, NcclAlgorithm.Ring, NcclProtocol.Simple, 1);

        // 450 GB/s over ≤ 7 channels leaves ≥ 60 GB/s each, the top of NCCL's SM90 speed ladder.
        for (int channels = 2; channels <= 7; channels++)
        {
            Assert.Equal(channels * one, selector.ModelAlgorithmBandwidth(call, NcclAlgorithm.Ring, NcclProtocol.Simple, channels), 9);
        }
    }

    [Fact]
    public void Nccl_model_bus_bandwidth_never_exceeds_the_link_it_splits_over_channels()
    {
        var selector = new NcclSelector(H100);
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8);
        double ratio = call.Ranks / (double)call.RingSteps;
        for (int channels = 1; channels <= NcclTuningTables.MaxChannels; channels++)
        {
            double busBw = selector.ModelAlgorithmBandwidth(call, NcclAlgorithm.Ring, NcclProtocol.Simple, channels) / ratio;
            Assert.True(busBw <= H100.IntraBandwidth + 1e-9, $"{channels} channels: {busBw} GB/s");
        }
    }

    [Fact]
    public void True_bandwidth_time_does_not_grow_with_channels_and_flattens_once_the_link_saturates()
    {
        var truth = new GroundTruthModel(A100);
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8);
        double previous = double.PositiveInfinity;
        var times = new List<double>();
        foreach (int channels in new[] { 1, 2, 4, 8, 16, 24, 32 })
        {
            var decision = new NcclDecision(NcclAlgorithm.Ring, NcclProtocol.Simple, channels, 512, 2 << 20, 0);
            double time = truth.BandwidthTimeUs(call, decision, NcclConfig.Default);
            Assert.True(time <= previous + 1e-9, $"{channels} channels: {time} µs after {previous} µs");
            previous = time;
            times.Add(time);
        }

        Assert.Equal(times[^2], times[^1], 6); // 24 → 32 channels: NVSwitch already saturated
    }

    [Fact]
    public void Small_all_reduce_defaults_to_the_LL_protocol()
    {
        NcclDecision? decision = new NcclSelector(A100).Choose(new CollectiveCall(CollectiveOp.AllReduce, 8 * 1024, 1, 8), NcclConfig.Default);
        Assert.NotNull(decision);
        Assert.Equal(NcclProtocol.LL, decision.Protocol);
    }

    [Fact]
    public void One_GiB_all_reduce_on_a_single_NVSwitch_node_defaults_to_Simple()
    {
        NcclDecision? decision = new NcclSelector(H100).Choose(new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8), NcclConfig.Default);
        Assert.NotNull(decision);
        Assert.Equal(NcclProtocol.Simple, decision.Protocol);
    }

    [Fact]
    public void Forcing_Tree_for_an_all_gather_leaves_no_algorithm()
    {
        var config = NcclConfig.Default with { Algorithm = NcclAlgorithm.Tree };
        Assert.Null(new NcclSelector(A100).Choose(new CollectiveCall(CollectiveOp.AllGather, 64L << 20, 1, 8), config));
    }

    [Fact]
    public void Forced_algorithm_and_protocol_are_respected()
    {
        var config = NcclConfig.Default with { Algorithm = NcclAlgorithm.Ring, Protocol = NcclProtocol.LL128 };
        NcclDecision? decision = new NcclSelector(A100).Choose(new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8), config);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.LL128), (decision!.Algorithm, decision.Protocol));
    }

    [Fact]
    public void Worked_example_8_GPU_NVLink_ring_Simple_latency_is_56_microseconds()
    {
        // NVIDIA/nccl src/graph/tuning.cc (docs/simulator.md §3): 8.4 base + 14 steps × 3.4 µs NVLink hop = 56.0 µs.
        double latency = new NcclSelector(A100).ModelLatencyUs(new CollectiveCall(CollectiveOp.AllReduce, 1L << 20, 1, 8), NcclAlgorithm.Ring, NcclProtocol.Simple, 16);
        Assert.Equal(56.0, latency, 9);
    }

    [Fact]
    public void Min_and_max_channels_bound_the_communicator_channels()
    {
        var selector = new NcclSelector(A100);
        var call = new CollectiveCall(CollectiveOp.AllReduce, 1L << 30, 1, 8);
        Assert.Equal(4, selector.CommChannels(call, NcclConfig.Default with { MaxChannels = 4 }));
        Assert.Equal(32, selector.CommChannels(call, NcclConfig.Default with { MinChannels = 32 }));
        Assert.Equal(64, selector.CommChannels(call, NcclConfig.Default with { MinChannels = 200 }));
    }
}
