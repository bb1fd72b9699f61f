using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// The exact, lowercase names NCCL's example plugin reads (plugins/tuner/example/plugin.c). The plugin maps an
/// unknown name silently to allreduce / ring / simple; ccl-agent refuses it instead.
/// </summary>
public static class TunerConfNames
{
    private static readonly (string Name, CollectiveOp Op)[] Ops =
    [
        ("broadcast", CollectiveOp.Broadcast), ("reduce", CollectiveOp.Reduce), ("allgather", CollectiveOp.AllGather),
        ("reducescatter", CollectiveOp.ReduceScatter), ("allreduce", CollectiveOp.AllReduce),
    ];

    private static readonly (string Name, NcclAlgorithm Algorithm)[] Algorithms =
    [
        ("tree", NcclAlgorithm.Tree), ("ring", NcclAlgorithm.Ring), ("collnet_direct", NcclAlgorithm.CollnetDirect),
        ("collnet_chain", NcclAlgorithm.CollnetChain), ("nvls", NcclAlgorithm.Nvls), ("nvls_tree", NcclAlgorithm.NvlsTree), ("pat", NcclAlgorithm.Pat),
    ];

    private static readonly (string Name, NcclProtocol Protocol)[] Protocols =
    [
        ("ll", NcclProtocol.LL), ("ll128", NcclProtocol.LL128), ("simple", NcclProtocol.Simple),
    ];

    public static string OpName(CollectiveOp op) => Ops.First(o => o.Op == op).Name;

    public static string AlgorithmName(NcclAlgorithm algorithm) => Algorithms.First(a => a.Algorithm == algorithm).Name;

    public static string ProtocolName(NcclProtocol protocol) => Protocols.First(p => p.Protocol == protocol).Name;

    public static bool TryParseOp(string name, out CollectiveOp op) => TryFind(Ops, name, out op);

    public static bool TryParseAlgorithm(string name, out NcclAlgorithm algorithm) => TryFind(Algorithms, name, out algorithm);

    public static bool TryParseProtocol(string name, out NcclProtocol protocol) => TryFind(Protocols, name, out protocol);

    public static string OpNames => string.Join(", ", Ops.Select(o => o.Name));

    public static string AlgorithmNames => string.Join(", ", Algorithms.Select(a => a.Name));

    public static string ProtocolNames => string.Join(", ", Protocols.Select(p => p.Name));

    private static bool TryFind<T>((string Name, T Value)[] table, string name, out T value)
    {
        foreach ((string candidate, T item) in table)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                value = item;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
