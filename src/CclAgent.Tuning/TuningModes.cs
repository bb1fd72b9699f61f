namespace CclAgent.Tuning;

/// <summary>What is real in a tuning run (recorded as <c>mode</c> in run_context.json and summary.json).</summary>
public static class TuningModes
{
    /// <summary>Microbenchmark and job both on the built-in simulator.</summary>
    public const string DryRun = "dry-run";

    /// <summary>Real nccl-tests microbenchmark; the job is simulated.</summary>
    public const string SimulateWorkload = "simulate-workload";

    /// <summary>Real microbenchmark and real job, through the workload's launcher.</summary>
    public const string Real = "real";
}
