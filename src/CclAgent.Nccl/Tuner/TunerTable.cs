using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// The rows of a tuner conf in file order, resolved the way NCCL's example plugin resolves them: the first row that
/// matches a collective and whose algorithm/protocol NCCL has not marked unavailable (cost −1: not implemented for
/// the op or platform, disabled by NCCL_ALGO/NCCL_PROTO, LL128 not enabled here) wins; later rows are not consulted.
/// </summary>
public sealed class TunerTable(IReadOnlyList<TunerConfRow> rows)
{
    public static TunerTable Empty { get; } = new([]);

    public IReadOnlyList<TunerConfRow> Rows => rows;

    /// <summary>The row that applies to <paramref name="key"/>, or null when NCCL's own choice stands.</summary>
    public TunerConfRow? Resolve(TunerKey key, Func<NcclAlgorithm, NcclProtocol, bool> available) =>
        rows.FirstOrDefault(row => row.Matches(key) && available(row.Algorithm, row.Protocol));

    /// <summary>
    /// The per-collective choices this table gives the workload's collectives (what the plugin would apply), for
    /// rows that set an explicit channel count; a row with channels −1 keeps NCCL's count and is reported by the validator.
    /// </summary>
    public NcclConfig ApplyTo(NcclConfig environment, IEnumerable<TunerKey> workload, Func<TunerKey, NcclAlgorithm, NcclProtocol, bool> available)
    {
        NcclConfig config = environment.WithoutChoices();
        foreach (TunerKey key in workload.Distinct())
        {
            if (Resolve(key, (a, p) => available(key, a, p)) is { } row)
            {
                config = config.WithChoice(key, new TunerChoice(row.Algorithm, row.Protocol, row.Channels is -1 ? TunerChoice.NcclChannels : row.Channels));
            }
        }

        return config;
    }
}
