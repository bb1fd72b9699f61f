namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// One block of an nccl-tests row (out-of-place or in-place). <see cref="Wrong"/> is the #wrong count,
/// or, in legacy files, the float `error` column; null where the file says N/A (validation off, `-c 0`).
/// Every field is null where the token was not a number, so a damaged cell never poisons the average.
/// </summary>
public sealed record NcclTestsMeasurement(double? TimeUs, double? AlgBw, double? BusBw, double? Wrong);
