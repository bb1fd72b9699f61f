using System.Diagnostics;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation.Oracle;

/// <summary>
/// The yardstick: evaluates every configuration of the search space on the noise-free truth and
/// returns the fastest one that runs correctly. Hazardous configurations never count as optimal.
/// </summary>
public static class ExhaustiveOracle
{
    public static OracleResult Solve(SimulatedCluster cluster)
    {
        long start = Stopwatch.GetTimestamp();
        NcclConfig best = NcclConfig.Default;
        double bestMs = double.PositiveInfinity;
        long evaluated = 0;
        long runnable = 0;
        foreach (NcclConfig config in cluster.Space.Enumerate())
        {
            evaluated++;
            IterationEstimate estimate = cluster.Estimate(config);
            if (!estimate.Outcome.IsOk)
            {
                continue;
            }

            runnable++;
            if (estimate.IterationMs < bestMs - 1e-9)
            {
                bestMs = estimate.IterationMs;
                best = config;
            }
        }

        double defaultMs = cluster.Estimate(NcclConfig.Default).IterationMs;
        return new OracleResult(best, bestMs, defaultMs, evaluated, runnable, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
