using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// CUDA out of memory with its sizes: the current PyTorch message (<c>Tried to allocate 546.00 MiB. GPU 0 has a
/// total capacity of 15.77 GiB of which 514.19 MiB is free … 736.86 MiB is reserved by PyTorch but unallocated</c>),
/// the old one (<c>(GPU 0; 10.92 GiB total capacity; 8.57 MiB already allocated; 9.28 GiB free; …)</c>), and
/// NCCL's <c>Cuda failure 'out of memory'</c>.
/// </summary>
internal sealed partial class CudaOomMatcher() : LineMatcher("out of memory", "OutOfMemoryError", "CUBLAS_STATUS_ALLOC_FAILED")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match current = Current().Match(line);
        if (current.Success)
        {
            sink.Add(Signals.CudaOom, context, line, Facts(current, "tried_to_allocate", "gpu", "total_capacity", "free", "allocated_by_pytorch", "reserved_unallocated"));
            return true;
        }

        Match old = Old().Match(line);
        if (old.Success)
        {
            sink.Add(Signals.CudaOom, context, line, Facts(old, "tried_to_allocate", "gpu", "total_capacity", "already_allocated", "free"));
            return true;
        }

        if (line.Contains("Cuda failure", StringComparison.OrdinalIgnoreCase) && line.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        {
            sink.Add(Signals.NcclCudaOom, context, line);
            return true;
        }

        if (Generic().IsMatch(line))
        {
            sink.Add(Signals.CudaOom, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"CUDA out of memory\. Tried to allocate (?<tried_to_allocate>[\d.]+ [KMGT]?i?B)\. GPU (?<gpu>\d+) has a total capacity of (?<total_capacity>[\d.]+ [KMGT]?i?B) of which (?<free>[\d.]+ [KMGT]?i?B) is free(?:.*?Of the allocated memory (?<allocated_by_pytorch>[\d.]+ [KMGT]?i?B) is allocated by PyTorch.*?(?<reserved_unallocated>[\d.]+ [KMGT]?i?B) is reserved by PyTorch but unallocated)?")]
    private static partial Regex Current();

    [GeneratedRegex(@"CUDA out of memory\. Tried to allocate (?<tried_to_allocate>[\d.]+ [KMGT]?i?B) \(GPU (?<gpu>\d+); (?<total_capacity>[\d.]+ [KMGT]?i?B) total capacity; (?<already_allocated>[\d.]+ [KMGT]?i?B) already allocated; (?<free>[\d.]+ [KMGT]?i?B) free")]
    private static partial Regex Old();

    [GeneratedRegex(@"CUDA out of memory|CUDA error: out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED|cudaErrorMemoryAllocation")]
    private static partial Regex Generic();
}
