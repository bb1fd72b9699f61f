namespace CclAgent.Simulation.Truth;

/// <summary>The outcome of running a configuration, with the error text a real job would print.</summary>
public sealed record Outcome(OutcomeKind Kind, string? Message = null, string? Rule = null)
{
    public static Outcome Ok { get; } = new(OutcomeKind.Ok);

    public bool IsOk => Kind == OutcomeKind.Ok;
}
