namespace CclAgent.Reporting.Runs;

// The fields of a run directory's JSON files that the report shows. Read-side copies of the writers' records
// (Tuning's TuningSummary, StepRecord, OfflinePlan): Reporting sits below Tuning, and unknown fields are ignored
// so that a newer writer's additions do not break an older report.

/// <summary>postrun/summary.json.</summary>
internal sealed record RunSummary
{
    public string RunId { get; init; } = "";
    public string Workload { get; init; } = "";
    public string Mode { get; init; } = "";
    public string? ContextSignature { get; init; }
    public double BaselineIterationMs { get; init; }
    public double BestIterationMs { get; init; }
    public double Speedup { get; init; }
    public int Trials { get; init; }
    public int FailedTrials { get; init; }
    public Dictionary<string, string> BestConfig { get; init; } = [];
    public string StopReason { get; init; } = "";
    public double? ConfirmIterationMs { get; init; }
    public bool Confirmed { get; init; }
    public string? DefaultsReason { get; init; }
    public int BlockedCandidates { get; init; }
    public bool LlmUsed { get; init; }
    public int LlmCalls { get; init; }
    public int LlmProposals { get; init; }
    public int LlmProposalsApplied { get; init; }
    public int LlmProposalsAccepted { get; init; }
    public string? LlmProvider { get; init; }
    public string? LlmUnavailable { get; init; }
    public double ClusterSeconds { get; init; }
    public double GpuHours { get; init; }
    public double? OracleIterationMs { get; init; }
    public double? OracleFraction { get; init; }
    public double? BestTrueIterationMs { get; init; }
    public List<string> Artifacts { get; init; } = [];
}

/// <summary>steps/step_&lt;k&gt;.json.</summary>
internal sealed record StepFile
{
    public int Step { get; init; }
    public string Kind { get; init; } = "";
    public string Source { get; init; } = "";
    public Dictionary<string, string> ConfigDelta { get; init; } = [];
    public string Status { get; init; } = "";
    public string? FailureClass { get; init; }
    public string? FailureMessage { get; init; }
    public StepMetricsFile Metrics { get; init; } = new();
    public StepDiagnosisFile? Diagnosis { get; init; }
    public StepDecisionFile? Decision { get; init; }
}

internal sealed record StepMetricsFile
{
    public double IterationMsMedian { get; init; }
    public double? TrueIterationMs { get; init; }
}

internal sealed record StepDiagnosisFile
{
    public string Category { get; init; } = "";
    public string RootCause { get; init; } = "";
    public double Confidence { get; init; }
}

internal sealed record StepDecisionFile
{
    public string Decision { get; init; } = "";
    public string Reason { get; init; } = "";
    public bool FromModel { get; init; }
}

/// <summary>offline/plan.json.</summary>
internal sealed record PlanFile
{
    public Dictionary<string, double> Importance { get; init; } = [];
    public List<string> PrunedDimensions { get; init; } = [];
    public List<PlanRule> MemoryRules { get; init; } = [];
    public List<PlanRule> AvoidRules { get; init; } = [];
}

internal sealed record PlanRule
{
    public string Id { get; init; } = "";
    public Dictionary<string, string> Patch { get; init; } = [];
    public string? Description { get; init; }
    public double Score { get; init; }
    public double Similarity { get; init; }
}

/// <summary>llm/call_&lt;id&gt;.json.</summary>
internal sealed record LlmCallFile
{
    public string CallId { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public string Outcome { get; init; } = "";
    public string? OutcomeReason { get; init; }
    public double LatencyMs { get; init; }
}
