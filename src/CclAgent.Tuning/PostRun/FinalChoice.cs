using System.Globalization;
using CclAgent.Core.Statistics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.PostRun;

/// <summary>
/// The last word on what is delivered: the best configuration only when its confirming re-run is faster than
/// the NCCL-default baseline beyond noise (the loop's own <see cref="RobustStats.SignificantlyFaster"/> test);
/// otherwise NCCL's defaults, so a run never hands over a configuration slower than the defaults it measured.
/// </summary>
internal static class FinalChoice
{
    /// <summary>Why the defaults are delivered instead of <paramref name="best"/>; null when <paramref name="best"/> stands.</summary>
    public static string? DefaultsReason(NcclConfig best, RobustStats? baseline, RobustStats? confirm)
    {
        if (best.ToAssignments().Count == 0 || baseline is null)
        {
            return null;
        }

        if (confirm is null)
        {
            return "the best configuration failed on re-run; the deliverable is NCCL's defaults";
        }

        return RobustStats.SignificantlyFaster(confirm, baseline)
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"the best configuration's re-run ({confirm.Median:0.00} ms) is not faster than the NCCL defaults ({baseline.Median:0.00} ms) beyond noise; the deliverable is NCCL's defaults");
    }
}
