using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CclAgent.Nccl.Parameters;

/// <summary>
/// The NCCL parameters ccl-agent tunes, with their ranges and defaults (NCCL 2.2x env docs and
/// src/graph/tuning.cc, src/enqueue.cc at NVIDIA/nccl 5067397c; the table is in docs/configuration.md).
/// Cross-parameter rules live in <see cref="ConfigValidator"/>.
/// </summary>
public static class ParameterSpace
{
    public const string Algo = "NCCL_ALGO";
    public const string Proto = "NCCL_PROTO";
    public const string NThreads = "NCCL_NTHREADS";
    public const string BuffSize = "NCCL_BUFFSIZE";
    public const string MinChannels = "NCCL_MIN_NCHANNELS";
    public const string MaxChannels = "NCCL_MAX_NCHANNELS";
    public const string P2PLevel = "NCCL_P2P_LEVEL";
    public const string NetGdrLevel = "NCCL_NET_GDR_LEVEL";
    public const string IbQps = "NCCL_IB_QPS_PER_CONNECTION";
    public const string SocketNThreads = "NCCL_SOCKET_NTHREADS";
    public const string NSocksPerThread = "NCCL_NSOCKS_PERTHREAD";
    public const string CrossNic = "NCCL_CROSS_NIC";

    private static readonly string[] PathLevels = ["LOC", "NVL", "PIX", "PXB", "PHB", "SYS"];

