namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// One table of an nccl-tests output: the rows of one `*_perf` run. <see cref="Name"/> comes from the
/// "# Collective test starting:" line (null in files older than that line).
/// </summary>
public sealed record NcclTestsCollective
{
    public string? Name { get; init; }

    public required IReadOnlyList<NcclTestsRow> Rows { get; init; }

    /// <summary>Mean busbw over every row and both blocks, as nccl-tests computes its own footer (null without rows).</summary>
    public double? AvgBusBandwidth { get; init; }

    /// <summary>The file's own "# Avg bus bandwidth" value (null when the run was cut short before its footer).</summary>
    public double? ReportedAvgBusBandwidth { get; init; }

    /// <summary>The file's "# Out of bounds values" count (null without a footer).</summary>
    public int? OutOfBounds { get; init; }

    /// <summary>True for the pre-2.1x layout whose last column is a float `error` instead of `#wrong`.</summary>
    public bool LegacyErrorColumn { get; init; }

    /// <summary>Rows beyond the parser's row cap: not kept, but still counted in <see cref="AvgBusBandwidth"/>.</summary>
    public long DroppedRows { get; init; }

    /// <summary>
    /// Whether the computed average agrees with the reported one within what printing can explain:
    /// busbw cells are rounded to 0.01 (coarser for wide values) and the footer uses %g (6 significant digits).
    /// Null when either value is missing.
    /// </summary>
    public bool? AverageMatchesReported
    {
        get
        {
            if (AvgBusBandwidth is not double computed || ReportedAvgBusBandwidth is not double reported)
            {
                return null;
            }

            double tolerance = 0.006 + (Math.Abs(reported) * 1e-3);
            return Math.Abs(computed - reported) <= tolerance;
        }
    }
}
