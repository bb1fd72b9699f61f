using CclAgent.Diagnosis.Classification;

namespace CclAgent.Incident.Classification;

/// <summary>diagnose's categories plus four a serving node has (docs/incident.md, "Categories").</summary>
public static class IncidentCategory
{
    public const string KvCacheExhaustion = "kv_cache_exhaustion";
    public const string SchedulerOverload = "scheduler_overload";
    public const string EngineStartupHang = "engine_startup_hang";
    public const string GpuThrottling = "gpu_throttling";

    public static IReadOnlyList<string> All { get; } = [.. FailureCategory.All, KvCacheExhaustion, SchedulerOverload, EngineStartupHang, GpuThrottling];

    /// <summary>Faults of the node itself: no configuration change heals them, the fix is a node action.</summary>
    public static bool IsNodeFault(string category) => category is FailureCategory.GpuXid or FailureCategory.EccUncorrectable
        or FailureCategory.CpuSoftLockup or FailureCategory.HungTask or FailureCategory.HostOom or FailureCategory.IbNetworkError
        or FailureCategory.SocketNetworkError or FailureCategory.BootstrapInterface or FailureCategory.P2pHang or FailureCategory.ShmExhausted
        or GpuThrottling;
}
