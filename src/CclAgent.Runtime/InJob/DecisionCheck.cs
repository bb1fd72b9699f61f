using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Runtime.InJob;

/// <summary>
/// Whether what the plugin logged under a table is what that table says: each collective's calls took the first row
/// that matches it, after skipping only rows the plugin reported unavailable; no row where none matches. Every process
/// that loaded the table must have logged its calls under it.
/// </summary>
public static class DecisionCheck
{
    /// <summary>Null when the log agrees with the table; otherwise the first disagreement, in words.</summary>
    public static string? Problem(TunerConfFile table, string tableId, IReadOnlyList<DecisionRecord> log)
    {
        var loaded = log.Where(r => r.Event == "load" && r.TableId == tableId).Select(r => r.Pid).ToHashSet();
        if (loaded.Count == 0)
        {
            return $"no process logged loading table {tableId}";
        }

        var decisions = log.Where(r => r.Event == "decisions" && r.TableId == tableId).ToList();
        if (loaded.FirstOrDefault(pid => decisions.All(d => d.Pid != pid)) is long silent and not 0)
        {
            return $"process {silent} loaded table {tableId} but logged no calls under it";
        }

        foreach (DecisionRecord decision in decisions)
        {
            if (Disagreement(table.Rows, decision) is { } problem)
            {
                return $"process {decision.Pid}, {decision.Collective} of {decision.Bytes} bytes: {problem}";
            }
        }

        return null;
    }

    private static string? Disagreement(IReadOnlyList<TunerConfRow> rows, DecisionRecord decision)
    {
        if (!TunerConfNames.TryParseOp(decision.Collective ?? string.Empty, out CollectiveOp op))
        {
            return null; // a collective the table cannot name (send/recv): NCCL's own choice, nothing to check
        }

        var key = new TunerKey(op, decision.Bytes, decision.Nodes, decision.Ranks);
        List<TunerConfRow> matching = [.. rows.Where(r => r.Matches(key))];
        switch (decision.Result)
        {
            case "no_row":
                return matching.Count == 0 ? null : $"logged no matching row, but line {matching[0].Line} matches";
            case "skipped_unavailable":
                return matching.Count > 0 && decision.SkippedRows == matching.Count ? null : $"logged {decision.SkippedRows} rows skipped as unavailable of {matching.Count} matching";
            case "matched":
                int index = matching.FindIndex(r => r.Line == decision.Line);
                if (index < 0)
                {
                    return $"logged line {decision.Line}, which does not match it";
                }

                TunerConfRow row = matching[index];
                if (decision.SkippedRows != index)
                {
                    return $"applied line {row.Line} after skipping {decision.SkippedRows} rows, but {index} matching rows come before it";
                }

                bool same = decision.Algorithm == TunerConfNames.AlgorithmName(row.Algorithm) && decision.Protocol == TunerConfNames.ProtocolName(row.Protocol) && decision.Channels == row.Channels;
                return same ? null : $"applied {decision.Algorithm}/{decision.Protocol}/{decision.Channels}, but line {row.Line} says {TunerConfNames.AlgorithmName(row.Algorithm)}/{TunerConfNames.ProtocolName(row.Protocol)}/{row.Channels}";
            default:
                return $"unknown result '{decision.Result}'";
        }
    }
}
