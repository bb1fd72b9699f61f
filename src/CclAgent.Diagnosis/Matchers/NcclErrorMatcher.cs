using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// NCCL's own error reports. <c>Duplicate GPU detected : rank 1 and rank 0 both on CUDA device 1a000</c> (two ranks
/// mapped to one GPU, printed by NCCL's WARN and again after PyTorch's "Last error:") names the device mapping as the
/// cause of the <c>ncclInvalidUsage</c> that follows it. <c>ncclInvalidUsage</c> means the job's NCCL settings or API use are wrong and starts a
/// failure; <c>ncclRemoteError</c> ("a remote process exiting prematurely"), <c>unhandled system error</c>,
/// <c>NCCL communicator was aborted</c> and torchrun's <c>ChildFailedError</c> report a failure that happened
/// elsewhere; any other <c>NCCL WARN</c> line is kept as context.
/// </summary>
internal sealed partial class NcclErrorMatcher() : LineMatcher("nccl", "DistBackendError", "ChildFailedError", "Duplicate GPU")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match duplicate = DuplicateGpu().Match(line);
        if (duplicate.Success)
        {
            sink.Add(Signals.NcclDuplicateGpu, context, line, Facts(duplicate, "rank", "other_rank", "device"));
            return true;
        }

        if (line.Contains("ncclInvalidUsage", StringComparison.Ordinal) || line.Contains("invalid usage", StringComparison.OrdinalIgnoreCase))
        {
            sink.Add(Signals.NcclInvalidUsage, context, line);
            return true;
        }

        if (Remote().IsMatch(line))
        {
            sink.Add(Signals.NcclRemoteError, context, line);
            return true;
        }

        if (line.Contains("unhandled system error", StringComparison.Ordinal) || line.Contains("ncclSystemError", StringComparison.Ordinal))
        {
            sink.Add(Signals.NcclSystemError, context, line);
            return true;
        }

        Match error = Error().Match(line);
        if (error.Success)
        {
            sink.Add(Signals.NcclError, context, line, Facts(error, "error"));
            return true;
        }

        if (line.Contains("ChildFailedError", StringComparison.Ordinal))
        {
            sink.Add(Signals.ChildFailed, context, line);
            return true;
        }

        if (line.Contains("NCCL WARN", StringComparison.Ordinal))
        {
            sink.Add(Signals.NcclWarn, context, line);
            return true;
        }

        // A clean init (older NCCL prints no "Init COMPLETE", its last setup line is the CPU affinity): with nothing after
        // it, the hang is in the first collectives (the P2P-hang rule reads it).
        if (line.Contains("Init COMPLETE", StringComparison.Ordinal) || line.Contains("NCCL INFO Setting affinity for GPU", StringComparison.Ordinal))
        {
            sink.Add(Signals.NcclInitComplete, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"Duplicate GPU detected\s*:\s*rank (?<rank>\d+) and rank (?<other_rank>\d+) both on CUDA device (?<device>[0-9a-fA-F]+)")]
    private static partial Regex DuplicateGpu();

    [GeneratedRegex(@"ncclRemoteError|remote process exiting prematurely|remote process exited", RegexOptions.IgnoreCase)]
    private static partial Regex Remote();

    [GeneratedRegex(@"NCCL error in: \S+, (?<error>[^(,]+)|(?<error>ncclSystemError|ncclInternalError|ncclUnhandledCudaError|unhandled system error|unhandled cuda error|NCCL communicator was aborted)")]
    private static partial Regex Error();
}
