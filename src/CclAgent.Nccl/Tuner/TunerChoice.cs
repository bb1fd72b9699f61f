using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// What a tuner plugin sets for one collective: algorithm, protocol and channel count. The channel count is
/// always explicit: NVIDIA's example plugin pre-sets nChannels to 1 and NCCL treats any non-zero value as the
/// channel cap, so a row with -1 (or a collective no row matches) runs on one channel (docs/simulator.md).
/// </summary>
public sealed record TunerChoice(NcclAlgorithm Algorithm, NcclProtocol Protocol, int Channels)
{
    /// <summary>Channels 0: keep NCCL's count (a conf row's −1). ccl-agent never proposes it; it is read from files.</summary>
    public const int NcclChannels = 0;

    /// <summary>
    /// Extensions beyond NCCL's tuner API, for tuners that patch NCCL (AutoCCL sets threads and chunk size per
    /// communication task). Null: NCCL's own. The example plugin's conf has no columns for them, so rows never carry them.
    /// </summary>
    public int? Threads { get; init; }
    public long? ChunkBytes { get; init; }

    /// <summary>"ring/simple/8": the value of a per-collective choice in a configuration's assignments.</summary>
    public string Value => string.Create(CultureInfo.InvariantCulture,
        $"{TunerConfNames.AlgorithmName(Algorithm)}/{TunerConfNames.ProtocolName(Protocol)}/{(Channels == NcclChannels ? "-" : Channels.ToString(CultureInfo.InvariantCulture))}{(Threads is int t ? $"/t{t}" : "")}{(ChunkBytes is long c ? $"/c{c}" : "")}");

    public static bool TryParse(string value, [NotNullWhen(true)] out TunerChoice? choice)
    {
        choice = null;
        string[] parts = value.Split('/');
        if (parts.Length != 3 || !TunerConfNames.TryParseAlgorithm(parts[0], out NcclAlgorithm algorithm)
            || !TunerConfNames.TryParseProtocol(parts[1], out NcclProtocol protocol)
            || !TryParseChannels(parts[2], out int channels))
        {
            return false;
        }

        choice = new TunerChoice(algorithm, protocol, channels);
        return true;
    }

    public override string ToString() => Value;

    private static bool TryParseChannels(string text, out int channels)
    {
        channels = NcclChannels;
        return text == "-" || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out channels) && channels is >= 1 and <= 64);
    }
}
