namespace CclAgent.Bench.Matrix;

/// <summary>memory-matrix.json: every ordered pair, the checkpoints, the tolerance and how many pairs memory made worse.</summary>
public sealed record MemoryMatrixReport
{
    public required int Budget { get; init; }
    public required int Seed { get; init; }
    public required double Tolerance { get; init; }
    public required IReadOnlyList<int> Checkpoints { get; init; }
    public required IReadOnlyList<MemoryMatrixPair> Pairs { get; init; }
    public int WorsePairs => Pairs.Count(p => p.Worse);
    public required double ElapsedSeconds { get; init; }
}
