using CclAgent.Trace.Graph;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Kineto;

/// <summary>GPU analyses over one Kineto file per rank: temporal breakdown, comm/comp overlap, stragglers, per-collective table.</summary>
internal static class KinetoAnalyzer
{
    public static TraceReport Analyze(IReadOnlyList<RankTrace> ranks, IReadOnlyList<string> inputs)
    {
        var breakdown = new List<RankBreakdown>();
        var overlap = new List<RankOverlap>();
        var issues = new List<IntegrityIssue>();
        foreach (RankTrace t in ranks.OrderBy(t => t.Rank))
        {
            if (t.TruncatedAt is not null)
            {
                issues.Add(new("temporal.truncated", [t.Path], $"{t.Path} breaks off {t.TruncatedAt}; analysed up to there"));
            }

            var compute = Intervals.Union(t.Gpu.Where(e => e.Kind == GpuKind.Compute).Select(e => (e.Ts, e.End)));
            var comm = Intervals.Union(t.Gpu.Where(e => e.Kind == GpuKind.Communication).Select(e => (e.Ts, e.End)));
            var mem = Intervals.Union(t.Gpu.Where(e => e.Kind == GpuKind.Memcpy).Select(e => (e.Ts, e.End)));
            var busy = Intervals.Union(t.Gpu.Select(e => (e.Ts, e.End)));
            double window = t.Gpu.Count == 0 ? 0 : t.Gpu.Max(e => e.End) - t.Gpu.Min(e => e.Ts);
            breakdown.Add(new(t.Rank, R(window), R(Intervals.Length(compute)), R(Intervals.Length(comm)), R(Intervals.Length(mem)), R(window - Intervals.Length(busy))));
            double commUs = Intervals.Length(comm);
            double both = Intervals.IntersectionLength(comm, compute);
            overlap.Add(new(t.Rank, R(commUs), R(both), commUs > 0 ? Math.Round(both / commUs, 4) : 0));
        }

        issues.AddRange(KinetoClockSkew.Issues(ranks));
        return new TraceReport
        {
            Inputs = inputs,
            Format = "kineto",
            Integrity = new IntegritySection { Valid = issues.Count == 0, Issues = issues },
            Breakdown = breakdown,
            Overlap = overlap,
            CriticalPath = KinetoCriticalPath.Find(ranks),
            Stragglers = KinetoStragglers.Find(ranks),
            Collectives = Collectives(ranks),
        };
    }

    private static double R(double us) => Math.Round(us, 3);

    private static List<CollectiveRow> Collectives(IReadOnlyList<RankTrace> ranks)
    {
        var rows = new List<CollectiveRow>();
        var kernels = ranks.SelectMany(t => t.Gpu.Where(e => e.Kind == GpuKind.Communication).Select(e => (t.Rank, t.WorldSize, e, Name: NcclKernelName.Parse(e.Name))));
        foreach (var g in kernels.GroupBy(k => (k.Name.Op, Bytes: Bytes(k.e.Nccl), Dtype: k.e.Nccl?.Dtype ?? k.Name.Dtype, k.Name.Algorithm, k.Name.Protocol)))
        {
            var durations = g.Select(k => k.e.Dur).OrderBy(d => d).ToList();
            double mean = durations.Average();
            int n = g.Select(k => k.e.Nccl?.GroupSize ?? 0).FirstOrDefault(s => s > 0) is int s and > 0 ? s : g.First().WorldSize;
            double algbw = mean > 0 ? g.Key.Bytes / (mean * 1e-6) / 1e9 : 0;
            rows.Add(new(g.Key.Op, g.Key.Bytes, g.Key.Dtype, g.Key.Algorithm, g.Key.Protocol, durations.Count, R(mean), R(Percentile(durations, 0.95)),
                Math.Round(algbw, 3), Math.Round(algbw * BusFactor(g.Key.Op, n), 3), g.Select(k => k.Rank).Distinct().Count()));
        }

        return rows.OrderByDescending(r => r.Count * r.MeanUs).ToList();
    }

    /// <summary>nccl-tests' size: the larger of input and output (allgather's output, reducescatter's input) times the element size.</summary>
    internal static long Bytes(NcclArgs? a) => a is null ? 0 : Math.Max(a.InElems, a.OutElems) * DtypeSize(a.Dtype);

    /// <summary>nccl-tests' busbw factors (PERFORMANCE.md): allreduce 2(n-1)/n; allgather, reducescatter, alltoall (n-1)/n; others 1.</summary>
    internal static double BusFactor(string op, int n) => n <= 1 ? 1 : op.ToLowerInvariant() switch
    {
        "allreduce" => 2.0 * (n - 1) / n,
        "allgather" or "reducescatter" or "alltoall" or "_allgather_base" or "_reduce_scatter_base" => (double)(n - 1) / n,
        _ => 1,
    };

    internal static int DtypeSize(string? dtype) => dtype?.ToLowerInvariant() switch
    {
        "float" or "float32" or "f32" or "int" or "int32" or "i32" or "uint32" or "u32" => 4,
        "double" or "float64" or "f64" or "long" or "int64" or "i64" or "u64" or "uint64" => 8,
        "half" or "float16" or "f16" or "bfloat16" or "bf16" or "short" => 2,
        "byte" or "char" or "int8" or "int8_t" or "uint8" or "uint8_t" or "i8" or "u8" or "bool" => 1,
        _ => 1,
    };

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
