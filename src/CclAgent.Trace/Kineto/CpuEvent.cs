namespace CclAgent.Trace.Kineto;

/// <summary>
/// One CPU span of one rank: a PyTorch operator (<c>cpu_op</c>) or a CUDA runtime/driver call (<c>cuda_runtime</c>,
/// <c>cuda_driver</c>) on thread (<see cref="Pid"/>, <see cref="Tid"/>); times in microseconds. A runtime call's
/// <see cref="Correlation"/> is the one its kernels, copies and sync records carry (-1 when absent).
/// </summary>
internal sealed record CpuEvent(string Name, bool Runtime, double Ts, double Dur, long Pid, long Tid, long Correlation)
{
    public double End => Ts + Dur;
}
