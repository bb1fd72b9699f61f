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

    /// <summary>
    /// The collective mix (op × communicator shape × size, weighted by bytes × calls); null in memory rows
    /// written before it existed, which then compare by the dominant op alone, capped at <see cref="UnknownMixCap"/>.
    /// </summary>
    public IReadOnlyList<CollectiveMixBin>? Mix { get; init; }

    /// <summary>
    /// The most a context without a known mix can score: below the warm-start threshold
    /// (TuningOptions.WarmStartSimilarity, 0.85), so an old row never hands its best configuration over
    /// unseen; still at the avoid-rule threshold (0.8), so what crashed before stays avoided.
    /// </summary>
    public const double UnknownMixCap = 0.8;

    /// <summary>Stable, human-readable key (the mix is not in it, so keys written before the mix still match), e.g. "ampere/A40/pcie/infiniband-100/4x8/all_reduce-2^26/llama3-8b".</summary>
    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"{GpuGeneration}/{Gpu}/{IntraFabric}/{NetworkKind}-{NicGbps:0}/{Nodes}x{GpusPerNode}/{DominantOp}-2^{DominantSizeLog2}/{ModelName}");

    /// <summary>
    /// Similarity in [0, 1]: 1 for the same context, lower as hardware, scale and communication differ. The
    /// hardware and name terms are multiplied by the overlap of the two collective mixes, so the same cluster
    /// running a job with other parallelism (other ops, communicator shapes or sizes) is not similar.
    /// </summary>
    public double Similarity(ContextFeatures other)
    {
        if (Mix is null || other.Mix is null)
        {
            return Math.Min(UnknownMixCap, Math.Round(HardwareAndNames(other) + DominantTerms(other), 6));
        }

        // 0.20 is the weight the dominant op and size had; the mix now stands for them, as a factor.
        return Math.Round((HardwareAndNames(other) + 0.20) * CollectiveMix.Overlap(Mix, other.Mix), 6);
    }

    /// <summary>Value equality, the mix compared bin by bin (a record would compare the list by reference).</summary>
    public bool Equals(ContextFeatures? other) =>
        other is not null
        && string.Equals(Signature, other.Signature, StringComparison.Ordinal)
        && string.Equals(Framework, other.Framework, StringComparison.Ordinal)
        && (ReferenceEquals(Mix, other.Mix) || (Mix is not null && other.Mix is not null && Mix.SequenceEqual(other.Mix)));

    public override int GetHashCode() => HashCode.Combine(Signature, Framework, Mix?.Count);

    /// <summary>The dominant op and size terms: all a context without a mix can say about communication.</summary>
    private double DominantTerms(ContextFeatures other) =>
        (Same(DominantOp, other.DominantOp) * 0.10) + (Math.Max(0, 1 - (Math.Abs(DominantSizeLog2 - other.DominantSizeLog2) / 6.0)) * 0.10);

    private double HardwareAndNames(ContextFeatures other)
    {
        double score = 0;
        score += Same(GpuGeneration, other.GpuGeneration) * 0.15;
        score += Same(Gpu, other.Gpu) * 0.05;
        score += Same(IntraFabric, other.IntraFabric) * 0.20;
        score += Same(NetworkKind, other.NetworkKind) * 0.15;
        score += Closeness(Nodes, other.Nodes) * 0.10;
        score += Closeness(GpusPerNode, other.GpusPerNode) * 0.05;
        score += Closeness(NicGbps, other.NicGbps) * 0.05;
        score += Same(ModelName, other.ModelName) * 0.03;
        score += Same(Framework, other.Framework) * 0.02;
        return score;
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
