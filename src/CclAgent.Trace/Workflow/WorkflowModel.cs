namespace CclAgent.Trace.Workflow;

#pragma warning disable SA1402

/// <summary>One attempt of one step, as the execution trace recorded it.</summary>
internal sealed record StepAttempt(
    string TraceId, string StepId, string StepType, DateTimeOffset Start, DateTimeOffset End, string Status,
    IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, double> Resources,
    IReadOnlyList<string> DependenciesFailed)
{
    public double DurationMs => (End - Start).TotalMilliseconds;
}

/// <summary>A step as the workflow definition declares it.</summary>
internal sealed record StepDefinition(string Id, string Type, IReadOnlyList<string> Dependencies, double? ExpectedDurationMs, IReadOnlyDictionary<string, double> Requirements);

/// <summary>What earlier runs of a step looked like.</summary>
internal sealed record StepBaseline(double? DurationP50Ms, double? DurationP95Ms, double? SuccessRate);

/// <summary>An execution with its (optional) definition and baselines.</summary>
internal sealed record WorkflowExecution(
    string ExecutionId, string WorkflowName, DateTimeOffset? Start, DateTimeOffset? End, string Status,
    IReadOnlyList<StepAttempt> Attempts, IReadOnlyDictionary<string, StepDefinition> Definition,
    IReadOnlyDictionary<string, StepBaseline> Baselines);
