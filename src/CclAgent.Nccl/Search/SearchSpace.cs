using System.Globalization;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Nccl.Search;

/// <summary>
/// The discrete space the tuner, the baselines and the oracle all search: only values that are
/// NCCL accepts for this workload's collectives, and only knobs that act here (socket
/// knobs on TCP, QPs on verbs, cross-NIC with several NICs...). Channels are set as MIN = MAX.
/// Implementation dimensions (algorithm, protocol) split it into AutoCCL's subspaces.
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(IReadOnlyList<SearchDimension> dimensions) => Dimensions = dimensions;

    public IReadOnlyList<SearchDimension> Dimensions { get; }

    public const string Channels = "CHANNELS";

    public long Size => Dimensions.Aggregate(1L, (n, d) => n * d.Values.Count);

    public static SearchSpace For(NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops)
    {
        var dimensions = new List<SearchDimension>
        {
            new(ParameterSpace.Algo, AlgorithmValues(platform, ops), IsImplementation: true),
            new(ParameterSpace.Proto, ProtocolValues(platform), IsImplementation: true),
            new(ParameterSpace.NThreads, [null, "64", "128", "256", "512"], IsImplementation: false),
            new(ParameterSpace.BuffSize, [null, "524288", "1048576", "2097152", "8388608", "16777216"], IsImplementation: false),
            new(Channels, [null, .. TunerCells.Channels.Select(c => c.ToString(CultureInfo.InvariantCulture))], IsImplementation: false),
        };

        if (platform.Fabric == IntraFabric.Pcie && platform.GpusPerNode > 1)
        {
            dimensions.Add(new(ParameterSpace.P2PLevel, [null, "LOC", "PHB", "SYS"], IsImplementation: false));
        }

        if (platform.MultiNode && platform.GdrSupported)
        {
            dimensions.Add(new(ParameterSpace.NetGdrLevel, [null, "LOC", "PHB", "SYS"], IsImplementation: false));
        }

        if (platform.MultiNode && platform.UsesIbVerbs)
        {
            dimensions.Add(new(ParameterSpace.IbQps, [null, "2", "4", "8"], IsImplementation: false));
        }

        if (platform.MultiNode && platform.UsesSockets)
        {
            dimensions.Add(new(ParameterSpace.SocketNThreads, [null, "2", "4", "8"], IsImplementation: false));
            dimensions.Add(new(ParameterSpace.NSocksPerThread, [null, "2", "4", "8"], IsImplementation: false));
        }

        if (platform.MultiNode && platform.NicsPerNode > 1)
        {
            dimensions.Add(new(ParameterSpace.CrossNic, [null, "0", "1"], IsImplementation: false));
        }

        return new SearchSpace(dimensions);
    }

    /// <summary>The same space without some dimensions (they stay at NCCL's default).</summary>
    public SearchSpace Without(params string[] parameters) => new(Dimensions.Where(d => !parameters.Contains(d.Parameter)).ToList());

    public SearchDimension? Dimension(string parameter) => Dimensions.FirstOrDefault(d => d.Parameter == parameter);

    /// <summary>The config at the given value index of each dimension.</summary>
    public NcclConfig At(IReadOnlyList<int> indexes)
    {
        // Values are parsed once per dimension, not once per configuration: the whole-space walks build 10⁵ of them.
        _setters ??= Dimensions.Select(d => d.Values.Select(v => Setter(d.Parameter, v)).ToArray()).ToArray();
        NcclConfig config = NcclConfig.Default;
        for (int i = 0; i < Dimensions.Count; i++)
        {
            config = _setters[i][indexes[i]](config);
        }

        return config;
    }

    private Func<NcclConfig, NcclConfig>[][]? _setters;

    /// <summary>Sets one dimension's value on a configuration, with the value parsed here, once.</summary>
    private static Func<NcclConfig, NcclConfig> Setter(string parameter, string? value)
    {
        NcclConfig probe = Set(NcclConfig.Default, parameter, value);
        return parameter switch
        {
            Channels => c => c with { MinChannels = probe.MinChannels, MaxChannels = probe.MaxChannels },
            ParameterSpace.Algo => c => c with { Algorithm = probe.Algorithm },
            ParameterSpace.Proto => c => c with { Protocol = probe.Protocol },
            ParameterSpace.NThreads => c => c with { NThreads = probe.NThreads },
            ParameterSpace.BuffSize => c => c with { BuffSize = probe.BuffSize },
            ParameterSpace.P2PLevel => c => c with { P2PLevel = probe.P2PLevel },
            ParameterSpace.NetGdrLevel => c => c with { NetGdrLevel = probe.NetGdrLevel },
            ParameterSpace.IbQps => c => c with { IbQpsPerConnection = probe.IbQpsPerConnection },
            ParameterSpace.SocketNThreads => c => c with { SocketNThreads = probe.SocketNThreads },
            ParameterSpace.NSocksPerThread => c => c with { NSocksPerThread = probe.NSocksPerThread },
            ParameterSpace.CrossNic => c => c with { CrossNic = probe.CrossNic },
            _ => c => Set(c, parameter, value),
        };
    }

    /// <summary>The value indexes of a config (a value outside the grid maps to the default, index 0).</summary>
    public int[] IndexesOf(NcclConfig config) =>
        Dimensions.Select(d => Math.Max(0, d.IndexOf(Get(config, d.Parameter)))).ToArray();

    public static NcclConfig Set(NcclConfig config, string parameter, string? value) => parameter == Channels
        ? config with { MinChannels = ParseOrNull(value), MaxChannels = ParseOrNull(value) }
        : config.With(parameter, value);

    public static string? Get(NcclConfig config, string parameter) => parameter == Channels
        ? config.MaxChannels?.ToString(CultureInfo.InvariantCulture)
        : ParameterSpace.TryGet(parameter, out ParameterDefinition? definition) ? definition.Read(config) : null;

    /// <summary>Every configuration of the space, in a fixed order.</summary>
    public IEnumerable<NcclConfig> Enumerate()
    {
        int[] indexes = new int[Dimensions.Count];
        while (true)
        {
            NcclConfig config = At(indexes);
            if (config.SocketNThreads.GetValueOrDefault(1) * config.NSocksPerThread.GetValueOrDefault(1) <= 64)
            {
                yield return config;
            }

            int d = 0;
            while (d < indexes.Length && ++indexes[d] == Dimensions[d].Values.Count)
            {
                indexes[d++] = 0;
            }

            if (d == indexes.Length)
            {
                yield break;
            }
        }
    }

    private static List<string?> AlgorithmValues(NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops)
    {
        var values = new List<string?> { null };
        foreach (NcclAlgorithm algorithm in TunerCells.Algorithms)
        {
            if (ops.All(op => Availability.Supports(algorithm, op, platform)))
            {
                values.Add(algorithm.ToString());
            }
        }

        return values;
    }

    private static IReadOnlyList<string?> ProtocolValues(NcclPlatform platform)
    {
        // LL128 stays in the space even where NCCL disables it: the risk scorer, not the grid,
        // is what keeps a hazardous value from being applied, and it says why in the candidate trace.
        _ = platform;
        return [null, "LL", "LL128", "Simple"];
    }

    private static int? ParseOrNull(string? value) => value is null ? null : int.Parse(value, CultureInfo.InvariantCulture);
}
