using System.Collections;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Tuning.Offline;

namespace CclAgent.Tuning.Search;

/// <summary>
/// The whole-space walk without building the space: per collective, the base time of each subspace and the sweep
/// ratio of each dimension's values are looked up once into arrays, and every configuration's prediction is the same
/// products and sums Predict computes, in the same order, so the ranking is Predict's bit for bit.
/// </summary>
internal sealed partial class IterationSurrogate
{
    /// <summary>Larger spaces are not walked here (their ordinals would not fit the arrays).</summary>
    private const long MaxWalkedSize = 1L << 30;

    /// <summary>
    /// Every configuration of <paramref name="space"/> with a finite predicted mean, fastest first, ties in
    /// Enumerate's order: what ordering Enumerate by Predict(c).Mean gives. Null where the tables cannot reproduce
    /// Predict (a fitted residual model, or a space or default configuration they do not describe); then walk it.
    /// </summary>
    public IReadOnlyList<NcclConfig>? RankSpace(SearchSpace space, CancellationToken cancellationToken = default)
    {
        if (_residuals.Fitted || space.Size > MaxWalkedSize || WalkTables.Build(this, space) is not { } tables)
        {
            return null;
        }

        var ranked = new List<(double Mean, long Ordinal, double Raw)>();
        int[] indexes = new int[space.Dimensions.Count];
        double correction = Math.Exp(_residuals.Prior.Mean);
        for (long ordinal = 0; ordinal < space.Size; ordinal++)
        {
            if ((ordinal & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (tables.Admitted(indexes))
            {
                double microbench = tables.MicrobenchIterationMs(indexes, _computeMs, _smCount);
                double raw = _crossRunPrior is null || !double.IsFinite(microbench) ? microbench : BlendCrossRunPrior(space.At(indexes), microbench);
                double anchored = _anchor * raw;
                double mean = double.IsFinite(anchored) ? anchored * correction : double.PositiveInfinity;
                if (double.IsFinite(mean))
                {
                    ranked.Add((mean, ordinal, raw));
                }
            }

            Advance(indexes, space);
        }

        // Mean, then ordinal: exactly the stable OrderBy over Enumerate's order.
        ranked.Sort(static (a, b) => a.Mean != b.Mean ? a.Mean.CompareTo(b.Mean) : a.Ordinal.CompareTo(b.Ordinal));
        return new RankedConfigurations(this, space, ranked.Select(r => (r.Ordinal, r.Raw)).ToArray());
    }

    /// <summary>Enumerate's odometer: the first dimension turns fastest.</summary>
    private static void Advance(int[] indexes, SearchSpace space)
    {
        int d = 0;
        while (d < indexes.Length && ++indexes[d] == space.Dimensions[d].Values.Count)
        {
            indexes[d++] = 0;
        }
    }

    /// <summary>Per-collective lookups by value index, built once per walk from the surrogate's own rules.</summary>
    private sealed class WalkTables
    {
        private readonly int _algoDim;
        private readonly int _protoDim;
        private readonly int _protoCount;
        private readonly int _channelsDim;
        private readonly int?[] _channels = [];
        private readonly int[] _resourceDims = [];
        private readonly int[][] _socketFactor = [];
        private readonly CollectiveProfile[] _profiles = [];

        /// <summary>[profile][subspace]: base µs, ∞ where it failed.</summary>
        private readonly double[][] _baseUs = [];

        /// <summary>[profile][subspace][resource dimension in multiplication order][value]: ratio, 1 for an unset value, ∞ for a failed one.</summary>
        private readonly double[][][][] _ratios = [];

        private WalkTables(int algoDim, int protoDim, int protoCount, int channelsDim) =>
            (_algoDim, _protoDim, _protoCount, _channelsDim) = (algoDim, protoDim, protoCount, channelsDim);

        private WalkTables(WalkTables shape, int?[] channels, int[] resourceDims, int[][] socketFactor, CollectiveProfile[] profiles, double[][] baseUs, double[][][][] ratios)
            : this(shape._algoDim, shape._protoDim, shape._protoCount, shape._channelsDim) =>
            (_channels, _resourceDims, _socketFactor, _profiles, _baseUs, _ratios) = (channels, resourceDims, socketFactor, profiles, baseUs, ratios);

        public static WalkTables? Build(IterationSurrogate surrogate, SearchSpace space)
        {
            IReadOnlyList<SearchDimension> dims = space.Dimensions;
            int algoDim = IndexOf(dims, ParameterSpace.Algo);
            int protoDim = IndexOf(dims, ParameterSpace.Proto);
            bool otherImplementation = dims.Any(d => d.IsImplementation && d.Parameter is not (ParameterSpace.Algo or ParameterSpace.Proto));
            if (otherImplementation || NcclConfig.Default.HasChoices || ResourceValues(NcclConfig.Default).Any()
                || NcclConfig.Default.SocketNThreads is not null || NcclConfig.Default.NSocksPerThread is not null || NcclConfig.Default.MaxChannels is not null)
            {
                return null;
            }

            var shape = new WalkTables(algoDim, protoDim, protoDim < 0 ? 1 : dims[protoDim].Values.Count, IndexOf(dims, SearchSpace.Channels));
            string[] subspaceKeys = shape.SubspaceKeys(dims);

            // Each resource dimension sets one knob: its ratio multiplies at that knob's place in ResourceValues.
            var positioned = new List<(int Position, int Dim)>();
            for (int d = 0; d < dims.Count; d++)
            {
                if (dims[d].IsImplementation)
                {
                    continue;
                }

                var positions = dims[d].Values.Select(v => ResourceValues(SearchSpace.Set(NcclConfig.Default, dims[d].Parameter, v)).Select(r => r.Position).ToList()).ToList();
                if (positions.Any(p => p.Count > 1) || positions.SelectMany(p => p).Distinct().Count() > 1)
                {
                    return null;
                }

                positioned.Add((positions.SelectMany(p => p).DefaultIfEmpty(int.MaxValue).First(), d));
            }

            if (positioned.Where(p => p.Position != int.MaxValue).GroupBy(p => p.Position).Any(g => g.Count() > 1))
            {
                return null;
            }

            int[] resourceDims = [.. positioned.OrderBy(p => p.Position).Select(p => p.Dim)];
            int?[] channels = shape._channelsDim < 0 ? [] : [.. dims[shape._channelsDim].Values.Select(v => SearchSpace.Set(NcclConfig.Default, SearchSpace.Channels, v).MaxChannels)];
            int[][] socketFactor = [.. dims.Select(d => d.Values.Select(v => SocketFactor(SearchSpace.Set(NcclConfig.Default, d.Parameter, v))).ToArray())];
            CollectiveProfile[] profiles = [.. surrogate._bench.Collectives];
            double[][] baseUs = [.. profiles.Select(p => subspaceKeys.Select(k => SubspaceUs(p, k) ?? double.PositiveInfinity).ToArray())];
            double[][][][] ratios = [.. profiles.Select(p => subspaceKeys.Select(k => resourceDims.Select(d => dims[d].Values
                .Select(v => ResourceValues(SearchSpace.Set(NcclConfig.Default, dims[d].Parameter, v)).FirstOrDefault() is { Parameter: not null } r && r.Value is { } value
                    ? surrogate.CachedRatio(p, k, r.Parameter, value) ?? double.PositiveInfinity
                    : 1.0).ToArray()).ToArray()).ToArray())];
            return new WalkTables(shape, channels, resourceDims, socketFactor, profiles, baseUs, ratios);
        }

        /// <summary>Enumerate's filter: at most 64 sockets per connection.</summary>
        public bool Admitted(int[] indexes)
        {
            int sockets = 1;
            for (int d = 0; d < indexes.Length; d++)
            {
                sockets *= _socketFactor[d][indexes[d]];
            }

            return sockets <= 64;
        }

        /// <summary>MicrobenchIterationMs of the configuration at these indexes, term by term.</summary>
        public double MicrobenchIterationMs(int[] indexes, double computeMs, int smCount)
        {
            int subspace = Subspace(indexes);
            int? maxChannels = _channelsDim < 0 ? null : _channels[indexes[_channelsDim]];
            double exposed = 0;
            double overlapped = 0;
            double smLoss = 0;
            for (int p = 0; p < _profiles.Length; p++)
            {
                CollectiveProfile profile = _profiles[p];
                double time = _baseUs[p][subspace];
                double[][] ratios = _ratios[p][subspace];
                for (int r = 0; r < _resourceDims.Length; r++)
                {
                    time *= ratios[r][indexes[_resourceDims[r]]];
                }

                double totalMs = time * profile.Count / 1000.0;
                if (!double.IsFinite(totalMs))
                {
                    return double.PositiveInfinity;
                }

                exposed += totalMs * (1 - profile.Overlap);
                double hidden = totalMs * profile.Overlap;
                overlapped += hidden;
                int channels = maxChannels ?? profile.DefaultChannels;
                smLoss += hidden * channels / smCount;
            }

            return exposed + Math.Max(computeMs + smLoss, overlapped);
        }

        private int Subspace(int[] indexes) => ((_algoDim < 0 ? 0 : indexes[_algoDim]) * _protoCount) + (_protoDim < 0 ? 0 : indexes[_protoDim]);

        private string[] SubspaceKeys(IReadOnlyList<SearchDimension> dims)
        {
            int algoCount = _algoDim < 0 ? 1 : dims[_algoDim].Values.Count;
            var keys = new string[algoCount * _protoCount];
            for (int a = 0; a < algoCount; a++)
            {
                for (int p = 0; p < _protoCount; p++)
                {
                    NcclConfig config = NcclConfig.Default;
                    config = _algoDim < 0 ? config : SearchSpace.Set(config, ParameterSpace.Algo, dims[_algoDim].Values[a]);
                    config = _protoDim < 0 ? config : SearchSpace.Set(config, ParameterSpace.Proto, dims[_protoDim].Values[p]);
                    keys[(a * _protoCount) + p] = Microbenchmark.SubspaceKey(config);
                }
            }

            return keys;
        }

        private static int SocketFactor(NcclConfig config) => config.SocketNThreads.GetValueOrDefault(1) * config.NSocksPerThread.GetValueOrDefault(1);

        private static int IndexOf(IReadOnlyList<SearchDimension> dims, string parameter)
        {
            for (int d = 0; d < dims.Count; d++)
            {
                if (dims[d].Parameter == parameter)
                {
                    return d;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// Ranked ordinals of a space, built into configurations only when read (the planner reads the first 20,000); each
    /// one built is remembered with its raw time, so predicting it again skips the microbenchmark model.
    /// </summary>
    private sealed class RankedConfigurations(IterationSurrogate surrogate, SearchSpace space, (long Ordinal, double Raw)[] ranked) : IReadOnlyList<NcclConfig>
    {
        public int Count => ranked.Length;

        public NcclConfig this[int index]
        {
            get
            {
                long ordinal = ranked[index].Ordinal;
                int[] indexes = new int[space.Dimensions.Count];
                for (int d = 0; d < indexes.Length; d++)
                {
                    int count = space.Dimensions[d].Values.Count;
                    indexes[d] = (int)(ordinal % count);
                    ordinal /= count;
                }

                NcclConfig config = space.At(indexes);
                surrogate._rawByConfig[config] = ranked[index].Raw;
                return config;
            }
        }

        public IEnumerator<NcclConfig> GetEnumerator()
        {
            for (int i = 0; i < ranked.Length; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
