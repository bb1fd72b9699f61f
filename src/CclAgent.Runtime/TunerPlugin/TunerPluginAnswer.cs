using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// What NCCL runs one collective with after asking the plugin: algorithm, protocol and the plugin's channel cap
/// (<see cref="TunerChoice.NcclChannels"/>, 0: NCCL's own count). When <see cref="Status"/> is not
/// <see cref="TunerPluginStatus.Answered"/>, algorithm and protocol are NCCL's own choice from the cost table.
/// </summary>
public readonly record struct TunerPluginAnswer(NcclAlgorithm Algorithm, NcclProtocol Protocol, int Channels, TunerPluginStatus Status)
{
    /// <summary>The answer as a per-collective choice, the form the simulator and the tuner conf use.</summary>
    public TunerChoice ToChoice() => new(Algorithm, Protocol, Channels);
}
