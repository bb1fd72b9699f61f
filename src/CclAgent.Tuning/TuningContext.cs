using CclAgent.Core.Runs;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Knowledge;
using CclAgent.Memory;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Progress;

namespace CclAgent.Tuning;

/// <summary>Everything one tuning run works with, assembled by the CLI (the composition root).</summary>
public sealed record TuningContext
{
    public required WorkloadSpec Workload { get; init; }
    public required string WorkloadFile { get; init; }
    public required TuningOptions Options { get; init; }
    public required RunDirectory Run { get; init; }
    public required TraceWriter Trace { get; init; }
    public required IJobRunner Runner { get; init; }
    public required ICollectiveBenchmark Benchmark { get; init; }
    public required MemoryStore Memory { get; init; }
    public IDryRunTruth? Truth { get; init; }
    public required IProgressSink Progress { get; init; }
    public required TimeProvider Time { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The language model, when one is configured; null (or provider none) runs the deterministic path only.</summary>
    public LlmSession? Llm { get; init; }

    /// <summary>Knowledge notes for citations and prompts; null means the shipped notes only.</summary>
    public KnowledgeLibrary? Knowledge { get; init; }
}
