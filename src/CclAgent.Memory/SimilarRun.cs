namespace CclAgent.Memory;

/// <summary>An earlier finished run and how similar its context is to the current one.</summary>
public sealed record SimilarRun
{
    public required RunRecord Run { get; init; }

    public required double Similarity { get; init; }
}
