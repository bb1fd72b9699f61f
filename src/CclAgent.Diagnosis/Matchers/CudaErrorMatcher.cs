using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// CUDA runtime errors other than OOM and ECC: a device-side assert (<c>Assertion `srcIndex &lt; srcSelectDimSize` failed</c>,
/// almost always an index out of range in the model's inputs), an illegal memory access, and the rest, which are
/// usually consequences. CUDA_LAUNCH_BLOCKING / TORCH_USE_CUDA_DSA advice is context, never evidence.
/// </summary>
internal sealed partial class CudaErrorMatcher() : LineMatcher("CUDA error", "device-side assert", "Assertion `", "illegal memory access", "cudaError")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match assertion = KernelAssertion().Match(line);
        if (assertion.Success || line.Contains("device-side assert triggered", StringComparison.Ordinal))
        {
            sink.Add(Signals.DeviceAssert, context, line, Facts(assertion, "kernel_source", "assertion"));
            return true;
        }

        if (line.Contains("illegal memory access", StringComparison.Ordinal))
        {
            sink.Add(Signals.IllegalAccess, context, line);
            return true;
        }

        Match other = Other().Match(line);
        if (other.Success)
        {
            sink.Add(Signals.CudaErrorOther, context, line, Facts(other, "error"));
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"(?<kernel_source>\S+\.cu:\d+)?.*Assertion `(?<assertion>[^`]+)` failed")]
    private static partial Regex KernelAssertion();

    [GeneratedRegex(@"CUDA error: (?<error>[^\r\n]+)|(?<error>cudaError\w+)")]
    private static partial Regex Other();
}
