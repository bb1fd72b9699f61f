using CclAgent.Core.Runs;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Knowledge;
using CclAgent.Memory;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;
using CclAgent.Tuning;
using CclAgent.Tuning.Progress;

namespace CclAgent.Runtime;

/// <summary>What the caller (CLI, bench, a test) decides about one tune run; <see cref="TuningRun.For"/> turns it into a context.</summary>
public sealed record TuningRunRequest
{
    public required WorkloadSpec Workload { get; init; }
    public required string WorkloadFile { get; init; }
    public required TuningOptions Options { get; init; }
    public required RunDirectory Run { get; init; }
    public required TraceWriter Trace { get; init; }
    public required MemoryStore Memory { get; init; }
    public required TimeProvider Time { get; init; }

    /// <summary>The simulator's noise and faults wherever something is simulated; its seed is <see cref="TuningOptions.Seed"/>.</summary>
    public double NoiseSigma { get; init; } = SimulationOptions.DefaultNoiseSigma;
    public double TransientFaultRate { get; init; }

    /// <summary><c>--env NAME=VALUE</c>: applied last to the real job and the real microbenchmark.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; } = [];

    /// <summary>The language model session; null or a disabled provider runs the deterministic path only.</summary>
    public LlmSession? Llm { get; init; }
    public KnowledgeLibrary? Knowledge { get; init; }
    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary><c>--tuner-plugin</c>: the plugin a real <c>--in-job</c> run loads; null finds it (<see cref="InJob.TunerPluginLocator"/>).</summary>
    public string? TunerPluginPath { get; init; }

    /// <summary>A dry-run oracle already solved for this workload (bench shares one per scenario); solved on demand otherwise.</summary>
    public JointOracleResult? Oracle { get; init; }
}
