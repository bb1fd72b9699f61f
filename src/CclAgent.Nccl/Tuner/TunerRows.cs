using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
namespace CclAgent.Nccl.Tuner;

/// <summary>
/// Turns a configuration's per-collective choices into conf rows. Each row covers a byte range around its
/// collective's size, split at the geometric midpoint between neighbouring sizes of the same op and communicator, so
/// the ranges tile [0, ∞) without overlap: a message a little larger or smaller than the one tuned (a last DDP bucket,
/// a shorter sequence) gets the choice of the nearest tuned size, and no row ever captures another tuned collective.
/// </summary>
public static class TunerRows
{
    public static IReadOnlyList<TunerConfRow> For(NcclConfig config, IEnumerable<TunerKey> workload)
    {
        var rows = new List<TunerConfRow>();
        foreach (var group in workload.Concat(config.Choices.Keys).Distinct().GroupBy(k => (k.Op, k.Nodes, k.Ranks)).OrderBy(g => g.Key))
        {
            TunerKey[] sizes = [.. group.OrderBy(k => k.Bytes)];
            for (int i = 0; i < sizes.Length; i++)
            {
                if (!config.Choices.TryGetValue(sizes[i], out TunerChoice? choice))
                {
                    continue;
                }

                long min = i == 0 ? 0 : Split(sizes[i - 1].Bytes, sizes[i].Bytes) + 1;
                long max = i == sizes.Length - 1 ? long.MaxValue : Split(sizes[i].Bytes, sizes[i + 1].Bytes);
                int channels = choice.Channels == TunerChoice.NcclChannels ? -1 : choice.Channels;
                rows.Add(new TunerConfRow(sizes[i].Op, min, max, choice.Algorithm, choice.Protocol, channels, sizes[i].Nodes, sizes[i].Ranks));
            }
        }

        return rows;
    }

    /// <summary>The keys of a workload's collectives, in first-occurrence order, each once.</summary>
    public static IReadOnlyList<TunerKey> KeysOf(WorkloadSpec workload) =>
        workload.Iteration!.Collectives!.Select(spec => TunerKey.From(CollectiveCall.From(spec))).Distinct().ToList();

    /// <summary>The largest size that still belongs to <paramref name="lower"/>: ⌊√(lower·upper)⌋, at least lower.</summary>
    private static long Split(long lower, long upper) => Math.Max(lower, Math.Min(upper - 1, (long)Math.Floor(Math.Sqrt((double)lower * upper))));
}
