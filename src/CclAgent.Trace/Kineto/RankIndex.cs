namespace CclAgent.Trace.Kineto;

/// <summary>One rank's trace indexed for the critical-path walk: streams in order, launches by correlation, CPU threads.</summary>
internal sealed class RankIndex
{
    private readonly Dictionary<GpuEvent, (List<GpuEvent> Stream, int Index)> _position = new(ReferenceEqualityComparer.Instance);
    private readonly List<GpuEvent> _byEnd;
    private readonly Dictionary<long, long> _syncStream = [];
    private readonly Dictionary<long, List<SyncRecord>> _waits = [];
    private readonly Dictionary<long, List<GpuEvent>> _streams = [];

    public RankIndex(RankTrace trace)
    {
        Trace = trace;
        foreach (var stream in trace.Gpu.GroupBy(g => g.Stream))
        {
            var ordered = stream.OrderBy(g => g.Ts).ThenBy(g => g.End).ToList();
            _streams[stream.Key] = ordered;
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

        foreach (SyncRecord sync in trace.Syncs)
        {
            _syncStream.TryAdd(sync.Correlation, sync.Stream);
            if (sync.IsStreamWait)
            {
                _waits.TryAdd(sync.Stream, []);
                _waits[sync.Stream].Add(sync);
            }
        }

        foreach (var list in _waits.Values)
        {
            list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
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
    /// What <paramref name="g"/> waited for across streams: for each <c>Stream Wait Event</c> on its stream between the
    /// previous activity's start and its own, the last activity on the awaited stream launched before the awaited
    /// <c>cudaEventRecord</c>; the one of those that ended last.
    /// </summary>
    public GpuEvent? AwaitedAcrossStreams(GpuEvent g, GpuEvent? previous)
    {
        if (!_waits.TryGetValue(g.Stream, out var waits))
        {
            return null;
        }

        GpuEvent? best = null;
        double after = previous?.Ts ?? double.MinValue;
        foreach (SyncRecord w in waits.Where(w => w.Ts > after && w.Ts <= g.Ts))
        {
            if (Launches.TryGetValue(w.WaitOnRecord, out CpuEvent? record) && _streams.TryGetValue(w.WaitOnStream, out var other)
                && LastLaunchedBefore(other, record.Ts) is GpuEvent awaited
                && (best is null || awaited.End > best.End))
            {
                best = awaited;
            }
        }

        return best;
    }

    /// <summary>The last activity of a stream whose launch came before <paramref name="t"/> (launches follow stream order).</summary>
    private GpuEvent? LastLaunchedBefore(List<GpuEvent> stream, double t)
    {
        int lo = 0, hi = stream.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            double launched = Launches.TryGetValue(stream[mid].Correlation, out CpuEvent? l) ? l.Ts : stream[mid].Ts;
            if (launched < t)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 ? stream[found] : null;
    }

    /// <summary>
    /// The GPU activity that ended last inside the blocking call <paramref name="call"/>, no later than <paramref name="t"/>:
    /// on the synced stream when a <c>cuda_sync</c> record names it, else on any stream.
    /// </summary>
    public GpuEvent? LastGpuEndWithin(CpuEvent call, double t, double notBefore)
    {
        long? stream = _syncStream.TryGetValue(call.Correlation, out long s) && s >= 0 && !call.Name.Contains("Device", StringComparison.Ordinal) ? s : null;
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
