namespace CclAgent.Simulation.Truth;

/// <summary>What happens when a job runs with a configuration.</summary>
public enum OutcomeKind
{
    Ok,

    /// <summary>NCCL rejects the settings at init or at the first collective.</summary>
    InitError,

    /// <summary>The job runs, but results are wrong (NaN loss, #wrong &gt; 0 in nccl-tests).</summary>
    Corrupted,

    /// <summary>NCCL's buffers do not fit in the GPU memory the job leaves free.</summary>
    OutOfMemory,

    /// <summary>A collective never completes; only a timeout ends the job.</summary>
    Hang,

    /// <summary>An injected transient fault (network flap) unrelated to the configuration.</summary>
    TransientFault,
}
