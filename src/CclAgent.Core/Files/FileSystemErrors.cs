namespace CclAgent.Core.Files;

/// <summary>Recognises environment failures of the file system, so a verb can name them instead of reporting an internal error.</summary>
public static class FileSystemErrors
{
    /// <summary>ENOSPC on Linux (28) surfaces as the IOException's HResult; Windows uses ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.</summary>
    private static readonly int[] DiskFullCodes = [28, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>True when <paramref name="exception"/> or one it wraps (a logger's, SQLite's) is "no space left on device".</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io && (DiskFullCodes.Contains(io.HResult) || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDiskFull))
            {
                return true;
            }
        }

        return false;
    }
}
