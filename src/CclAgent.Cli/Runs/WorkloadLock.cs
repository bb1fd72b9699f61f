using CclAgent.Core.Runs;

namespace CclAgent.Cli.Runs;

/// <summary>
/// An exclusive lock per (memory file, workload) so two unattended tunes of the same workload — two nightly jobs, a
/// cron run overlapping a manual one — never interleave their trials or their memory updates. It is an advisory
/// <c>flock(2)</c> on the file <c>&lt;memory&gt;.&lt;workload&gt;.lock</c> beside the memory file: .NET takes <c>flock(LOCK_EX)</c> for
/// <see cref="FileShare.None"/> on Unix, so <c>flock(1)</c> in a shell script sees the same lock, and the kernel drops
/// it when the process dies, however it dies (no stale lock files to clean up after a SIGKILL).
/// </summary>
internal sealed class WorkloadLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly FileStream _handle;

    private WorkloadLock(FileStream handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// The lock file of a workload and a memory file: a file beside the memory file, never a folder, so a memory kept
    /// inside the artifacts root does not add an entry to the run directories listed there.
    /// </summary>
    public static string PathFor(string memoryPath, string workloadName) =>
        $"{System.IO.Path.GetFullPath(memoryPath)}.{RunDirectory.FileNamePart(workloadName)}.lock";

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/> for the holder to finish; null when it is still held then.
    /// Polls rather than blocks in <c>flock</c>, so a cancelled wait (Ctrl+C, SIGTERM) stops at once.
    /// </summary>
    public static async Task<WorkloadLock?> AcquireAsync(string path, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        long deadline = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            if (TryTake(path) is { } handle)
            {
                await WriteHolderAsync(handle, time);
                return new WorkloadLock(handle, path);
            }

            if (time.GetTimestamp() >= deadline)
            {
                return null;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>Who holds the lock, as its holder wrote it (pid, host, since), or null when that cannot be read.</summary>
    public static string? Holder(string path)
    {
        try
        {
            string text = File.ReadAllText(path + ".holder").Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static FileStream? TryTake(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null; // EWOULDBLOCK from flock: someone else holds it
        }
    }

    /// <summary>
    /// The lock file itself cannot be read by a waiter (its flock is exclusive), so the holder's identity goes to a
    /// side file, only for the message a waiter prints.
    /// </summary>
    private static async Task WriteHolderAsync(FileStream handle, TimeProvider time)
    {
        string holder = $"pid {Environment.ProcessId} on {Environment.MachineName} since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}";
        try
        {
            await File.WriteAllTextAsync(handle.Name + ".holder", holder + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the waiter's message loses a detail.
        }
    }
}
