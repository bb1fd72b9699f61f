namespace CclAgent.Memory;

/// <summary>A row memory could not read, as kept in the database's <c>quarantine</c> side table.</summary>
public sealed record QuarantinedRow
{
    public required string Table { get; init; }

    public required string RowId { get; init; }

    public required string Reason { get; init; }

    /// <summary>The row's columns as JSON text, as they were read.</summary>
    public required string Raw { get; init; }
}
