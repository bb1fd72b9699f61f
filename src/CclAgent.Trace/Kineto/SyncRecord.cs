namespace CclAgent.Trace.Kineto;

/// <summary>
/// A GPU-side sync record (<c>cuda_sync</c>) of the runtime call with <see cref="Correlation"/>: on
/// <see cref="Stream"/> at <see cref="Ts"/>; a <c>Stream Wait Event</c> also names the stream it waits on and the
/// correlation of the <c>cudaEventRecord</c> it waits for (-1 when absent).
/// </summary>
internal sealed record SyncRecord(long Correlation, long Stream, double Ts, long WaitOnStream, long WaitOnRecord)
{
    public bool IsStreamWait => WaitOnStream >= 0 && WaitOnRecord >= 0 && Stream >= 0;
}