    public static IReadOnlyList<ParameterDefinition> Definitions { get; } =
    [
        new()
        {
            Name = Algo, Kind = ParameterKind.Choice, NcclDefault = "chosen per collective by NCCL's cost model",
            Description = "Collective algorithm. Ring pipelines through all ranks (bandwidth-optimal); Tree halves latency across nodes; NVLS uses NVSwitch SHARP.",
            Choices = Enum.GetNames<NcclAlgorithm>(),
            Read = c => c.Algorithm?.ToString(), Write = (c, v) => c with { Algorithm = v is null ? null : Enum.Parse<NcclAlgorithm>(v, true) },
        },
        new()
        {
            Name = Proto, Kind = ParameterKind.Choice, NcclDefault = "chosen per collective by NCCL's cost model",
            Description = "Wire protocol. LL: 8-byte flag+data stores, lowest latency, 50% bandwidth. LL128: 120/128 efficiency, needs NVLink-class ordering. Simple: full bandwidth, highest latency.",
            Choices = Enum.GetNames<NcclProtocol>(),
            Read = c => c.Protocol?.ToString(), Write = (c, v) => c with { Protocol = v is null ? null : Enum.Parse<NcclProtocol>(v, true) },
        },
        new()
        {
            Name = NThreads, Kind = ParameterKind.Number, Min = 64, Max = 512, NcclDefault = "512 (256 for Ring/Simple on slow PCIe rings)",
            Description = "CUDA threads per channel block for LL and Simple. Must be a multiple of 32; powers of two are the only safe values.",
            Read = c => Format(c.NThreads), Write = (c, v) => c with { NThreads = ParseInt(v) },
        },
        new()
        {
            Name = BuffSize, Kind = ParameterKind.Number, Min = 65536, Max = 1L << 30, NcclDefault = "4194304 (4 MiB)",
            Description = "Simple-protocol buffer per channel and peer; the pipeline chunk is BUFFSIZE/8 × 4 steps. Powers of two only.",
            Read = c => Format(c.BuffSize), Write = (c, v) => c with { BuffSize = ParseLong(v) },
        },
        new()
        {
            Name = MinChannels, Kind = ParameterKind.Number, Min = 1, Max = 64, NcclDefault = "topology dependent",
            Description = "Lower bound on channels (CTAs, one SM each) per communicator. Alias NCCL_MIN_CTAS since 2.17.",
            Aliases = ["NCCL_MIN_CTAS"],
            Read = c => Format(c.MinChannels), Write = (c, v) => c with { MinChannels = ParseInt(v) },
        },
        new()
        {
            Name = MaxChannels, Kind = ParameterKind.Number, Min = 1, Max = 64, NcclDefault = "topology dependent (≤ 64)",
            Description = "Upper bound on channels per communicator; fewer channels leave SMs to overlapped compute. Alias NCCL_MAX_CTAS.",
            Aliases = ["NCCL_MAX_CTAS"],
            Read = c => Format(c.MaxChannels), Write = (c, v) => c with { MaxChannels = ParseInt(v) },
        },
        new()
        {
            Name = P2PLevel, Kind = ParameterKind.Choice, NcclDefault = "PXB (SYS on AMD CPUs with ≤ 2 GPUs)",
            Description = "Farthest PCIe distance at which GPUs use direct P2P; beyond it they go through host shared memory.",
            Choices = PathLevels,
            Read = c => c.P2PLevel?.ToString(), Write = (c, v) => c with { P2PLevel = v is null ? null : Enum.Parse<PathLevel>(v, true) },
        },
        new()
        {
            Name = NetGdrLevel, Kind = ParameterKind.Choice, NcclDefault = "PXB",
            Description = "Farthest distance between GPU and NIC at which GPUDirect RDMA is used; beyond it data is staged through host memory.",
            Choices = ["LOC", "PIX", "PXB", "PHB", "SYS"],
            Read = c => c.NetGdrLevel?.ToString(), Write = (c, v) => c with { NetGdrLevel = v is null ? null : Enum.Parse<PathLevel>(v, true) },
        },
        new()
        {
            Name = IbQps, Kind = ParameterKind.Number, Min = 1, Max = 128, NcclDefault = "1",
            Description = "Queue pairs per IB/RoCE connection; more QPs spread traffic over ECMP paths.",
            Read = c => Format(c.IbQpsPerConnection), Write = (c, v) => c with { IbQpsPerConnection = ParseInt(v) },
        },
        new()
        {
            Name = SocketNThreads, Kind = ParameterKind.Number, Min = 1, Max = 16, NcclDefault = "1 (2 on AWS, 4 on GCP gVNIC)",
            Description = "CPU helper threads per socket connection (TCP transport only).",
            Read = c => Format(c.SocketNThreads), Write = (c, v) => c with { SocketNThreads = ParseInt(v) },
        },
        new()
        {
            Name = NSocksPerThread, Kind = ParameterKind.Number, Min = 1, Max = 64, NcclDefault = "1 (8 on AWS)",
            Description = "Sockets opened per helper thread (TCP transport only); SOCKET_NTHREADS × NSOCKS_PERTHREAD ≤ 64.",
            Read = c => Format(c.NSocksPerThread), Write = (c, v) => c with { NSocksPerThread = ParseInt(v) },
        },
        new()
        {
            Name = CrossNic, Kind = ParameterKind.Number, Min = 0, Max = 2, NcclDefault = "2 (prefer the same NIC, allow another if faster)",
            Description = "Whether rings/trees may use different NICs on different nodes: 0 never, 1 always allowed, 2 when faster.",
            Read = c => Format(c.CrossNic), Write = (c, v) => c with { CrossNic = ParseInt(v) },
        },
    ];

    /// <summary>The definitions in the ordinal order of their names (the order of <see cref="NcclConfig.ToAssignments"/>).</summary>
    public static IReadOnlyList<ParameterDefinition> DefinitionsByName { get; } = [.. Definitions.OrderBy(d => d.Name, StringComparer.Ordinal)];

    private static readonly Dictionary<string, ParameterDefinition> ByName = Definitions
        .SelectMany(d => d.Aliases.Prepend(d.Name).Select(name => (name, d)))
        .ToDictionary(x => x.name, x => x.d, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string name, [NotNullWhen(true)] out ParameterDefinition? definition) => ByName.TryGetValue(name, out definition);

    private static string? Format(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static int? ParseInt(string? value) => value is null ? null : int.Parse(value, CultureInfo.InvariantCulture);

    private static long? ParseLong(string? value) => value is null ? null : long.Parse(value, CultureInfo.InvariantCulture);
}
