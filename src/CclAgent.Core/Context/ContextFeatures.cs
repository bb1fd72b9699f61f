using System.Globalization;

namespace CclAgent.Core.Context;

/// <summary>
/// The context signature of a workload: what memory keys rules and trials on. Two contexts that
/// share hardware and communication shape transfer knowledge; <see cref="Similarity"/> says how much.
/// </summary>
public sealed record ContextFeatures
{
    public required string GpuGeneration { get; init; }
    public required string Gpu { get; init; }
    public required string IntraFabric { get; init; }
    public required string NetworkKind { get; init; }
    public required int Nodes { get; init; }
    public required int GpusPerNode { get; init; }
    public required double NicGbps { get; init; }
    public required string ModelName { get; init; }
    public required string Framework { get; init; }

    /// <summary>The op that dominates communication time, e.g. "all_reduce".</summary>
    public required string DominantOp { get; init; }

    /// <summary>log2 of the bytes of the dominant collective, rounded.</summary>
    public required int DominantSizeLog2 { get; init; }

    /// <summary>Stable, human-readable key, e.g. "ampere/A40/pcie/infiniband-100/4x8/all_reduce-2^26/llama3-8b".</summary>
    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"{GpuGeneration}/{Gpu}/{IntraFabric}/{NetworkKind}-{NicGbps:0}/{Nodes}x{GpusPerNode}/{DominantOp}-2^{DominantSizeLog2}/{ModelName}");

    /// <summary>Similarity in [0, 1]: 1 for the same context, lower as hardware, scale and communication shape differ.</summary>
    public double Similarity(ContextFeatures other)
    {
        double score = 0;
        score += Same(GpuGeneration, other.GpuGeneration) * 0.15;
        score += Same(Gpu, other.Gpu) * 0.05;
        score += Same(IntraFabric, other.IntraFabric) * 0.20;
        score += Same(NetworkKind, other.NetworkKind) * 0.15;
        score += Closeness(Nodes, other.Nodes) * 0.10;
        score += Closeness(GpusPerNode, other.GpusPerNode) * 0.05;
        score += Closeness(NicGbps, other.NicGbps) * 0.05;
        score += Same(DominantOp, other.DominantOp) * 0.10;
        score += Math.Max(0, 1 - (Math.Abs(DominantSizeLog2 - other.DominantSizeLog2) / 6.0)) * 0.10;
        score += Same(ModelName, other.ModelName) * 0.03;
        score += Same(Framework, other.Framework) * 0.02;
        return Math.Round(score, 6);
    }

    private static double Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase) ? 1 : 0;

    /// <summary>1 when equal, 0.5 at a factor of 2 apart, falling off on a log scale.</summary>
    private static double Closeness(double a, double b)
    {
        if (a <= 0 || b <= 0)
        {
            return a.Equals(b) ? 1 : 0;
        }

        return 1 / (1 + Math.Abs(Math.Log2(a / b)));
    }
}
