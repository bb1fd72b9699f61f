namespace CclAgent.Tuning.Offline;

/// <summary>
/// One sweep the microbenchmark weighed (a whole subspace when <see cref="Parameter"/> is null, else one parameter in it):
/// the cluster seconds it could plausibly save over the job's remaining iterations, what its runs cost, and whether it ran.
/// </summary>
internal sealed record SweepDecision(string Collective, string Subspace, string? Parameter, int Runs, double ExpectedSavingSeconds, double CostSeconds, bool Measured);
