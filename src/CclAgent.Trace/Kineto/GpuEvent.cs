namespace CclAgent.Trace.Kineto;

/// <summary>The class of GPU activity a Kineto event is.</summary>
internal enum GpuKind
{
    Compute,
    Communication,
    Memcpy,
}

/// <summary>
/// One GPU activity (kernel, memcpy, memset) of one rank, times in microseconds; NCCL args where present;
/// <see cref="Correlation"/> links it to the runtime call that launched it (-1 when absent).
/// </summary>
internal sealed record GpuEvent(GpuKind Kind, string Name, double Ts, double Dur, long Stream, NcclArgs? Nccl, long Correlation = -1)
{
    public double End => Ts + Dur;
}

/// <summary>The NCCL metadata PyTorch's profiler attaches to collective kernels.</summary>
internal sealed record NcclArgs(string? Collective, long InElems, long OutElems, int GroupSize, string? Dtype, string? Ranks);
