using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Tuning.Search;

/// <summary>
/// Encodes a configuration as numbers for the surrogate: one-hot for algorithm and protocol (no order
/// between them), the grid position scaled to [0, 1] for ordered resources (threads, buffer, channels…),
/// then per workload collective the algorithm, protocol and channels it actually runs with (its per-collective
/// choice, else the environment's), so residuals learned on one collective's choice do not leak onto another's.
/// </summary>
internal sealed class ConfigEncoder(SearchSpace space, IReadOnlyList<TunerKey> collectives)
{

    public double[] Encode(NcclConfig config)
    {
        var features = new List<double>();
        int[] indexes = space.IndexesOf(config);
        for (int d = 0; d < space.Dimensions.Count; d++)
        {
            SearchDimension dimension = space.Dimensions[d];
            if (dimension.IsImplementation)
            {
                for (int v = 0; v < dimension.Values.Count; v++)
                {
                    features.Add(v == indexes[d] ? 0.7 : 0);
                }
            }
            else
            {
                features.Add(dimension.Values.Count <= 1 ? 0 : indexes[d] / (double)(dimension.Values.Count - 1));
            }
        }

        if (collectives.Any(config.Choices.ContainsKey))
        {
            foreach (TunerKey key in collectives)
            {
                AddCollective(features, IterationSurrogate.ForCollective(config, key));
            }
        }
        else
        {
            // No per-collective choice: the environment alone, encoded as every collective running it (same vector as before).
            features.AddRange(Enumerable.Repeat(0.0, collectives.Count * (TunerCells.Algorithms.Count + TunerCells.Protocols.Count + 1)));
        }

        return [.. features];
    }

    private static void AddCollective(List<double> features, NcclConfig effective)
    {
        features.AddRange(TunerCells.Algorithms.Select(a => effective.Algorithm == a ? 0.7 : 0));
        features.AddRange(TunerCells.Protocols.Select(p => effective.Protocol == p ? 0.7 : 0));
        features.Add(effective.MaxChannels is int c ? Math.Log2(c) / 5.0 : 0);
    }
}
