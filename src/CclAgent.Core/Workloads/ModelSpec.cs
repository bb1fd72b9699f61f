namespace CclAgent.Core.Workloads;

/// <summary>What is being trained; part of the context signature used by memory.</summary>
public sealed record ModelSpec
{
    public string? Name { get; init; }
    public double? ParametersBillions { get; init; }
    public string Framework { get; init; } = "pytorch";

    /// <summary>Parallelism layout, e.g. {"tp": 8, "dp": 4}.</summary>
    public IReadOnlyDictionary<string, int>? Parallelism { get; init; }
}
