using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;

namespace CclAgent.Simulation.Truth;

/// <summary>
/// Decides whether a configuration runs at all: values NCCL rejects, combinations known to corrupt
/// results or hang (the parameter space's rules, which a real cluster enforces whether or not the
/// tuner checked them), and NCCL buffers that exhaust the GPU memory the job leaves free.
/// </summary>
public sealed class HazardModel(ClusterModel cluster, IReadOnlyList<CollectiveCall> calls, double memoryHeadroomGib)
{
    private readonly CollectiveOp[] _ops = calls.Select(c => c.Op).Distinct().ToArray();
    private readonly NcclSelector _selector = new(cluster);

    // One communicator per shape, found once: BufferBytes runs for every configuration the oracle evaluates.
    private readonly (CollectiveCall Call, bool AllReduce, bool NvlsOp)[] _communicators = calls.GroupBy(c => (c.Nodes, c.RanksPerNode))
        .Select(g => (g.First(), g.Any(c => c.Op == CollectiveOp.AllReduce), g.Any(c => c.Op is CollectiveOp.AllReduce or CollectiveOp.AllGather or CollectiveOp.ReduceScatter)))
        .ToArray();


    public Outcome Evaluate(NcclConfig config)
    {
        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(config, cluster.Platform, _ops);
        if (violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Error) is { } error)
        {
            return new Outcome(OutcomeKind.InitError, $"NCCL WARN {error.Message}; ncclInvalidUsage", error.Rule);
        }

        if (violations.FirstOrDefault(v => v.Severity == ViolationSeverity.Hazard) is { } hazard)
        {
            return hazard.Rule == "p2p-through-acs"
                ? new Outcome(OutcomeKind.Hang, "collective did not complete: ProcessGroupNCCL watchdog timeout", hazard.Rule)
                : new Outcome(OutcomeKind.Corrupted, $"results corrupted ({hazard.Message}); loss became NaN", hazard.Rule);
        }

        double bufferGib = BufferBytes(config) / (1024.0 * 1024 * 1024);
        if (bufferGib > memoryHeadroomGib)
        {
            return new Outcome(OutcomeKind.OutOfMemory,
                $"Cuda failure 'out of memory': NCCL buffers need {bufferGib:0.00} GiB, {memoryHeadroomGib:0.00} GiB free", "buffers-exceed-headroom");
        }

        return Outcome.Ok;
    }

    /// <summary>
    /// Device memory NCCL allocates per GPU, per communicator shape (the tuner's RiskScorer keeps its own estimate):
    /// ring: channels × 2 peers × (Simple + LL + LL128) (src/transport.cc ncclTransportP2pSetup, p2p.cc/net.cc
    /// recv and send setup); tree, when it may run an all-reduce: up to NCCL_MAX_TREE_ARITY = 3 more peers per
    /// channel (src/init.cc, tree.up/tree.down in both directions, the reverse of the ring's links); NVLS on NVSwitch Hopper+: nvlsChannels × 2 × (NCCL_NVLS_CHUNKSIZE × NCCL_STEPS) × nHeads
    /// (src/transport/nvls.cc ncclNvlsBufferSetup), NCCL_BUFFSIZE not involved.
    /// </summary>
    public double BufferBytes(NcclConfig config)
    {
        double total = 0;
        foreach ((CollectiveCall call, bool allReduce, bool nvlsOp) in _communicators)
        {
            int channels = Math.Max(_selector.CommChannels(call, config), config.MinChannels ?? 0);
            bool tree = allReduce && config.Algorithm is null or NcclAlgorithm.Tree;
            int peers = 2 + (tree ? 3 : 0);
            double perPeer = (config.BuffSize ?? NcclTuningTables.DefaultSimpleBuffSize) + NcclTuningTables.DefaultLlBuffSize
                + (cluster.Platform.Ll128Supported || config.Protocol == NcclProtocol.LL128 ? NcclTuningTables.DefaultLl128BuffSize : 0);
            total += channels * peers * perPeer;
            if (cluster.Platform.NvlsSupported && call.RanksPerNode > 1 && config.Algorithm is null or NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree && nvlsOp)
            {
                int nvlsChannels = Math.Max(config.MinChannels ?? 1, Math.Min(config.MaxChannels ?? NvlsDefaultChannels, NvlsDefaultChannels));
                total += nvlsChannels * 2.0 * NvlsChunkBytes * NcclSteps * call.RanksPerNode;
            }
        }

        return total;
    }

    private const int NvlsDefaultChannels = 16;     // NCCL_NVLS_NCHANNELS default (Hopper)
    private const double NvlsChunkBytes = 128 * 1024; // NCCL_NVLS_CHUNKSIZE default
    private const int NcclSteps = 8;                // NCCL_STEPS
}
