using System.Globalization;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// The phase rules, first match wins (docs/watch.md has the table). Thresholds have an entry and an exit value so that
/// a run near a boundary does not flap; <see cref="PhaseTracker"/> adds the confirmation count.
/// </summary>
public sealed class PhaseRules(WatchSettings settings)
{
    /// <summary>The phase the inputs point to, why, and whether it must apply at once (no confirmation).</summary>
    public (TrainingPhase Phase, string Reason, bool Urgent) Classify(PhaseInputs x)
    {
        var c = CultureInfo.InvariantCulture;
        if (x.NonFiniteLoss)
        {
            return (TrainingPhase.Diverging, "the loss is NaN/Inf", true);
        }

        if (x.Finished)
        {
            return (TrainingPhase.Converged, "training reached its last iteration", true);
        }

        if (!x.HasTrend)
        {
            return x.LearningRateRising
                ? (TrainingPhase.Warmup, string.Create(c, $"learning rate rising ({x.LearningRate:0.###e+0}), no loss trend yet"), false)
                : (x.Current, "", false);
        }

        string trend = string.Create(c, $"smoothed loss {Verb(x.RelativeChange)} {Math.Abs(x.RelativeChange):0.0%} over the last {x.WindowRecords} records ({x.WindowFirst:0.####} → {x.WindowLast:0.####})");
        if ((x.RelativeChange > settings.DivergeRise && x.TrendT >= 2) || x.RatioToBest > 1 + (3 * settings.DivergeRise))
        {
            return (TrainingPhase.Diverging, string.Create(c, $"{trend}; {x.RatioToBest:0.00}x its best"), false);
        }

        if (x.LearningRateRising)
        {
            return (TrainingPhase.Warmup, string.Create(c, $"learning rate rising ({x.LearningRate:0.###e+0}); {trend}"), false);
        }

        // Overfitting is entered while training still improves and left only when evaluation recovers.
        bool stillWorse = x.EvalWorseInARow >= 2;
        if (stillWorse && (x.RelativeChange < -settings.PlateauDrop || x.Current == TrainingPhase.OverfittingRisk))
        {
            return (TrainingPhase.OverfittingRisk, string.Create(c, $"{x.EvalName} worse than its best ({x.EvalLatest:0.####} vs {x.EvalBest:0.####}) for {x.EvalWorseInARow} evaluations while {trend}"), false);
        }

        // Falling must also be significant (t of the raw-loss slope), or noise alone would move the phase; staying
        // in a falling phase needs less evidence than entering it.
        bool falling = x.Current is TrainingPhase.LearningFast or TrainingPhase.StableConvergence ? x.TrendT <= -1 : x.TrendT <= -2;
        string t = string.Create(c, $" (t = {Math.Max(x.TrendT, -99):0.0})");
        double fast = x.Current == TrainingPhase.LearningFast ? settings.FastDropExit : settings.FastDrop;
        if (x.RelativeChange <= -fast && falling)
        {
            return (TrainingPhase.LearningFast, trend, false);
        }

        double slow = x.Current is TrainingPhase.Plateau or TrainingPhase.Converged ? settings.PlateauDropExit : settings.PlateauDrop;
        if (x.RelativeChange <= -slow && falling)
        {
            return (TrainingPhase.StableConvergence, trend + t, false);
        }

        double lrFraction = x.LearningRateFractionOfPeak ?? 1;
        bool flatLongEnough = x.Current == TrainingPhase.Converged || (x.Current == TrainingPhase.Plateau && x.RecordsInPhase >= (long)settings.ConvergedPlateauWindows * settings.Window);
        if (flatLongEnough && lrFraction <= settings.ConvergedLrFraction)
        {
            return (TrainingPhase.Converged, string.Create(c, $"{trend} for {x.RecordsInPhase} records with the learning rate at {lrFraction:0.#%} of its peak"), false);
        }

        return (TrainingPhase.Plateau, trend + t, false);
    }

    private static string Verb(double change) => change < 0 ? "fell" : "rose";
}
