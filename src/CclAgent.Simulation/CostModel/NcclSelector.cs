using CclAgent.Nccl.Tuner;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Simulation.Hardware;

namespace CclAgent.Simulation.CostModel;

/// <summary>
/// Reproduces how NCCL picks algorithm, protocol, channels and threads for a collective: its analytic
/// cost model (ncclTopoTuneModel / ncclTopoGetAlgoTime) restricted by NCCL_ALGO / NCCL_PROTO, then the
/// thread-threshold channel and thread reduction of topoGetAlgoInfo. This is the "NCCL default" baseline.
/// </summary>
public sealed class NcclSelector(ClusterModel cluster)
{
    private static readonly NcclAlgorithm[] Algorithms = [NcclAlgorithm.Tree, NcclAlgorithm.Ring, NcclAlgorithm.Nvls, NcclAlgorithm.NvlsTree];
    private static readonly NcclProtocol[] Protocols = [NcclProtocol.LL, NcclProtocol.LL128, NcclProtocol.Simple];

    /// <summary>NCCL's choice, or null when the forced algorithm/protocol leave nothing available ("no algorithm/protocol available").</summary>
    public NcclDecision? Choose(CollectiveCall call, NcclConfig config)
    {
        int commChannels = CommChannels(call, config);
        if (config.ChoiceFor(TunerKey.From(call)) is { } choice && PluginCellAvailable(call, choice.Algorithm, choice.Protocol, config))
        {
            return Plugin(call, config, choice, commChannels);
        }

        NcclDecision? best = null;
        foreach (NcclAlgorithm algorithm in Algorithms)
        {
            if ((config.Algorithm is { } forcedAlgorithm && forcedAlgorithm != algorithm) || !Availability.Supports(algorithm, call.Op, cluster.Platform))
            {
                continue;
            }

            foreach (NcclProtocol protocol in Protocols)
            {
                if (!ProtocolAllowed(algorithm, protocol, config))
                {
                    continue;
                }

                double time = ModelTimeUs(call, algorithm, protocol, commChannels);
                if (best is null || time < best.ModelTimeUs)
                {
                    best = new NcclDecision(algorithm, protocol, commChannels, 0, 0, time);
                }
            }
        }

        return best is null ? null : Finish(call, config, best);
    }

    /// <summary>NCCL_NUM_ALGORITHMS × NCCL_NUM_PROTOCOLS: the shape of the cost table NCCL hands a tuner plugin.</summary>
    private const int CostTableAlgorithms = 7;
    private const int CostTableProtocols = 3;

    /// <summary>NCCL_ALGO_PROTO_IGNORE: the cost of a cell NCCL will not run; a plugin must not pick it.</summary>
    private const float IgnoredCost = -1.0f;

    /// <summary>
    /// The cost table NCCL passes to a tuner plugin's getCollInfo (enqueue.cc, collCostTable): float[algorithm][protocol]
    /// flattened row-major, indexed by the <see cref="NcclAlgorithm"/> and <see cref="NcclProtocol"/> values, holding the
    /// model time in µs of every cell the plugin may pick and <see cref="IgnoredCost"/> elsewhere. NCCL's own choice is the
    /// first minimum of the non-negative cells. Per-collective choices in <paramref name="config"/> are ignored: the table
    /// is what NCCL computes before any plugin speaks.
    /// </summary>
    public float[] CostTable(CollectiveCall call, NcclConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        NcclConfig environment = config.WithoutChoices();
        int channels = CommChannels(call, environment);
        var table = new float[CostTableAlgorithms * CostTableProtocols];
        for (int a = 0; a < CostTableAlgorithms; a++)
        {
            for (int p = 0; p < CostTableProtocols; p++)
            {
                var (algorithm, protocol) = ((NcclAlgorithm)a, (NcclProtocol)p);
                table[(a * CostTableProtocols) + p] = PluginCellAvailable(call, algorithm, protocol, environment)
                    ? (float)ModelTimeUs(call, algorithm, protocol, channels)
                    : IgnoredCost;
            }
        }

        return table;
    }

