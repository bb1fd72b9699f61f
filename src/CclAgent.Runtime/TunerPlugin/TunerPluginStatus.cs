namespace CclAgent.Runtime.TunerPlugin;

/// <summary>How a getCollInfo call ended, and so where the answer's algorithm, protocol and channels came from.</summary>
public enum TunerPluginStatus
{
    /// <summary>The plugin returned ncclSuccess; the answer is what NCCL derives from its outputs (possibly NCCL's own choice).</summary>
    Answered,

    /// <summary>A v2 plugin returned ncclSuccess but left the algorithm or protocol undefined (-1): NCCL's own choice.</summary>
    Unset,

    /// <summary>The plugin returned an error: NCCL's own choice for this call.</summary>
    Failed,

    /// <summary>After the call no cell of the cost table is usable: NCCL fails the collective ("no algorithm/protocol available").</summary>
    NoAlgorithm,
}
