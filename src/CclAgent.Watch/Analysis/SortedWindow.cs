using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CclAgent.Core.Statistics;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// The last N finite values, kept in arrival order and in sorted order, so that their median and MAD cost a few
/// comparisons instead of two selections over a copy (the spike detectors ask for them every few records of a
/// million-line log). The results are bit for bit those of <see cref="WindowStats.MedianAndSigma"/> over the same window.
/// </summary>
internal sealed class SortedWindow
{
    private readonly RingBuffer<double> _arrivals;
    private readonly double[] _sorted;
    private int _negativeZeros;

    public SortedWindow(int capacity)
    {
        _arrivals = new RingBuffer<double>(capacity);
        _sorted = new double[capacity];
    }

    public int Count => _arrivals.Count;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Adds a finite value, dropping the oldest when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "the window keeps finite values only");
        }

        if (_arrivals.IsFull)
        {
            double oldest = _arrivals.Oldest;
            Replace(oldest, value);
            _negativeZeros -= IsNegativeZero(oldest) ? 1 : 0;
        }
        else
        {
            Insert(value, _arrivals.Count);
        }

        _negativeZeros += IsNegativeZero(value) ? 1 : 0;
        _arrivals.Add(value);
    }

    /// <summary>Median and MAD scaled to a standard deviation, as <see cref="Quantiles.MedianAndSigmaInPlace"/> computes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Median, double Sigma) MedianAndSigma()
    {
        int n = _arrivals.Count;
        if (n == 0 || _negativeZeros > 0)
        {
            // -0 and 0 compare equal, so which of them selection picks depends on the arrival order: let it pick.
            return WindowStats.MedianAndSigma(_arrivals);
        }

        ReadOnlySpan<double> sorted = _sorted.AsSpan(0, n);
        double position = 0.5 * (n - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, n - 1);
        double median = Interpolate(sorted[lower], sorted[upper], position - lower);
        if (!double.IsFinite(median))
        {
            // Only values near ±double.MaxValue get here (their difference overflows); the general path handles them.
            return WindowStats.MedianAndSigma(_arrivals);
        }

        (double low, double high) = Deviations(sorted, median, lower, upper);
        return (median, Quantiles.MadToSigma * Interpolate(low, high, position - lower));
    }

    // MedianBySelection's formula, so that the same order statistics give the same double.
    private static double Interpolate(double low, double high, double fraction) => low + (fraction * (high - low));

    /// <summary>
    /// The lower-th and upper-th smallest |x − median|. Values up to index `lower` are at most the median and values from
    /// `lower + 1` on at least it, so the deviations walking outwards from there form two ascending runs: merging them
    /// finds the order statistics without computing the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Low, double High) Deviations(ReadOnlySpan<double> sorted, double median, int lower, int upper)
    {
        int left = lower;
        int right = lower + 1;
        double low = 0;
        double high = 0;
        for (int rank = 0; rank <= upper; rank++)
        {
            double next;
            if (right >= sorted.Length || (left >= 0 && Math.Abs(sorted[left] - median) <= Math.Abs(sorted[right] - median)))
            {
                next = Math.Abs(sorted[left--] - median);
            }
            else
            {
                next = Math.Abs(sorted[right++] - median);
            }

            low = rank == lower ? next : low;
            high = next;
        }

        return (low, high);
    }

    /// <summary>Takes <paramref name="oldest"/> out and puts <paramref name="value"/> in, moving only the values between them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Replace(double oldest, double value)
    {
        Span<double> sorted = _sorted;

        // The oldest value is present, so the first element not below it is equal to it.
        int from = LowerBound(sorted, oldest);
        int to = LowerBound(sorted, value);
        if (to > from)
        {
            // Everything in (from, to) moves down one; the new value goes just below the first element not below it.
            sorted[(from + 1)..to].CopyTo(sorted[from..]);
            to--;
        }
        else
        {
            sorted[to..from].CopyTo(sorted[(to + 1)..]);
        }

        sorted[to] = Stored(value);
    }

    private void Insert(double value, int count)
    {
        Span<double> sorted = _sorted.AsSpan(0, count + 1);
        int at = LowerBound(sorted[..count], value);
        sorted[at..count].CopyTo(sorted[(at + 1)..]);
        sorted[at] = Stored(value);
    }

    // Zeros are kept as +0: a -0 taken out by value may remove a +0 in its place, and the sign of what stays must not
    // depend on that (windows holding a -0 take the general path anyway).
    private static double Stored(double value) => value == 0 ? 0.0 : value;

    /// <summary>
    /// The first index whose value is not below <paramref name="value"/>, which in a sorted span is how many values are
    /// below it: counted four at a time with vector compares. A binary search over 50 noisy values is a chain of
    /// dependent loads and coin-flip branches, and cost more than the median itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int below = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> target = Vector256.Create(value);
            ref double first = ref MemoryMarshal.GetReference(sorted);
            for (; i <= sorted.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256<double> lanes = Vector256.LoadUnsafe(ref first, (nuint)i);
                below += BitOperations.PopCount(Vector256.LessThan(lanes, target).ExtractMostSignificantBits());
            }
        }

        for (; i < sorted.Length; i++)
        {
            below += sorted[i] < value ? 1 : 0;
        }

        return below;
    }

    private static bool IsNegativeZero(double value) => value == 0 && double.IsNegative(value);
}
