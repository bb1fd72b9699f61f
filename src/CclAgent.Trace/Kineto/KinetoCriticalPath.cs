using System.Globalization;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Kineto;

/// <summary>
/// The critical path of a Kineto job, found by walking back from the last activity to end, always to what it waited
/// for last (the binding dependency):
/// <list type="bullet">
/// <item>a GPU activity waited for the previous activity on its stream or for the runtime call that launched it
/// (<c>correlation</c>, the <c>ac2g</c> flow; kernels of a <c>cudaGraphLaunch</c> share its correlation) or, after a
/// <c>cudaStreamWaitEvent</c>, for the other stream's work recorded by the awaited event, whichever came last; the gap
/// is idle GPU time or launch delay;</item>
/// <item>an NCCL kernel cannot finish before the last rank arrives: when another rank's matching kernel (k-th of the same
/// op and process group) started later, the path crosses to that rank there;</item>
/// <item>a CPU span waited for the span before it on its thread; a blocking runtime call (<c>cuda*Synchronize</c>, a
/// synchronous <c>cudaMemcpy</c>) waited for the GPU activity that ended last inside it (on the synced stream where the
/// trace's <c>cuda_sync</c> record names it).</item>
/// </list>
/// The walk covers the job's time without gaps, so the path's length is its span, and each element's share is the
/// part of it that element accounts for. Clocks of different ranks are taken as aligned.
/// </summary>
internal static class KinetoCriticalPath
{
    private const int NameLength = 60;

    public static CriticalPathSection Find(IReadOnlyList<RankTrace> ranks)
    {
        var jobs = ranks.Select(t => new RankIndex(t)).ToList();
        Calls.Link(jobs);
        var walk = new Walk(jobs);
        walk.Run();
        return walk.Result();
    }

