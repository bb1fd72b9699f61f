using CclAgent.Watch.Parsing;

namespace CclAgent.Watch;

/// <summary>What watch reads and the thresholds its rules use. Defaults are documented in docs/watch.md.</summary>
public sealed record WatchSettings
{
    public LogFormat Format { get; init; } = LogFormat.Auto;

    /// <summary>GPUs the job uses, for GPU-hours in early-stop advice.</summary>
    public int Gpus { get; init; } = 1;

    /// <summary>The evaluation metric to track; null picks one (first higher-is-better metric, else the eval loss).</summary>
    public string? Metric { get; init; }

    /// <summary>Relative improvement that counts as "better" (Lightning's min_delta, but relative).</summary>
    public double MinDelta { get; init; } = 0.01;

    /// <summary>GPU memory per device in GB, to turn memory growth into a distance to OOM; null when unknown.</summary>
    public double? GpuMemoryGb { get; init; }

    /// <summary>Logged records in the trend window.</summary>
    public int Window { get; init; } = 50;

    /// <summary>EMA weight of the loss smoother (TensorBoard's slider), debiased.</summary>
    public double SmoothingWeight { get; init; } = 0.9;

    /// <summary>Consecutive records that must agree before the phase changes (hysteresis).</summary>
    public int ConfirmRecords { get; init; } = 10;

    /// <summary>
    /// Non-finite grad norms in a row that make the run DIVERGING even while no loss is printed: one is a step fp16
    /// skips, three with the loss scale left alone are gradients that are really NaN.
    /// </summary>
    public int NonFiniteGradNormRecords { get; init; } = 3;

    /// <summary>Records a phase lasts at least before a non-urgent change.</summary>
    public int MinDwellRecords { get; init; } = 25;

    /// <summary>Smoothed-loss drop over the window that means LEARNING_FAST (entered), and the drop below which it is left.</summary>
    public double FastDrop { get; init; } = 0.05;

    public double FastDropExit { get; init; } = 0.03;

    /// <summary>Drop over the window below which the run is on a PLATEAU (entered), and the drop that leaves it.</summary>
    public double PlateauDrop { get; init; } = 0.005;

    public double PlateauDropExit { get; init; } = 0.01;

    /// <summary>Smoothed-loss rise over the window that means DIVERGING.</summary>
    public double DivergeRise { get; init; } = 0.10;

    /// <summary>
    /// A rise must also be at least this fraction of how far the smoothed loss has come down (its peak minus its best)
    /// to count as divergence or a spike: relative thresholds alone fire on noise at a loss of 0.001.
    /// </summary>
    public double DivergeRangeFraction { get; init; } = 0.02;

    /// <summary>Windows of PLATEAU with the learning rate at most <see cref="ConvergedLrFraction"/> of its peak before CONVERGED.</summary>
    public int ConvergedPlateauWindows { get; init; } = 2;

    public double ConvergedLrFraction { get; init; } = 0.1;

    /// <summary>Robust z-score (median/MAD) above which a loss is a spike.</summary>
    public double SpikeZ { get; init; } = 6;

    /// <summary>Grad norm over this multiple of its recent median is an explosion.</summary>
    public double GradExplosionFactor { get; init; } = 10;

    /// <summary>Recent iteration time over this multiple of the baseline is a regression.</summary>
    public double IterationTimeRegression { get; init; } = 1.3;

    /// <summary>Relative memory growth over a window that raises memory_growth.</summary>
    public double MemoryGrowth { get; init; } = 0.10;

    /// <summary>No new line for this many usual intervals is a stall…</summary>
    public double StallFactor { get; init; } = 10;

    /// <summary>…but never sooner than this.</summary>
    public TimeSpan MinStall { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Early-stop advice is given when the probability of a better result is below this.</summary>
    public double AdviceProbability { get; init; } = 0.1;

    /// <summary>A status event every this many records…</summary>
    public int StatusEveryRecords { get; init; } = 1000;

    /// <summary>…or this much wall-clock time while following.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(30);
}
