namespace CclAgent.Diagnosis.Classification;

/// <summary>Who owns a fault: the training job (workload) or the machines and network (infrastructure).</summary>
public static class FailureDomain
{
    public const string Workload = "workload";
    public const string Infrastructure = "infrastructure";
    public const string Unknown = "unknown";
}
