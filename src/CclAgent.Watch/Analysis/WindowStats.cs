using CclAgent.Core.Statistics;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// <see cref="Quantiles"/> over a <see cref="RingBuffer{T}"/>: the window is copied into scratch (on the stack
/// when small) so the detectors summarise it on every value without allocating or disturbing its order.
/// </summary>
internal static class WindowStats
{
    private const int StackLimit = 256;

    /// <summary>Median and MAD (scaled to estimate a standard deviation) of the window's values.</summary>
    public static (double Median, double Sigma) MedianAndSigma(RingBuffer<double> window)
    {
        Span<double> scratch = window.Count <= StackLimit ? stackalloc double[window.Count] : new double[window.Count];
        window.CopyTo(scratch);
        return Quantiles.MedianAndSigmaInPlace(scratch);
    }

    /// <summary>Quantiles of the window's values.</summary>
    public static double[] Of(RingBuffer<double> window, params double[] qs)
    {
        Span<double> scratch = window.Count <= StackLimit ? stackalloc double[window.Count] : new double[window.Count];
        window.CopyTo(scratch);
        scratch.Sort();
        var result = new double[qs.Length];
        for (int i = 0; i < qs.Length; i++)
        {
            result[i] = Quantiles.OfSorted(scratch, qs[i]);
        }

        return result;
    }
}
