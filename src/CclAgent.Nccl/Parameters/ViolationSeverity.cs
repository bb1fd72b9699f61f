namespace CclAgent.Nccl.Parameters;

/// <summary>How bad a rule violation is for a job that runs with it.</summary>
public enum ViolationSeverity
{
    /// <summary>NCCL ignores or clamps the value; harmless but pointless.</summary>
    Warning,

    /// <summary>NCCL accepts it, but it is known to corrupt results, hang or exhaust memory.</summary>
    Hazard,

    /// <summary>NCCL rejects it: the job fails at init or at the first collective.</summary>
    Error,
}
