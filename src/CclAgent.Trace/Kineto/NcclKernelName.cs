namespace CclAgent.Trace.Kineto;

/// <summary>
/// Op, algorithm, protocol and dtype from an NCCL kernel name, in both families:
/// <c>ncclKernel_AllReduce_RING_LL_Sum_float</c> (before NCCL 2.19) and <c>ncclDevKernel_AllReduce_Sum_f32_RING_LL</c>.
/// </summary>
internal sealed record NcclKernelName(string Op, string Algorithm, string Protocol, string Dtype)
{
    private static readonly HashSet<string> Algorithms = new(StringComparer.Ordinal) { "RING", "TREE", "COLLNET", "COLLNET_DIRECT", "COLLNET_CHAIN", "NVLS", "NVLS_TREE", "PAT" };
    private static readonly HashSet<string> Protocols = new(StringComparer.Ordinal) { "LL", "LL128", "SIMPLE" };
    private static readonly HashSet<string> Reductions = new(StringComparer.Ordinal) { "Sum", "Prod", "Min", "Max", "PreMulSum", "SumPostDiv", "Avg" };

    /// <summary>
    /// Send/receive kernels pair two ranks whose peers the trace does not name, so the k-th of them on two ranks need
    /// not be one transfer: they are not matched as collective calls.
    /// </summary>
    public bool IsPointToPoint => Op is "sendrecv" or "send" or "recv";

    public static NcclKernelName Parse(string name)
    {
        string bare = name.Split('(')[0];
        string[] parts = bare.Split('_');
        string op = parts.Length > 1 ? parts[1].ToLowerInvariant() : bare;
        string algo = parts.FirstOrDefault(Algorithms.Contains) ?? "";
        string proto = parts.FirstOrDefault(Protocols.Contains) ?? "";
        int red = Array.FindIndex(parts, Reductions.Contains);
        string dtype = red >= 0 && red + 1 < parts.Length && !Algorithms.Contains(parts[red + 1]) ? string.Join('_', parts[(red + 1)..].TakeWhile(p => !Algorithms.Contains(p))) : "";
        return new NcclKernelName(op, algo, proto, dtype);
    }
}
