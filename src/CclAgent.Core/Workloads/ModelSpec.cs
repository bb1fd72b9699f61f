namespace CclAgent.Core.Workloads;

/// <summary>What is being trained; part of the context signature used by memory.</summary>
public sealed record ModelSpec
{
    public string? Name { get; init; }
    public double? ParametersBillions { get; init; }
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public string Framework { get; set; } = "pytorch";

    /// <summary>Parallelism layout, e.g. {"tp": 8, "dp": 4}.</summary>
    public IReadOnlyDictionary<string, int>? Parallelism { get; init; }
}
