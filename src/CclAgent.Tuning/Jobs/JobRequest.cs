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

    /// <summary>
    /// In-job: iterations a window inside the running job measures (a table switch is cheap, so windows are short);
    /// a run that (re)starts the job pays the start anyway and measures <see cref="Iterations"/>. Null: always <see cref="Iterations"/>.
    /// </summary>
    public int? WindowIterations { get; init; }
}
