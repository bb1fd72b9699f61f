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
}
