using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Jobs;

/// <summary>One run of the job under a configuration: the compiled environment and how many iterations to measure.</summary>
public sealed record JobRequest(int Step, string Kind, NcclConfig Config, IReadOnlyList<KeyValuePair<string, string>> Environment, int Iterations, int WarmupIterations);
