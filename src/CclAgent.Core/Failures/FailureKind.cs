using System.Text.Json.Serialization;

namespace CclAgent.Core.Failures;

/// <summary>
/// Why a job run failed, as every runner reports it and as <c>diagnose</c> reads it
/// (docs/running-real-jobs.md, "Failure classes"). <see cref="FailureClass"/> adds the exit code or signal.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailureKind>))]
public enum FailureKind
{
    /// <summary>The class was not recognised.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>The step ran past its timeout (or hung) and its process tree was killed.</summary>
    [JsonStringEnumMemberName("timeout")]
    Timeout,

    /// <summary>The job printed an NCCL error line.</summary>
    [JsonStringEnumMemberName("nccl_error")]
    NcclError,

    /// <summary>NCCL failed while creating the communicator.</summary>
    [JsonStringEnumMemberName("nccl_init_error")]
    NcclInitError,

    /// <summary>The job reported wrong results (NaN, a failed check).</summary>
    [JsonStringEnumMemberName("result_corruption")]
    ResultCorruption,

    /// <summary>CUDA ran out of device memory.</summary>
    [JsonStringEnumMemberName("cuda_oom")]
    CudaOom,

    /// <summary>A network flap that says nothing about the configuration.</summary>
    [JsonStringEnumMemberName("transient_network")]
    TransientNetwork,

    /// <summary>The job exited 0 but printed no iteration times.</summary>
    [JsonStringEnumMemberName("no_metrics")]
    NoMetrics,

    /// <summary>The program could not be started.</summary>
    [JsonStringEnumMemberName("start_failed")]
    StartFailed,

    /// <summary>The job exited with a non-zero code (<c>exit_code_&lt;n&gt;</c>).</summary>
    [JsonStringEnumMemberName("exit_code")]
    ExitCode,

    /// <summary>The job was killed by a signal (<c>signal_&lt;n&gt;</c>).</summary>
    [JsonStringEnumMemberName("signal")]
    Signal,

    /// <summary>The step was measured slower than the service-level limit.</summary>
    [JsonStringEnumMemberName("sla_breach")]
    SlaBreach,

    /// <summary>
    /// The job printed iteration times that cannot be real (negative, zero, non-finite, or outside
    /// <c>MeasurementBounds</c>): a broken clock or metrics bug, never a fast configuration.
    /// </summary>
    [JsonStringEnumMemberName("implausible_metrics")]
    ImplausibleMetrics,
}
