namespace CclAgent.Incident.Classification;

/// <summary>The "diagnosis" of the result: category, the cause in a sentence, 0–1 confidence, evidence lines.</summary>
public sealed record IncidentDiagnosis
{
    public required string Category { get; init; }
    public required string RootCause { get; init; }
    public required double Confidence { get; init; }
    public required IReadOnlyList<EvidenceLine> Evidence { get; init; }
}
