namespace CclAgent.Bench.Results;

/// <summary>The cost model a scenario's runs were charged with (its <c>tuning_cost</c>, or the defaults from its scale).</summary>
public sealed record ScenarioCost(string Scenario, int Gpus, double JobStartSeconds, double MicrobenchmarkStartSeconds, double RemainingIterations);
