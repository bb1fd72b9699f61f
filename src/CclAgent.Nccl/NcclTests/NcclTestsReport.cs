namespace CclAgent.Nccl.NcclTests;

/// <summary>Everything parsed from one nccl-tests output: its tables and how much of the input was not understood.</summary>
public sealed record NcclTestsReport
{
    public required IReadOnlyList<NcclTestsCollective> Collectives { get; init; }

    /// <summary>Lines read, including comments and blanks.</summary>
    public long Lines { get; init; }

    /// <summary>
    /// Lines that are neither nccl-tests output nor blank: NCCL INFO/WARN logs, launcher chatter, rows that
    /// do not fit the table's columns, over-long lines. Skipped, never fatal.
    /// </summary>
    public long SkippedLines { get; init; }

    /// <summary>
    /// Result rows dropped because a time or bandwidth cell is negative, non-finite or a zero time (at most
    /// <see cref="NcclTestsParser.MaxInvalidValues"/> kept; <see cref="InvalidRows"/> counts them all).
    /// </summary>
    public IReadOnlyList<NcclTestsInvalidValue> InvalidValues { get; init; } = [];

    /// <summary>How many result rows were dropped as invalid.</summary>
    public long InvalidRows { get; init; }

    /// <summary>True when at least one table with at least one row was found.</summary>
    public bool HasTable => Collectives.Count > 0;
}
