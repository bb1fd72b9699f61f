using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Recommendations;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Reports;

/// <summary>The whole diagnosis: verdict, ranked candidates, evidence in reading order, code findings, recommendations.</summary>
public sealed record DiagnosisReport
{
    /// <summary>Serialised as "diagnosis": root_cause, category, confidence, role, domain, failure_step.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("diagnosis")]
    public required Verdict Verdict { get; init; }
    public required IReadOnlyList<Candidate> Candidates { get; init; }
    public required IReadOnlyList<EvidenceItem> Evidence { get; init; }
    public required IReadOnlyList<CodeFinding> CodeFindings { get; init; }
    public required IReadOnlyList<Recommendation> Recommendations { get; init; }
    public required IReadOnlyList<SourceSummary> Sources { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The model review (--llm only; absent otherwise). The verdict above never depends on it.</summary>
    public Review.ModelReview? Llm { get; init; }

    /// <summary>False when no line matched any failure signal (the category is then unknown).</summary>
    public bool FoundEvidence => Candidates.Count > 0;
}
