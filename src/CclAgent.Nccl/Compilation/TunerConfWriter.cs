using System.Globalization;
using System.Text;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Compilation;

/// <summary>
/// Writes nccl_tuner.conf in the CSV format of NCCL's example tuner plugin (plugins/tuner/example):
/// collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff
/// with lowercase names and -1 as the wildcard. Load it with NCCL_TUNER_PLUGIN + NCCL_TUNER_CONFIG_FILE.
/// </summary>
public static class TunerConfWriter
{
    public const string Header = "collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff";

    /// <summary>The default size bins of NCCL's scripts/optimize_config.py.</summary>
    public static IReadOnlyList<(long Min, long Max)> SizeBins { get; } =
    [
        (0, 1024),
        (1025, 65536),
        (65537, 1048576),
        (1048577, 16777216),
        (16777217, 4294967296),
    ];

    public static string Render(IEnumerable<TunerConfRow> rows, string comment)
    {
        var text = new StringBuilder();
        foreach (string line in comment.Split('\n'))
        {
            text.Append("# ").Append(line.TrimEnd()).Append('\n');
        }

        text.Append(Header).Append('\n');
        foreach (TunerConfRow row in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{OpName(row.Op)},{row.MinBytes},{row.MaxBytes},{AlgorithmName(row.Algorithm)},{ProtocolName(row.Protocol)},{Number(row.Channels)},{Number(row.Nodes)},{Number(row.Ranks)},-1,-1\n");
        }

        return text.ToString();
    }

    public static (long Min, long Max) BinOf(long bytes) =>
        SizeBins.FirstOrDefault(b => bytes >= b.Min && bytes <= b.Max, SizeBins[^1]);

    public static string OpName(CollectiveOp op) => op switch
    {
        CollectiveOp.AllReduce => "allreduce",
        CollectiveOp.AllGather => "allgather",
        CollectiveOp.ReduceScatter => "reducescatter",
        CollectiveOp.Broadcast => "broadcast",
        _ => "reduce",
    };

    public static string AlgorithmName(NcclAlgorithm? algorithm) => algorithm switch
    {
        null => "-1",
        NcclAlgorithm.CollnetDirect => "collnet_direct",
        NcclAlgorithm.CollnetChain => "collnet_chain",
        NcclAlgorithm.NvlsTree => "nvls_tree",
        _ => algorithm.Value.ToString().ToLowerInvariant(),
    };

    public static string ProtocolName(NcclProtocol? protocol) => protocol?.ToString().ToLowerInvariant() ?? "-1";

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-1";
}
