namespace CclAgent.Trace.Workflow;

/// <summary>All attempts of one step together: first start, last end, final status.</summary>
internal sealed record StepRun(string Id, string Type, IReadOnlyList<StepAttempt> Attempts)
{
    public StepAttempt Final => Attempts[^1];

    public DateTimeOffset Start => Attempts[0].Start;

    public DateTimeOffset End => Attempts.Max(a => a.End);

    /// <summary>Wall time the workflow spent on the step, retries included: what the critical path adds up.</summary>
    public double ElapsedMs => (End - Start).TotalMilliseconds;

    public bool Succeeded => WorkflowStatus.IsSuccess(Final.Status);

    public bool Failed => WorkflowStatus.IsFailure(Final.Status);

    public bool Skipped => WorkflowStatus.IsSkipped(Final.Status);
}
