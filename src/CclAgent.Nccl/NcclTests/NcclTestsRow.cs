namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// One data row of an nccl-tests table. <see cref="Redop"/> and <see cref="Root"/> are null where the
/// file has no such column (legacy formats drop one or the other). <see cref="Count"/> is what the
/// binary printed: per-rank elements for all_gather/reduce_scatter, total elements otherwise.
/// </summary>
public sealed record NcclTestsRow(
    long Size,
    long Count,
    string? Type,
    string? Redop,
    int? Root,
    NcclTestsMeasurement OutOfPlace,
    NcclTestsMeasurement InPlace);
