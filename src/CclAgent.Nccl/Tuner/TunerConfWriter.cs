using System.Globalization;
using System.Text;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// Writes nccl_tuner.conf in the CSV format of NCCL's example tuner plugin (plugins/tuner/example):
/// collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff
/// with lowercase names and -1 as the wildcard. Load it with NCCL_TUNER_PLUGIN + NCCL_TUNER_CONFIG_FILE.
/// </summary>
public static class TunerConfWriter
{
    public const string Header = "collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff";

    public static string Render(IEnumerable<TunerConfRow> rows, string comment)
    {
        var text = new StringBuilder();
        foreach (string line in comment.Split('\n'))
        {
            text.Append("# ").Append(line.TrimEnd()).Append('\n');
        }

        // Commented: NCCL's example plugin would read an uncommented header as an allreduce row for 0-byte messages.
        text.Append("# ").Append(Header).Append('\n');
        foreach (TunerConfRow row in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{TunerConfNames.OpName(row.Op)},{row.MinBytes},{row.MaxBytes},{TunerConfNames.AlgorithmName(row.Algorithm)},{TunerConfNames.ProtocolName(row.Protocol)},{row.Channels},{row.Nodes},{row.Ranks},{row.NumPipeOps},{row.RegBuff}\n");
        }

        return text.ToString();
    }
}
