using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Search;

/// <summary>
/// What a candidate costs when the job is tuned in place: a per-collective change is a table rewrite inside the running
/// job, but a change to NCCL's init-time environment needs a restart. A restart is worth it only when the expected
/// saving over the job's remaining iterations exceeds the restart's cost from the scenario's cost model.
/// </summary>
internal sealed record RestartEconomics(double RestartSeconds, double RemainingIterations)
{
    /// <summary>Cluster seconds a candidate is expected to save (its expected improvement per iteration over the remaining iterations) less the restart it needs.</summary>
    public double NetSeconds(double expectedImprovementMs, bool restart) =>
        (expectedImprovementMs * RemainingIterations / 1000) - (restart ? RestartSeconds : 0);

    /// <summary>Whether running <paramref name="candidate"/> after <paramref name="incumbent"/> needs a new job: its NCCL environment differs.</summary>
    public static bool NeedsRestart(NcclConfig candidate, NcclConfig incumbent) =>
        candidate.WithoutChoices().Key != incumbent.WithoutChoices().Key;
}
