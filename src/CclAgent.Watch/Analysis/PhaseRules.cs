using System.Globalization;
using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// The phase rules, first match wins (docs/watch.md has the table). Thresholds have an entry and an exit value so that
/// a run near a boundary does not flap; <see cref="PhaseTracker"/> adds the confirmation count.
/// </summary>
public sealed class PhaseRules(WatchSettings settings)
{
    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>
    /// The phase the inputs point to, why, and whether it must apply at once (no confirmation). Without
    /// <paramref name="explain"/> the reason is left empty: formatting it costs more than the rules themselves, and it is
    /// only read when the phase changes, so the engine asks for it only then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (TrainingPhase Phase, string Reason, bool Urgent) Classify(PhaseInputs x, bool explain = true)
    {
        var c = CultureInfo.InvariantCulture;
        if (x.NonFiniteLoss)
        {
            return (TrainingPhase.Diverging, "the loss is NaN/Inf", true);
        }

        if (x.NonFiniteGradNormInARow >= settings.NonFiniteGradNormRecords)
        {
            return (TrainingPhase.Diverging, string.Create(c, $"the grad norm is NaN/Inf on the last {x.NonFiniteGradNormInARow} records"), true);
        }

        if (x.Finished)
        {
            return (TrainingPhase.Converged, "training reached its last iteration", true);
        }

        if (!x.HasTrend)
        {
            return x.LearningRateRising
                ? (TrainingPhase.Warmup, explain ? string.Create(c, $"learning rate rising ({x.LearningRate:0.###e+0}), no loss trend yet") : "", false)
                : (x.Current, "", false);
        }

        string trend = explain ? Trend(x) : "";
        if (IsDiverging(x))
        {
            return (TrainingPhase.Diverging, explain ? string.Create(c, $"{trend}; {x.RatioToBest:0.00}x its best") : "", false);
        }

        if (x.LearningRateRising)
        {
            return (TrainingPhase.Warmup, explain ? string.Create(c, $"learning rate rising ({x.LearningRate:0.###e+0}); {trend}") : "", false);
        }

        // The same condition as the val_degrading alert, so the phase never says what the alerts did not; it applies at
        // once because that condition is already confirmed over evaluations (one per epoch in many logs, where ten
        // confirming train records would be ten more epochs).
        if (x.Overfitting)
        {
            return (TrainingPhase.OverfittingRisk, explain ? string.Create(c, $"{x.EvalName} worse than its best ({x.EvalLatest:0.####} vs {x.EvalBest:0.####}) for {x.EvalWorseInARow} evaluations while {trend}") : "", true);
        }

        string t = explain ? string.Create(c, $" (t = {Math.Max(x.TrendT, -99):0.0})") : "";
        if (x.Current == TrainingPhase.Converged)
        {
            // Converged sticks: only a clear, fast fall says the run is learning again (a late LR step's dip is not one).
            bool clearFall = x.RelativeChange <= -settings.FastDrop && x.TrendT <= -3;
            return clearFall ? (TrainingPhase.LearningFast, trend + t, false) : (TrainingPhase.Converged, "", false);
        }

        // Falling must also be significant (t of the raw-loss slope), or noise alone would move the phase; staying
        // in a falling phase needs less evidence than entering it.
        bool falling = x.Current is TrainingPhase.LearningFast or TrainingPhase.StableConvergence ? x.TrendT <= -1 : x.TrendT <= -2;
        double fast = x.Current == TrainingPhase.LearningFast ? settings.FastDropExit : settings.FastDrop;
        if (x.RelativeChange <= -fast && falling)
        {
            // The training loss can fall fast while the evaluation metric stands still (memorising, or recovering from
            // a collapse): that is not fast learning.
            return x.EvalStalled
                ? (TrainingPhase.StableConvergence, explain ? string.Create(c, $"{trend}, but {x.EvalName} made no material gain for {x.EvalSinceMaterialGain} evaluations") : "", false)
                : (TrainingPhase.LearningFast, trend, false);
        }

        double slow = x.Current == TrainingPhase.Plateau ? settings.PlateauDropExit : settings.PlateauDrop;
        if (x.RelativeChange <= -slow && falling)
        {
            return (TrainingPhase.StableConvergence, trend + t, false);
        }

        // A flat training loss while the evaluation metric still improves is slow convergence, not a plateau.
        if (x.EvalStillGaining)
        {
            return (TrainingPhase.StableConvergence, explain ? string.Create(c, $"{trend}{t}, but {x.EvalName} is still improving") : "", false);
        }

        if (IsConverged(x))
        {
            return (TrainingPhase.Converged, explain ? string.Create(c, $"{trend} for {x.RecordsInPhase} records with the learning rate at {x.LearningRateFractionOfPeak ?? 1:0.#%} of its peak") : "", false);
        }

        return (TrainingPhase.Plateau, trend + t, false);
    }

    /// <summary>
    /// A significant rise across the window, or far above the best; either must also be material at the run's own
    /// scale (a fraction of how far the loss has come down), or a run at a loss of 0.001 would diverge on noise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsDiverging(PhaseInputs x)
    {
        double floor = settings.DivergeRangeFraction * x.LearnedRange;
        // While the learning rate warms up (and until the window is past it) a fine-tune's loss climbs from the
        // pretrained minimum: only a rise far above the best is divergence then.
        bool risingTrend = !x.LearningRateRising && !x.WarmupInWindow && x.RelativeChange > settings.DivergeRise && x.TrendT >= 2 && x.WindowLast - x.WindowFirst >= floor;
        bool farAboveBest = x.RatioToBest > 1 + (3 * settings.DivergeRise) && x.RiseFromBest >= floor;
        return risingTrend || farAboveBest;
    }

    /// <summary>
    /// Flat for long enough with the learning rate annealed, and flat since the learning rate's last step: a step-decay
    /// schedule's mid-run step is followed by more learning, so the plateau before it says nothing about convergence.
    /// </summary>
    private bool IsConverged(PhaseInputs x)
    {
        long needed = (long)settings.ConvergedPlateauWindows * settings.Window;
        bool flatLongEnough = x.Current == TrainingPhase.Plateau && x.RecordsInPhase >= needed;
        bool settledAfterLrStep = x.RecordsSinceLrStep is not long since || since >= needed;
        return flatLongEnough && settledAfterLrStep && (x.LearningRateFractionOfPeak ?? 1) <= settings.ConvergedLrFraction;
    }

    /// <summary>The trend in words, with the smoothed values as they are at the window's ends.</summary>
    private static string Trend(PhaseInputs x)
    {
        double change = (x.SmoothedLast - x.SmoothedFirst) / Math.Max(Math.Abs(x.SmoothedFirst), 1e-12);
        return string.Create(CultureInfo.InvariantCulture, $"smoothed loss {Verb(change)} {Math.Abs(change):0.0%} over the last {x.WindowRecords} records ({x.SmoothedFirst:0.####} → {x.SmoothedLast:0.####})");
    }

    private static string Verb(double change) => change < 0 ? "fell" : "rose";
}
