using CclAgent.Core.Failures;
using CclAgent.Core.Steps;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Records;

/// <summary>steps/step_&lt;k&gt;.json: one online step — what was applied, what happened, and the decision that followed.</summary>
public sealed record StepRecord
{
    public required int Step { get; init; }

    public required StepKind Kind { get; init; }
    public required StepAction Action { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required IReadOnlyDictionary<string, string> ConfigDelta { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>The collectives whose per-collective choice this step changed from the previous configuration (tuner key names).</summary>
    public IReadOnlyList<string> CollectivesChanged { get; init; } = [];

    /// <summary>The tuner conf the job ran with (relative to the run directory), when the configuration had per-collective choices.</summary>
    public string? TunerConf { get; init; }

    public required StepStatus Status { get; init; }
    public FailureClass? FailureClass { get; init; }
    public string? FailureMessage { get; init; }
    public required StepMetrics Metrics { get; init; }

    /// <summary>For a failed step: what `diagnose` concluded from its failure text; the avoid-rule carries this category.</summary>
    public StepDiagnosis? Diagnosis { get; init; }
    public DecisionRecord? Decision { get; init; }
    public IReadOnlyList<CandidateTraceEntry> CandidateTrace { get; init; } = [];

    /// <summary>Risk score of the applied configuration when it was chosen (null for baseline and confirm).</summary>
    public double? Risk { get; init; }
    public required double DurationMs { get; init; }

    /// <summary>Cluster seconds this job run was charged: its wall time when real, the cost model's job start plus its iterations when simulated.</summary>
    public double ClusterSeconds { get; init; }

    /// <summary>In-job runs only: true when this step launched the job (first launch or restart), false for a window in the running job.</summary>
    public bool? JobLaunched { get; init; }

    /// <summary>In-job windows: whether the plugin's decision log showed the job applying this step's table (null: not checked).</summary>
    public bool? DecisionsVerified { get; init; }
}
