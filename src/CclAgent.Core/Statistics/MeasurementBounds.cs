using System.Globalization;

namespace CclAgent.Core.Statistics;

/// <summary>
/// What a measurement must be before anything (statistics, the surrogate, the GP, memory) may use it: finite,
/// positive and physically possible. A job printing <c>iteration_ms: -5</c> or <c>1e-300</c> has a broken
/// clock or a bug, not a fast configuration; letting such a value through makes it the "best" answer
/// (docs/running-real-jobs.md, "Metrics").
/// </summary>
public static class MeasurementBounds
{
    /// <summary>The shortest plausible training iteration: 1 µs (no collective completes faster).</summary>
    public const double MinIterationMs = 0.001;

    /// <summary>The longest plausible iteration: 24 h; anything longer is an overflowed or mis-scaled clock.</summary>
    public const double MaxIterationMs = 24 * 3600 * 1000.0;

    /// <summary>The shortest plausible nccl-tests time: 0.1 µs (nccl-tests prints µs with two decimals).</summary>
    public const double MinCollectiveUs = 0.1;

    /// <summary>The longest plausible nccl-tests time: 24 h in µs.</summary>
    public const double MaxCollectiveUs = MaxIterationMs * 1000.0;

    /// <summary>A bandwidth above 1 PB/s (in GB/s) is no link that exists.</summary>
    public const double MaxBandwidthGbps = 1e6;

    /// <summary>True when <paramref name="ms"/> can be an iteration time.</summary>
    public static bool IsPlausibleIterationMs(double ms) => double.IsFinite(ms) && ms >= MinIterationMs && ms <= MaxIterationMs;

    /// <summary>True when <paramref name="us"/> can be a collective's time as nccl-tests prints it.</summary>
    public static bool IsPlausibleCollectiveUs(double us) => double.IsFinite(us) && us >= MinCollectiveUs && us <= MaxCollectiveUs;

    /// <summary>True when <paramref name="gbps"/> can be a bandwidth (0 is what nccl-tests prints for tiny sizes).</summary>
    public static bool IsPlausibleBandwidthGbps(double gbps) => double.IsFinite(gbps) && gbps >= 0 && gbps <= MaxBandwidthGbps;

    /// <summary>The first implausible iteration time of <paramref name="samples"/>, or null when all are plausible.</summary>
    public static double? FirstImplausibleIterationMs(IEnumerable<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        foreach (double ms in samples)
        {
            if (!IsPlausibleIterationMs(ms))
            {
                return ms;
            }
        }

        return null;
    }

    /// <summary>The one-line reason an iteration time was refused, naming the value and the bounds.</summary>
    public static string IterationMsProblem(double ms, string where) =>
        $"{where}: iteration_ms {Format(ms)} is not a plausible iteration time (it must be finite and between {Format(MinIterationMs)} ms and {Format(MaxIterationMs)} ms)";

    /// <summary>Round-trip formatting, so the message names exactly the value the job printed.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
