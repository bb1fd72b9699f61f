using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;

namespace CclAgent.Tuning.Search;

/// <summary>
/// Encodes a configuration as numbers for the surrogate: one-hot for algorithm and protocol (no order
/// between them), the grid position scaled to [0, 1] for ordered resources (threads, buffer, channels…).
/// </summary>
internal sealed class ConfigEncoder(SearchSpace space)
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

        return [.. features];
    }
}
