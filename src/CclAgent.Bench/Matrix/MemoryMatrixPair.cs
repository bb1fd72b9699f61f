namespace CclAgent.Bench.Matrix;

/// <summary>
/// One ordered pair of the memory matrix: scenario <see cref="Earlier"/> ran first into a fresh memory, then
/// <see cref="Later"/> ran with that memory (warm) and, separately, with an empty one (cold). Oracle fractions
/// are keyed by trial count; <see cref="Worse"/> when warm trails cold by more than the tolerance anywhere.
/// </summary>
public sealed record MemoryMatrixPair
{
    public required string Earlier { get; init; }
    public required string Later { get; init; }
    public required double Similarity { get; init; }
    public required IReadOnlyDictionary<string, double> Warm { get; init; }
    public required IReadOnlyDictionary<string, double> Cold { get; init; }

    /// <summary>The largest cold − warm over the checkpoints (negative: warm is ahead everywhere).</summary>
    public required double WorstGap { get; init; }
    public required bool Worse { get; init; }
}
