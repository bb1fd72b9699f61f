using CclAgent.Nccl.Platforms;

namespace CclAgent.Nccl.Parameters;

/// <summary>
/// Checks a configuration against NCCL's per-parameter ranges and the cross-parameter rules, and
/// reports every violation (it never stops at the first). Sources: NCCL env docs, enqueue.cc,
/// NVIDIA/nccl#698 (NTHREADS=480 and odd BUFFSIZE corrupt results), tuning.cc (LL128 enablement).
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<ConfigViolation> Validate(NcclConfig config, NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops)
    {
        var violations = new List<ConfigViolation>();
        CheckRanges(config, violations);
        CheckThreads(config, violations);
        CheckBuffer(config, violations);
        CheckChannels(config, violations);
        CheckSockets(config, platform, violations);
        CheckTransportKnobs(config, platform, violations);
        CheckAlgorithm(config, platform, ops, violations);
        CheckProtocol(config, platform, violations);
        return violations;
    }

    /// <summary>Validates raw env-style assignments: unknown names and syntax first, then the typed rules.</summary>
    public static IReadOnlyList<ConfigViolation> Validate(IReadOnlyDictionary<string, string> assignments, NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops)
    {
        var violations = new List<ConfigViolation>();
        var clean = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in assignments)
        {
            if (!ParameterSpace.TryGet(name, out ParameterDefinition? definition))
            {
                violations.Add(new([name], ViolationSeverity.Error, "unknown-parameter", "not a parameter ccl-agent tunes"));
                continue;
            }

            string? problem = definition.Kind == ParameterKind.Number ? NumberSyntax(definition, value) : definition.CheckSyntax(value);
            if (problem is not null)
            {
                violations.Add(new([definition.Name], ViolationSeverity.Error, "syntax", problem));
                continue;
            }

            clean[definition.Name] = value;
        }

        violations.AddRange(Validate(NcclConfig.FromAssignments(clean), platform, ops));
        return violations;
    }

    /// <summary>
    /// An integer is syntactically fine even out of range (the typed rules grade that), unless it
    /// does not fit the config's int fields: parsing it would throw instead of reporting.
    /// </summary>
    private static string? NumberSyntax(ParameterDefinition definition, string value)
    {
        if (!long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long number))
        {
            return $"'{value}' is not an integer";
        }

        return number is < int.MinValue or > int.MaxValue ? definition.CheckSyntax(value) : null;
    }

    public static bool IsRunnable(IReadOnlyList<ConfigViolation> violations) =>
        violations.All(v => v.Severity == ViolationSeverity.Warning);

    private static void CheckRanges(NcclConfig config, List<ConfigViolation> violations)
    {
        foreach (ParameterDefinition definition in ParameterSpace.Definitions.Where(d => d.Kind == ParameterKind.Number))
        {
            string? value = definition.Read(config);
            if (value is not null && definition.CheckSyntax(value) is string problem)
            {
                // NCCL clamps channel and thread counts, and rejects the rest at init.
                ViolationSeverity severity = definition.Name is ParameterSpace.NThreads or ParameterSpace.MinChannels or ParameterSpace.MaxChannels
                    ? ViolationSeverity.Warning
                    : ViolationSeverity.Error;
                violations.Add(new([definition.Name], severity, "range", problem + (severity == ViolationSeverity.Warning ? "; NCCL clamps it" : string.Empty)));
            }
        }
    }

    private static void CheckThreads(NcclConfig config, List<ConfigViolation> violations)
    {
        if (config.NThreads is not int threads)
        {
            return;
        }

        if (threads % 32 != 0)
        {
            violations.Add(new([ParameterSpace.NThreads], ViolationSeverity.Error, "threads-warp-multiple", $"{threads} is not a multiple of the warp size 32"));
        }
        else if (!IsPowerOfTwo(threads))
        {
            violations.Add(new([ParameterSpace.NThreads], ViolationSeverity.Hazard, "threads-power-of-two",
                $"{threads} threads is not a power of two; NTHREADS=480 with Simple gave wrong results (NVIDIA/nccl#698)"));
        }
    }

    private static void CheckBuffer(NcclConfig config, List<ConfigViolation> violations)
    {
        if (config.BuffSize is long size && size > 0 && !IsPowerOfTwo(size))
        {
            violations.Add(new([ParameterSpace.BuffSize], ViolationSeverity.Hazard, "buffsize-power-of-two",
                $"{size} is not a power of two; uneven buffers gave wrong results (NVIDIA/nccl#698)"));
        }
    }

    private static void CheckChannels(NcclConfig config, List<ConfigViolation> violations)
    {
        if (config.MinChannels is int min && config.MaxChannels is int max && min > max)
        {
            violations.Add(new([ParameterSpace.MinChannels, ParameterSpace.MaxChannels], ViolationSeverity.Error, "channels-min-le-max",
                $"NCCL_MIN_NCHANNELS={min} exceeds NCCL_MAX_NCHANNELS={max}"));
        }
    }

    private static void CheckSockets(NcclConfig config, NcclPlatform platform, List<ConfigViolation> violations)
    {
        int threads = config.SocketNThreads ?? 1;
        int socks = config.NSocksPerThread ?? 1;
        if (threads * socks > 64)
        {
            violations.Add(new([ParameterSpace.SocketNThreads, ParameterSpace.NSocksPerThread], ViolationSeverity.Error, "sockets-product-le-64",
                $"SOCKET_NTHREADS × NSOCKS_PERTHREAD = {threads * socks} exceeds 64"));
        }

        if ((config.SocketNThreads is not null || config.NSocksPerThread is not null) && !platform.UsesSockets)
        {
            violations.Add(new([ParameterSpace.SocketNThreads, ParameterSpace.NSocksPerThread], ViolationSeverity.Warning, "sockets-unused",
                "socket knobs have no effect: this cluster does not use the TCP socket transport"));
        }
    }

    private static void CheckTransportKnobs(NcclConfig config, NcclPlatform platform, List<ConfigViolation> violations)
    {
        if (config.IbQpsPerConnection is not null && !platform.UsesIbVerbs)
        {
            violations.Add(new([ParameterSpace.IbQps], ViolationSeverity.Warning, "qps-unused", "QP count has no effect without an IB/RoCE transport"));
        }

        if (config.CrossNic is not null && (platform.NicsPerNode < 2 || !platform.MultiNode))
        {
            violations.Add(new([ParameterSpace.CrossNic], ViolationSeverity.Warning, "cross-nic-unused", "cross-NIC only matters with several NICs per node and several nodes"));
        }

        if (config.NetGdrLevel is not null && (!platform.MultiNode || !platform.GdrSupported))
        {
            violations.Add(new([ParameterSpace.NetGdrLevel], ViolationSeverity.Warning, "gdr-unused", "GPUDirect RDMA level has no effect: no GDR-capable network in this job"));
        }

        if (config.P2PLevel is PathLevel level && level > PathLevel.PXB && platform.AcsEnabled && platform.Fabric == IntraFabric.Pcie)
        {
            violations.Add(new([ParameterSpace.P2PLevel], ViolationSeverity.Hazard, "p2p-through-acs",
                $"P2P_LEVEL={level} forces peer traffic through a root complex with ACS/IOMMU redirection, which hangs"));
        }
    }

    private static void CheckAlgorithm(NcclConfig config, NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops, List<ConfigViolation> violations)
    {
        if (config.Algorithm is not NcclAlgorithm algorithm)
        {
            return;
        }

        if (algorithm is NcclAlgorithm.CollnetDirect or NcclAlgorithm.CollnetChain)
        {
            violations.Add(new([ParameterSpace.Algo], ViolationSeverity.Error, "algo-unavailable", $"{algorithm} needs a CollNet (SHARP) network plugin, which this cluster lacks"));
            return;
        }

        if (algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree && !platform.NvlsSupported)
        {
            violations.Add(new([ParameterSpace.Algo], ViolationSeverity.Error, "algo-unavailable", $"{algorithm} needs NVSwitch on Hopper or newer"));
            return;
        }

        if (algorithm == NcclAlgorithm.NvlsTree && !platform.MultiNode)
        {
            violations.Add(new([ParameterSpace.Algo], ViolationSeverity.Error, "algo-unavailable", "NVLSTree needs more than one node"));
            return;
        }

        foreach (CollectiveOp op in ops.Where(op => !Availability.Supports(algorithm, op, platform)))
        {
            violations.Add(new([ParameterSpace.Algo], ViolationSeverity.Error, "algo-op-unavailable",
                $"NCCL_ALGO={algorithm} offers no algorithm for {op}: NCCL fails with 'no algorithm/protocol available'"));
        }
    }

    private static void CheckProtocol(NcclConfig config, NcclPlatform platform, List<ConfigViolation> violations)
    {
        if (config.Protocol == NcclProtocol.LL128 && !platform.Ll128Supported)
        {
            violations.Add(new([ParameterSpace.Proto], ViolationSeverity.Hazard, "ll128-unsupported",
                "LL128 is not enabled by NCCL on this platform (PCIe or pre-Ampere); forcing it can corrupt data (NCCL env docs)"));
        }

        if (config.Protocol is NcclProtocol protocol && protocol != NcclProtocol.Simple && config.Algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree)
        {
            violations.Add(new([ParameterSpace.Algo, ParameterSpace.Proto], ViolationSeverity.Error, "nvls-simple-only", "NVLS runs only with the Simple protocol"));
        }
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;
}