    /// <summary>
    /// Whether NCCL's cost table has a real cost for this algorithm × protocol (not NCCL_ALGO_PROTO_IGNORE): implemented
    /// for the op and platform, allowed by NCCL_ALGO / NCCL_PROTO, LL128 enabled here. A tuner row for an ignored cell is
    /// skipped by the plugin, and NCCL's own choice stands.
    /// </summary>
    public bool PluginCellAvailable(CollectiveCall call, NcclAlgorithm algorithm, NcclProtocol protocol, NcclConfig config) =>
        (config.Algorithm is null || config.Algorithm == algorithm)
        && Availability.Supports(algorithm, call.Op, cluster.Platform)
        && ProtocolAllowed(algorithm, protocol, config)
        && double.IsFinite(ModelTimeUs(call, algorithm, protocol, CommChannels(call, config)));

    /// <summary>
    /// The plugin zeroes its cell's cost, so topoGetAlgoInfo picks it and derives threads as usual; then NCCL replaces
    /// the channel count by the plugin's non-zero nChannels (enqueue.cc: info->nMaxChannels = nMaxChannels), within the
    /// channels the communicator has set up.
    /// </summary>
    private NcclDecision Plugin(CollectiveCall call, NcclConfig config, TunerChoice choice, int commChannels)
    {
        var picked = new NcclDecision(choice.Algorithm, choice.Protocol, commChannels, 0, 0, 0);
        NcclDecision finished = Finish(call, config, picked);
        finished = finished with { Threads = choice.Threads ?? finished.Threads, ChunkBytes = choice.ChunkBytes ?? finished.ChunkBytes };
        if (choice.Channels == TunerChoice.NcclChannels)
        {
            return finished;
        }

        return finished with { Channels = Math.Min(choice.Channels, PluginChannelLimit(choice.Algorithm, commChannels)) };
    }

    /// <summary>The most channels a plugin's nChannels can give this algorithm: NVLS's own count, else the communicator's.</summary>
    public int PluginChannelLimit(NcclAlgorithm algorithm, int commChannels) =>
        algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree ? NvlsChannels : commChannels;

    /// <summary>NVLS channels NCCL uses on Hopper (16) and Blackwell (24) by default.</summary>
    private int NvlsChannels => cluster.Platform.Generation >= GpuGeneration.Blackwell ? 24 : 16;

    /// <summary>comm->nChannels after NCCL_MIN/MAX_NCHANNELS (clamped to [1, 64]).</summary>
    public int CommChannels(CollectiveCall call, NcclConfig config)
    {
        int channels = cluster.DefaultChannels(call.Nodes, call.RanksPerNode);
        if (config.MaxChannels is int max)
        {
            channels = Math.Min(channels, Math.Clamp(max, 1, NcclTuningTables.MaxChannels));
        }

        if (config.MinChannels is int min)
        {
            channels = Math.Max(channels, Math.Clamp(min, 1, NcclTuningTables.MaxChannels));
        }

        return channels;
    }

    /// <summary>ncclTopoGetAlgoTime: latency × pipeline ops + bytes / algorithm bandwidth, in µs.</summary>
    public double ModelTimeUs(CollectiveCall call, NcclAlgorithm algorithm, NcclProtocol protocol, int channels)
    {
        double algBw = ModelAlgorithmBandwidth(call, algorithm, protocol, channels);
        if (algBw <= 0)
        {
            return double.PositiveInfinity;
        }

        if (algorithm == NcclAlgorithm.Tree && call.Op == CollectiveOp.AllReduce)
        {
            algBw *= NcclTuningTables.TreeCorrection(protocol, call.Bytes);
        }

        return ModelLatencyUs(call, algorithm, protocol, channels) + (call.Bytes / (1000.0 * algBw));
    }

