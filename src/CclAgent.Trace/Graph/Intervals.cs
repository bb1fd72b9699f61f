namespace CclAgent.Trace.Graph;

/// <summary>Interval arithmetic on [start, end) pairs: the union's length and the length of two unions' intersection.</summary>
internal static class Intervals
{
    /// <summary>Sorted, non-overlapping union of <paramref name="intervals"/>.</summary>
    public static List<(double Start, double End)> Union(IEnumerable<(double Start, double End)> intervals)
    {
        var merged = new List<(double Start, double End)>();
        foreach ((double s, double e) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && s <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, e));
            }
            else
            {
                merged.Add((s, e));
            }
        }

        return merged;
    }

    public static double Length(IReadOnlyList<(double Start, double End)> union) => union.Sum(i => i.End - i.Start);

    /// <summary>Length of the intersection of two unions (both sorted and disjoint).</summary>
    public static double IntersectionLength(IReadOnlyList<(double Start, double End)> a, IReadOnlyList<(double Start, double End)> b)
    {
        double total = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            double lo = Math.Max(a[i].Start, b[j].Start);
            double hi = Math.Min(a[i].End, b[j].End);
            if (hi > lo)
            {
                total += hi - lo;
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return total;
    }

    /// <summary>How much of [start, end) lies inside <paramref name="union"/> (sorted, disjoint); a binary search, so per-kernel overlap stays O(log n).</summary>
    public static double OverlapWith(IReadOnlyList<(double Start, double End)> union, double start, double end)
    {
        int lo = 0, hi = union.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (union[mid].End <= start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        double total = 0;
        for (int i = lo; i < union.Count && union[i].Start < end; i++)
        {
            total += Math.Min(union[i].End, end) - Math.Max(union[i].Start, start);
        }

        return total;
    }
}
