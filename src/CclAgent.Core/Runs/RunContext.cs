namespace CclAgent.Core.Runs;

/// <summary>run_context.json: who ran what, where and how, written at the start of a run and completed at the end.</summary>
public sealed record RunContext
{
    public required string RunId { get; init; }
    public required string Command { get; init; }
    public required string WorkloadName { get; init; }
    public required string WorkloadFile { get; init; }
    public required string Mode { get; init; }
    public required int Seed { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Running;
    public required string Host { get; init; }
    public required string AgentVersion { get; init; }
    public required IReadOnlyList<string> Argv { get; init; }
    public string? ContextSignature { get; init; }
    public string? MemoryPath { get; init; }
    public string? Provider { get; init; }
}
