using CclAgent.Nccl.Parameters;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// NCCL's cost table as a tuner plugin sees it: float[NCCL_NUM_ALGORITHMS = 7][NCCL_NUM_PROTOCOLS = 3] flattened
/// row-major, indexed by the <see cref="NcclAlgorithm"/> and <see cref="NcclProtocol"/> values, -1 for an ignored cell.
/// </summary>
public static class TunerCostTable
{
    public const int Algorithms = 7;
    public const int Protocols = 3;
    public const int Length = Algorithms * Protocols;

    /// <summary>NCCL_ALGO_PROTO_IGNORE.</summary>
    public const float Ignored = -1.0f;

    /// <summary>topoGetAlgoInfo's start value: a cell at or above an hour is never picked.</summary>
    private const float NoTime = 3_600_000_000.0f;

    /// <summary>
    /// The cell NCCL runs: the first minimum over the non-negative cells in algorithm-then-protocol order, as
    /// topoGetAlgoInfo scans the table after the plugin returns; false when no cell is usable.
    /// </summary>
    public static bool TryPick(ReadOnlySpan<float> table, out NcclAlgorithm algorithm, out NcclProtocol protocol)
    {
        if (table.Length != Length)
        {
            throw new ArgumentException($"a cost table has {Length} cells, not {table.Length}", nameof(table));
        }

        int best = -1;
        float minTime = NoTime;
        for (int cell = 0; cell < Length; cell++)
        {
            if (table[cell] >= 0 && table[cell] < minTime)
            {
                best = cell;
                minTime = table[cell];
            }
        }

        algorithm = (NcclAlgorithm)(Math.Max(best, 0) / Protocols);
        protocol = (NcclProtocol)(Math.Max(best, 0) % Protocols);
        return best >= 0;
    }

    /// <summary>Whether NCCL would let the plugin (or itself) run this cell.</summary>
    public static bool IsUsable(ReadOnlySpan<float> table, NcclAlgorithm algorithm, NcclProtocol protocol) =>
        table[((int)algorithm * Protocols) + (int)protocol] >= 0;
}