    internal static string Id(int rank, string name, double ts) => string.Create(CultureInfo.InvariantCulture,
        $"rank{rank}:{(name.Length > NameLength ? name[..NameLength] + "…" : name)}@{ts.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>One piece of the path: an interval attributed to an element and a kind.</summary>
    private readonly record struct Segment(double Start, double End, string Id, string Kind);

    /// <summary>The backward walk; states are "at the end of a GPU activity" or "at time t on a CPU thread".</summary>
    private sealed class Walk(List<RankIndex> jobs)
    {
        private readonly List<Segment> _path = [];
        private readonly HashSet<GpuEvent> _visited = new(ReferenceEqualityComparer.Instance);

        public void Run()
        {
            var (rank, gpu, thread, t) = Last();
            long steps = 4L * jobs.Sum(j => j.Trace.Gpu.Count + j.Trace.Cpu.Count) + 16;
            while (steps-- > 0 && rank is RankIndex at)
            {
                (rank, gpu, thread, t) = gpu is not null ? FromGpu(at, gpu) : FromCpu(at, thread, t);
            }
        }

        public CriticalPathSection Result()
        {
            if (_path.Count == 0)
            {
                return new CriticalPathSection();
            }

            _path.Reverse();
            double length = _path[^1].End - _path[0].Start;
            var ids = new List<string>();
            var byId = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (Segment s in _path.Where(s => s.Kind != "idle"))
            {
                if (ids.Count == 0 || ids[^1] != s.Id)
                {
                    ids.Add(s.Id);
                }

                byId[s.Id] = byId.GetValueOrDefault(s.Id) + (s.End - s.Start);
            }

            return new CriticalPathSection
            {
                Ids = ids,
                DurationMs = Math.Round(length / 1000, 3),
                Shares = byId.Select(kv => Share(kv.Key, kv.Value, length)).ToList(),
                Kinds = _path.GroupBy(s => s.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Share(g.Key, g.Sum(s => s.End - s.Start), length)).ToList(),
            };
        }

        private static PathShare Share(string id, double us, double length) => new(id, Math.Round(us / 1000, 3), length > 0 ? Math.Round(us / length, 4) : 0);

        private void Add(double start, double end, string id, string kind)
        {
            if (end > start)
            {
                _path.Add(new Segment(start, end, id, kind));
            }
        }

        /// <summary>Where the job ends: the latest GPU activity end or CPU span end over all ranks.</summary>
        private (RankIndex?, GpuEvent?, CpuThread?, double) Last()
        {
            (RankIndex?, GpuEvent?, CpuThread?, double) best = (null, null, null, double.MinValue);
            foreach (RankIndex j in jobs)
            {
                foreach (GpuEvent g in j.Trace.Gpu.Where(g => g.End > best.Item4))
                {
                    best = (j, g, null, g.End);
                }

                foreach (CpuThread th in j.Threads.Values.Where(th => th.Leaves.Count > 0 && th.Leaves[^1].End > best.Item4))
                {
                    best = (j, null, th, th.Leaves[^1].End);
                }
            }

            return best;
        }

        private (RankIndex?, GpuEvent?, CpuThread?, double) FromGpu(RankIndex rank, GpuEvent g)
        {
            if (!_visited.Add(g))
            {
                return default;
            }

            string kind = g.Kind switch { GpuKind.Communication => "communication", GpuKind.Memcpy => "memcpy", _ => "compute" };
            if (g.Kind == GpuKind.Communication && Calls.LastArrival(rank, g) is (RankIndex other, GpuEvent late) && late.Ts > g.Ts && late.Ts < g.End)
            {
                // The collective ended when the last rank arrived: the path crosses to that rank's kernel.
                Add(late.Ts, g.End, Id(rank.Trace.Rank, g.Name, g.Ts), kind);
                _visited.Add(late);
                return Before(other, late);
            }

            Add(g.Ts, g.End, Id(rank.Trace.Rank, g.Name, g.Ts), kind);
            return Before(rank, g);
        }

        /// <summary>What <paramref name="g"/> waited for to start: the previous activity on its stream or its launch.</summary>
        private (RankIndex?, GpuEvent?, CpuThread?, double) Before(RankIndex rank, GpuEvent g)
        {
            GpuEvent? previous = rank.PreviousOnStream(g);
            CpuEvent? launch = g.Correlation >= 0 && rank.Launches.TryGetValue(g.Correlation, out CpuEvent? l) && l.Ts <= g.Ts ? l : null;
            if (rank.AwaitedAcrossStreams(g, previous) is GpuEvent awaited && awaited.End <= g.Ts
                && awaited.End > (previous?.End ?? double.MinValue) && awaited.End > (launch?.Ts ?? double.MinValue))
            {
                // cudaStreamWaitEvent: the other stream's work held this one.
                Add(awaited.End, g.Ts, "idle", "idle");
                return (rank, awaited, null, 0);
            }

            double p = previous is null ? double.MinValue : Math.Min(previous.End, g.Ts);
            if (previous is not null && (launch is null || p >= launch.Ts))
            {
                Add(p, g.Ts, "idle", "idle");
                return (rank, previous, null, 0);
            }

            if (launch is not null)
            {
                Add(launch.Ts, g.Ts, Id(rank.Trace.Rank, launch.Name, launch.Ts), "launch_delay");
                return (rank, null, rank.Threads[(launch.Pid, launch.Tid)], launch.Ts);
            }

            return default;
        }

        private (RankIndex?, GpuEvent?, CpuThread?, double) FromCpu(RankIndex rank, CpuThread? thread, double t)
        {
            int i = thread is null ? -1 : thread.LastStartingBefore(t);
            if (i < 0)
            {
                return default;
            }

            CpuThread.Leaf leaf = thread!.Leaves[i];
            if (leaf.End < t)
            {
                Add(leaf.End, t, "idle", "idle");
                return (rank, null, thread, leaf.End);
            }

            CpuEvent e = leaf.Event;
            string id = Id(rank.Trace.Rank, e.Name, e.Ts);
            if (e.Runtime && Blocks(e.Name) && rank.LastGpuEndWithin(e, t, leaf.Start) is GpuEvent waited)
            {
                Add(waited.End, t, id, "cpu");
                return (rank, waited, null, 0);
            }

            Add(leaf.Start, t, id, "cpu");
            return (rank, null, thread, leaf.Start);
        }

        private static bool Blocks(string name) => name.Contains("Synchronize", StringComparison.Ordinal)
            || (name.StartsWith("cudaMemcpy", StringComparison.Ordinal) && !name.Contains("Async", StringComparison.Ordinal));
    }
}
