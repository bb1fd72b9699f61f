using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Records;

/// <summary>steps/step_&lt;k&gt;.json: one online step — what was applied, what happened, and the decision that followed.</summary>
public sealed record StepRecord
{
    public required int Step { get; init; }

    /// <summary>baseline | trial | confirm.</summary>
    public required string Kind { get; init; }

    /// <summary>apply (a new candidate) | rollback (back to last known-good) | confirm.</summary>
    public required string Action { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required IReadOnlyDictionary<string, string> ConfigDelta { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>ok | failed | sla_breach.</summary>
    public required string Status { get; init; }
    public string? FailureClass { get; init; }
    public string? FailureMessage { get; init; }
    public required StepMetrics Metrics { get; init; }

    /// <summary>For a failed step: what `diagnose` concluded from its failure text; the avoid-rule carries this category.</summary>
    public StepDiagnosis? Diagnosis { get; init; }
    public DecisionRecord? Decision { get; init; }
    public IReadOnlyList<CandidateTraceEntry> CandidateTrace { get; init; } = [];

    /// <summary>Risk score of the applied configuration when it was chosen (null for baseline and confirm).</summary>
    public double? Risk { get; init; }
    public required double DurationMs { get; init; }
}
