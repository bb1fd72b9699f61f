using CclAgent.Core.Statistics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Search;

/// <summary>What the search knows between steps: the incumbent (best measured), the last known-good, and what was tried.</summary>
internal sealed class SearchState
{
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

    public SearchState(NcclConfig baseline, RobustStats baselineStats)
    {
        Incumbent = baseline;
        IncumbentStats = baselineStats;
        KnownGood = baseline;
        _visited.Add(baseline.Key);
    }

    public NcclConfig Incumbent { get; private set; }
    public RobustStats IncumbentStats { get; private set; }
    public NcclConfig KnownGood { get; private set; }
    public int StepsSinceImprovement { get; private set; }

    public bool Visited(NcclConfig config) => _visited.Contains(config.Key);

    public void MarkVisited(NcclConfig config) => _visited.Add(config.Key);

    /// <summary>Records a measured trial; returns true when it becomes the new incumbent (faster beyond noise).</summary>
    public bool Accept(NcclConfig config, RobustStats stats)
    {
        KnownGood = config;
        if (RobustStats.SignificantlyFaster(stats, IncumbentStats))
        {
            Incumbent = config;
            IncumbentStats = stats;
            StepsSinceImprovement = 0;
            return true;
        }

        StepsSinceImprovement++;
        KnownGood = Incumbent;
        return false;
    }

    /// <summary>A failed or SLA-breaching trial: the job goes back to the incumbent.</summary>
    public void Reject()
    {
        KnownGood = Incumbent;
        StepsSinceImprovement++;
    }
}