    public double ModelLatencyUs(CollectiveCall call, NcclAlgorithm algorithm, NcclProtocol protocol, int channels)
    {
        Platform platform = Platform.Of(cluster, call);
        double baseLat = NcclTuningTables.BaseLatency(algorithm, protocol);
        double intraLat = NcclTuningTables.HopLatency(platform.IntraLink, algorithm, protocol);
        double interLat = NcclTuningTables.HopLatency(LinkKind.Net, call.RanksPerNode == 1 && algorithm == NcclAlgorithm.Ring ? NcclAlgorithm.Tree : algorithm, protocol);
        if (protocol == NcclProtocol.Simple && algorithm == NcclAlgorithm.Ring)
        {
            interLat *= 2; // NCCL doubles the net latency for Simple ("flush")
        }

        if (call.Nodes > 1)
        {
            double netOverhead = (cluster.Platform.CpuIsAmd ? 2.0 : 1.0) * (protocol == NcclProtocol.Simple ? 3 : 1);
            intraLat = Math.Max(intraLat, netOverhead);
        }

        int nRanks = call.Ranks;
        int nNodes = call.Nodes;
        double log2Nodes = Math.Log2(Math.Max(1, nNodes));
        switch (algorithm)
        {
            case NcclAlgorithm.Ring:
                int nsteps = call.RingSteps;
                int interSteps = nNodes <= 1 ? 0 : call.Op == CollectiveOp.AllReduce ? 2 * (nNodes - 1) : nNodes - 1;
                double ring = baseLat + ((nsteps - interSteps) * intraLat) + (interSteps * interLat);

                // Multi-node Ring/Simple all-reduce: NCCL's "plateau" latency penalty (×1.4 from SM80).
                bool plateau = nNodes > 1 && call.Op == CollectiveOp.AllReduce && protocol == NcclProtocol.Simple
                    && call.Bytes / Math.Max(1, (long)channels * nRanks) >= 64;
                return plateau ? ring * (cluster.Platform.Generation >= GpuGeneration.Ampere ? 1.4 : 1.9) : ring;
            case NcclAlgorithm.Tree:
                return baseLat + (2 * (((nRanks / (double)nNodes) - 1) * intraLat + (log2Nodes * interLat)));
            case NcclAlgorithm.Nvls:
                return intraLat + (nNodes > 1 ? interLat : 0);
            case NcclAlgorithm.NvlsTree:
                return baseLat + intraLat + (2 * log2Nodes * interLat);
            default:
                return baseLat + (log2Nodes * interLat / 3.5) + (2.8 * nRanks);
        }
    }

    /// <summary>ncclTopoTuneModel's bandwidth: linear in channels, capped per protocol, converted bus → algorithm bandwidth.</summary>
    public double ModelAlgorithmBandwidth(CollectiveCall call, NcclAlgorithm algorithm, NcclProtocol protocol, int channels)
    {
        GpuGeneration generation = cluster.Platform.Generation;
        int nNodes = call.Nodes;
        double perChannel = cluster.NcclPerChannelBandwidth(call.Nodes, call.RanksPerNode, channels);
        double busBw = channels * perChannel;

        if (algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree)
        {
            busBw = cluster.IntraBandwidth * NcclTuningTables.NvlsEfficiency(generation);
            if (algorithm == NcclAlgorithm.NvlsTree)
            {
                busBw = Math.Min(busBw, cluster.Platform.NicsPerNode * cluster.NicBandwidth * 2);
            }
        }
        else if (algorithm == NcclAlgorithm.Ring && protocol == NcclProtocol.LL)
        {
            busBw = Math.Min(NcclTuningTables.LlMaxBw(generation, nNodes), 0.5 * busBw);
        }
        else if (algorithm == NcclAlgorithm.Ring && protocol == NcclProtocol.LL128)
        {
            busBw = Math.Min(0.92 * busBw, channels * NcclTuningTables.PerChannelMaxRingLl128(generation));
        }
        else if (algorithm == NcclAlgorithm.Tree)
        {
            busBw = protocol switch
            {
                NcclProtocol.LL => Math.Min(busBw / 3.8, NcclTuningTables.LlMaxBw(generation, nNodes)),
                NcclProtocol.LL128 => Math.Min(busBw * (nNodes == 1 ? 7.0 / 9.0 : 120.0 / 128.0), channels * NcclTuningTables.PerChannelMaxTreeLl128(generation, nNodes)),
                _ => Math.Min(0.92 * busBw, channels * NcclTuningTables.PerChannelMaxTree(generation, nNodes)),
            };
            busBw *= 0.85; // NCCL_TOPO_PATTERN_TREE
        }

        double ratio = algorithm is NcclAlgorithm.Ring or NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree
            ? call.Ranks / (double)Math.Max(1, call.RingSteps)
            : 0.5;
        return busBw * ratio;
    }

