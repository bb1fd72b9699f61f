namespace CclAgent.Trace.Kineto;

/// <summary>One rank's trace indexed for the critical-path walk: streams in order, launches by correlation, CPU threads.</summary>
internal sealed class RankIndex
{
    private readonly Dictionary<GpuEvent, (List<GpuEvent> Stream, int Index)> _position = new(ReferenceEqualityComparer.Instance);
    private readonly List<GpuEvent> _byEnd;

    public RankIndex(RankTrace trace)
    {
        Trace = trace;
        foreach (var stream in trace.Gpu.GroupBy(g => g.Stream))
        {
            var ordered = stream.OrderBy(g => g.Ts).ThenBy(g => g.End).ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                _position[ordered[i]] = (ordered, i);
            }
        }

        _byEnd = trace.Gpu.OrderBy(g => g.End).ToList();
        foreach (CpuEvent e in trace.Cpu.Where(e => e.Runtime && e.Correlation >= 0))
        {
            Launches.TryAdd(e.Correlation, e);
        }

        foreach (var thread in trace.Cpu.GroupBy(e => (e.Pid, e.Tid)))
        {
            Threads[thread.Key] = new CpuThread(thread);
        }
    }

    public RankTrace Trace { get; }

    /// <summary>Runtime calls by correlation id: what launched a kernel or copy.</summary>
    public Dictionary<long, CpuEvent> Launches { get; } = [];

    public Dictionary<(long Pid, long Tid), CpuThread> Threads { get; } = [];

    /// <summary>For an NCCL kernel: the same collective call's kernel on every rank that has it.</summary>
    public Dictionary<GpuEvent, List<(RankIndex Rank, GpuEvent Kernel)>> Call { get; } = new(ReferenceEqualityComparer.Instance);

    public GpuEvent? PreviousOnStream(GpuEvent g) =>
        _position.TryGetValue(g, out var p) && p.Index > 0 ? p.Stream[p.Index - 1] : null;

    /// <summary>
    /// The GPU activity that ended last inside the blocking call <paramref name="call"/>, no later than <paramref name="t"/>:
    /// on the synced stream when a <c>cuda_sync</c> record names it, else on any stream.
    /// </summary>
    public GpuEvent? LastGpuEndWithin(CpuEvent call, double t, double notBefore)
    {
        long? stream = Trace.SyncStreams.TryGetValue(call.Correlation, out long s) && !call.Name.Contains("Device", StringComparison.Ordinal) ? s : null;
        double from = Math.Max(call.Ts, notBefore);
        int lo = 0, hi = _byEnd.Count - 1, last = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_byEnd[mid].End <= t)
            {
                last = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        for (int i = last; i >= 0 && _byEnd[i].End >= from; i--)
        {
            if (stream is null || _byEnd[i].Stream == stream)
            {
                return _byEnd[i];
            }
        }

        return null;
    }
}
