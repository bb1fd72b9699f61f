using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Search;

/// <summary>The next configuration to try, where it came from, what it is expected to do, and the candidate trace behind the choice.</summary>
internal sealed record Proposal(
    NcclConfig Config,
    string Source,
    string Rationale,
    double ExpectedMs,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<CandidateTraceEntry> Trace)
{
    /// <summary>Risk score of the chosen candidate when it was selected (always below the threshold).</summary>
    public double? Risk { get; init; }
}
