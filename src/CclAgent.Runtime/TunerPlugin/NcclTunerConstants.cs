using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Simulation.CostModel;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// ncclTunerConstants_v5_t, the model constants NCCL shares with a v5 plugin at init, as a flat array of doubles in the
/// struct's order: baseLatencies[7][3], hwLatencies[NVLINK, PCI, NET][7][3], then llMaxBws, perChMaxRingLL128Bws,
/// perChMaxTreeLL128Bws, perChMaxTreeBws and perChMaxNVLSTreeBws, each [Volta, Ampere, Hopper, Blackwell][1, 2, ≥4 nodes].
/// </summary>
public static class NcclTunerConstants
{
    private const int Algorithms = TunerCostTable.Algorithms;
    private const int Protocols = TunerCostTable.Protocols;
    private const int Links = 3;
    private const int Generations = 4;
    private const int Scales = 3;
    private static readonly int[] ScaleNodes = [1, 2, 4];

    /// <summary>21 + 63 + 5 × 12 doubles.</summary>
    public const int Count = (Algorithms * Protocols) + (Links * Algorithms * Protocols) + (5 * Generations * Scales);

    /// <summary>
    /// The values the simulator's cost model uses (NcclTuningTables); perChMaxNVLSTreeBws stays zero because the model
    /// derives NVLS-tree bandwidth from the NICs instead of a table.
    /// </summary>
    public static double[] FromCostModel()
    {
        var constants = new double[Count];
        int at = 0;
        for (int a = 0; a < Algorithms; a++)
        {
            for (int p = 0; p < Protocols; p++)
            {
                constants[at++] = NcclTuningTables.BaseLatency((NcclAlgorithm)a, (NcclProtocol)p);
            }
        }

        for (int link = 0; link < Links; link++)
        {
            for (int a = 0; a < Algorithms; a++)
            {
                for (int p = 0; p < Protocols; p++)
                {
                    constants[at++] = NcclTuningTables.HopLatency((LinkKind)link, (NcclAlgorithm)a, (NcclProtocol)p);
                }
            }
        }

        Func<GpuGeneration, int, double>[] bandwidths =
        [
            NcclTuningTables.LlMaxBw,
            (generation, _) => NcclTuningTables.PerChannelMaxRingLl128(generation),
            NcclTuningTables.PerChannelMaxTreeLl128,
            NcclTuningTables.PerChannelMaxTree,
        ];
        foreach (Func<GpuGeneration, int, double> table in bandwidths)
        {
            for (int g = 0; g < Generations; g++)
            {
                foreach (int nodes in ScaleNodes)
                {
                    constants[at++] = table((GpuGeneration)g, nodes);
                }
            }
        }

        return constants;
    }
}
