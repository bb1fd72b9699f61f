namespace CclAgent.Memory;

/// <summary>The values <see cref="TrialRecord.Kind"/> may take.</summary>
public static class TrialKinds
{
    public const string Baseline = "baseline";
    public const string Trial = "trial";
    public const string Confirm = "confirm";

    public static IReadOnlyList<string> All { get; } = [Baseline, Trial, Confirm];
}
