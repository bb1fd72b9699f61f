using CclAgent.Core.Runs;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Tuning.Advice;
using CclAgent.Tuning.Diagnosis;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Knowledge;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Progress;
using CclAgent.Tuning.Truth;

namespace CclAgent.Tuning;

/// <summary>
/// Everything one tuning run works with. The agent sees the job, the benchmark, the model and diagnosis
/// only through these ports; CclAgent.Runtime's <c>TuningRun</c> builder assembles them for a mode.
/// </summary>
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
    public required IStepDiagnoser Diagnoser { get; init; }
    public required IKnowledgeSource Knowledge { get; init; }

    /// <summary>The simulator's truth; only where the job itself is simulated.</summary>
    public IDryRunTruth? Truth { get; init; }

    /// <summary>The language model, when one is configured; null runs the deterministic path only.</summary>
    public IModelAdvisor? Advisor { get; init; }
    public required IProgressSink Progress { get; init; }
    public required TimeProvider Time { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary><c>tune --resume</c>: where replaying the interrupted run's record ends; null for a fresh run.</summary>
    public Resuming.ResumePoint? Resume { get; init; }

    /// <summary>
    /// Signalled to stop after the step in progress (Slurm's <c>--signal=B:USR1@120</c> before preemption): the run
    /// ends <see cref="TuningOutcome.Preempted"/>, unfinished and resumable, instead of being killed mid-step.
    /// </summary>
    public CancellationToken StopAfterStep { get; init; }
}
