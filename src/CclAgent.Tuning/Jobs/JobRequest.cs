using CclAgent.Core.Steps;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Jobs;

/// <summary>
/// One run of the job under a configuration: the compiled environment and how many iterations to measure.
/// <see cref="Kind"/> is the tuning step's kind, or null for a microbenchmark run.
/// </summary>
public sealed record JobRequest(int Step, StepKind? Kind, NcclConfig Config, IReadOnlyList<KeyValuePair<string, string>> Environment, int Iterations, int WarmupIterations)
{
    /// <summary>Called with each iteration time as the job reports it (before warm-up is dropped), for a supervisor that measures a running job in windows.</summary>
    public Action<double>? OnIteration { get; init; }
}
