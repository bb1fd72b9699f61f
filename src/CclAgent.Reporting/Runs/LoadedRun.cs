namespace CclAgent.Reporting.Runs;

/// <summary>What the report shows of one run directory, read back from its files.</summary>
internal sealed record LoadedRun(
    string Directory,
    RunSummary Summary,
    IReadOnlyList<StepFile> Steps,
    PlanFile? Plan,
    IReadOnlyList<TunerConfRow> TunerRows,
    IReadOnlyList<LlmCallFile> LlmCalls)
{
    /// <summary>The confirmation step is last; trials are ordered by step number.</summary>
    public IEnumerable<StepFile> SearchSteps => Steps.Where(s => s.Kind != "confirm");
}