    private bool ProtocolAllowed(NcclAlgorithm algorithm, NcclProtocol protocol, NcclConfig config)
    {
        if (config.Protocol is { } forced)
        {
            return forced == protocol && Availability.Supports(algorithm, protocol);
        }

        // Unforced, NCCL only enables LL128 where the platform supports it.
        return Availability.Supports(algorithm, protocol) && (protocol != NcclProtocol.LL128 || cluster.Platform.Ll128Supported);
    }

    /// <summary>topoGetAlgoInfo: drop channels then halve threads while the message is too small to feed them.</summary>
    private NcclDecision Finish(CollectiveCall call, NcclConfig config, NcclDecision choice)
    {
        int nc = choice.Channels;
        int nt = MaxThreads(choice, config, call);
        int threshold = NcclTuningTables.ThreadThreshold(choice.Algorithm, choice.Protocol, call.Ranks);
        if (choice.Algorithm is NcclAlgorithm.Ring or NcclAlgorithm.Tree)
        {
            while (call.Bytes < (long)nc * nt * threshold && nc > 1)
            {
                nc--;
            }

            while (call.Bytes < (long)nc * nt * threshold && nt % 128 == 0 && nt > 128)
            {
                nt /= 2;
            }
        }

        if (choice.Algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree)
        {
            // NVLS has its own channel count (NCCL_NVLS_NCHANNELS); MIN/MAX_NCHANNELS do not bound it (NVIDIA/nccl#1598).
            return choice with { Channels = NvlsChannels, Threads = NcclTuningTables.MaxThreads, ChunkBytes = ChunkBytes(choice.Protocol, config) };
        }

        if (choice.Protocol == NcclProtocol.Simple)
        {
            nt += choice.Algorithm == NcclAlgorithm.Tree ? 4 * 32 : choice.Algorithm == NcclAlgorithm.Ring ? 32 : 0;
        }

        nt = Math.Max(nt, 3 * 32);
        if (choice.Algorithm == NcclAlgorithm.Tree)
        {
            nt = NcclTuningTables.MaxThreads;
        }

        if (config.MinChannels is int min && choice.Algorithm is NcclAlgorithm.Ring or NcclAlgorithm.Tree)
        {
            nc = Math.Max(nc, Math.Min(min, choice.Channels));
        }

        return choice with { Channels = nc, Threads = nt, ChunkBytes = ChunkBytes(choice.Protocol, config) };
    }

    private int MaxThreads(NcclDecision choice, NcclConfig config, CollectiveCall call)
    {
        if (choice.Protocol == NcclProtocol.LL128)
        {
            return NcclTuningTables.Ll128MaxThreads;
        }

        if (config.NThreads is int forced)
        {
            return Math.Clamp(forced / 32 * 32, 64, 512);
        }

        // NCCL uses 256 threads for Ring/Simple when the whole ring is no faster than PCIe Gen3.
        double ringBw = choice.Channels * cluster.NcclPerChannelBandwidth(call.Nodes, call.RanksPerNode, choice.Channels);
        return choice.Algorithm == NcclAlgorithm.Ring && choice.Protocol == NcclProtocol.Simple && ringBw <= 12 ? 256 : 512;
    }

    /// <summary>calcCollChunking: Simple chunk = BUFFSIZE/8 × 4 steps; LL half a step; LL128 15/16 of a step.</summary>
    public static long ChunkBytes(NcclProtocol protocol, NcclConfig config) => protocol switch
    {
        NcclProtocol.Simple => (config.BuffSize ?? NcclTuningTables.DefaultSimpleBuffSize) / NcclTuningTables.Steps * 4,
        NcclProtocol.LL => NcclTuningTables.DefaultLlBuffSize / NcclTuningTables.Steps / 2,
        _ => NcclTuningTables.DefaultLl128BuffSize / NcclTuningTables.Steps * 15 / 16,
    };

    /// <summary>The link classes a call's hops cross, for latency lookups.</summary>
    private readonly record struct Platform(LinkKind IntraLink)
    {
        public static Platform Of(ClusterModel cluster, CollectiveCall call) =>
            new(cluster.Platform.Fabric == IntraFabric.Pcie || call.RanksPerNode <= 1 ? LinkKind.Pci : LinkKind.NvLink);
    }
}
