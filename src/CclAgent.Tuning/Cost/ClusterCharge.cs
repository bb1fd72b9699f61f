using CclAgent.Core.Workloads;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Tuning.Cost;

/// <summary>
/// The cluster time one tuning run is charged: every microbenchmark run and every job run (baseline, trials,
/// confirm). What really ran is charged its measured wall time; what the simulator ran took no real time, so it is
/// charged the cost model's estimate (<see cref="TuningCostModel"/>). Cluster seconds hold the whole allocation.
/// </summary>
internal sealed class ClusterCharge(TuningCostModel model, TimeProvider time, bool realJobs, bool realMicrobenchmark)
{
    public TuningCostModel Model => model;

    public double MicrobenchmarkSeconds { get; private set; }

    public double JobSeconds { get; private set; }

    public double TotalSeconds => MicrobenchmarkSeconds + JobSeconds;

    public long Start() => time.GetTimestamp();

    /// <summary>Charges one nccl-tests run that started at <paramref name="started"/> and read <paramref name="timeUs"/> per call (null: it failed).</summary>
    public double MicrobenchmarkRun(double? timeUs, long started)
    {
        // A failed simulated run still launched and initialised: it costs the start, not the timed loop.
        double seconds = realMicrobenchmark ? Wall(started) : model.MicrobenchmarkRunSeconds(timeUs ?? 0);
        MicrobenchmarkSeconds += seconds;
        return seconds;
    }

    /// <summary>Charges a microbenchmark that ran before a resumed run's interruption, as it was charged then.</summary>
    public void RecordedMicrobenchmark(double seconds) => MicrobenchmarkSeconds += seconds;

    /// <summary>
    /// Charges one job run: a restart pays the job start plus every iteration it ran, its dropped warm-up included; a
    /// window inside the running job pays only its iterations, those dropped at the table switch included.
    /// </summary>
    public double JobRun(JobResult result, int warmupIterations, long started)
    {
        // A resumed run's replayed steps ran before the interruption: they cost what they cost then, not the replay's wall time.
        double seconds = realJobs ? result.RecordedClusterSeconds ?? Wall(started) : Simulated(result, warmupIterations);
        JobSeconds += seconds;
        return seconds;
    }

    private double Simulated(JobResult result, int warmupIterations)
    {
        if (!result.IsOk)
        {
            // Failures show at init or in the first iterations; a hang would cost up to the step timeout, so this is a
            // lower bound. A window that fails in the running job kills it: the next step pays the restart.
            return result.Restarted ? model.JobStartSeconds : 0;
        }

        // The runner drops warm-up (or switch-straddling) samples; they ran at about the measured pace.
        double median = result.IterationMs.Order().ElementAt(result.IterationMs.Count / 2);
        int dropped = result.Restarted ? Math.Max(warmupIterations, result.DroppedIterations) : result.DroppedIterations;
        double iterations = (result.IterationMs.Sum() + (median * dropped)) / 1000;
        return result.Restarted ? model.JobStartSeconds + iterations : iterations;
    }

    private double Wall(long started) => time.GetElapsedTime(started).TotalSeconds;
}
