namespace CclAgent.Tuning.Offline;

/// <summary>Why the microbenchmark stopped measuring (<c>stop_reason</c> in offline/microbenchmark.json).</summary>
internal static class MicrobenchmarkStops
{
    /// <summary>Every planned sweep was worth its cost and was measured.</summary>
    public const string Complete = "complete";

    /// <summary>Some sweeps could not plausibly save, over the job's remaining iterations, the cluster time they would cost.</summary>
    public const string GainBelowCost = "expected_gain_below_cost";

    /// <summary>The explicit run cap (<c>$.microbenchmark.max_runs</c>) was reached.</summary>
    public const string MaxRuns = "max_runs";
}
