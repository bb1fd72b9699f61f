using CclAgent.Core.Context;

namespace CclAgent.Core.Tests.Context;

public sealed class ContextFeaturesTests
{
    private static readonly ContextFeatures A40Pcie = new()
    {
        GpuGeneration = "ampere",
        Gpu = "A40",
        IntraFabric = "pcie",
        NetworkKind = "infiniband",
        Nodes = 4,
        GpusPerNode = 8,
        NicGbps = 100,
        ModelName = "llama3-8b",
        Framework = "pytorch",
        DominantOp = "all_reduce",
        DominantSizeLog2 = 26,
        Mix =
        [
            new CollectiveMixBin { Op = "all_reduce", Nodes = 1, RanksPerNode = 8, SizeLog2 = 25, Share = 0.67 },
            new CollectiveMixBin { Op = "all_reduce", Nodes = 4, RanksPerNode = 1, SizeLog2 = 24.64, Share = 0.33, Overlap = 0.8 },
        ],
    };

    [Fact]
    public void Identical_contexts_have_similarity_one()
    {
        Assert.Equal(1.0, A40Pcie.Similarity(A40Pcie with { }));
    }

    [Fact]
    public void A_different_fabric_is_less_similar()
    {
        double similarity = A40Pcie.Similarity(A40Pcie with { IntraFabric = "nvlink" });

        Assert.InRange(similarity, 0, 0.99);
        Assert.Equal(0.8, similarity, 6);
    }

    [Fact]
    public void Similarity_is_symmetric_and_falls_with_more_differences()
    {
        ContextFeatures fabric = A40Pcie with { IntraFabric = "nvlink" };
        ContextFeatures fabricAndScale = fabric with { Nodes = 16 };

        Assert.Equal(A40Pcie.Similarity(fabric), fabric.Similarity(A40Pcie));
        Assert.True(A40Pcie.Similarity(fabricAndScale) < A40Pcie.Similarity(fabric));
    }

    [Fact]
    public void Name_comparisons_ignore_case()
    {
        Assert.Equal(1.0, A40Pcie.Similarity(A40Pcie with { IntraFabric = "PCIe", Gpu = "a40" }));
    }

    [Fact]
    public void Signature_is_a_stable_readable_key()
    {
        Assert.Equal("ampere/A40/pcie/infiniband-100/4x8/all_reduce-2^26/llama3-8b", A40Pcie.Signature);
    }
}
