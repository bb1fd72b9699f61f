namespace CclAgent.Memory;

/// <summary>The values <see cref="TrialRecord.Status"/> may take.</summary>
public static class TrialStatuses
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string SlaBreach = "sla_breach";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Ok, Failed, SlaBreach, Rejected];
}
