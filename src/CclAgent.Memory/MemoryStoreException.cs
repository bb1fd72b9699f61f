namespace CclAgent.Memory;

/// <summary>The memory database cannot be used: not ours, corrupt, too new, or unopenable.</summary>
public sealed class MemoryStoreException : Exception
{
    public MemoryStoreException()
    {
    }

    public MemoryStoreException(string message)
        : base(message)
    {
    }

    public MemoryStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the file is ours (or a SQLite database) but damaged: a corrupt page, a dropped table or column.
    /// A run can go on without memory then; false for a file that is not ours at all, which is refused.
    /// </summary>
    public bool Damaged { get; init; }
}
