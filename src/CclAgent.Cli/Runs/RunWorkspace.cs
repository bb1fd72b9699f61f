using CclAgent.Core.Files;
using CclAgent.Core.Runs;
using CclAgent.Memory;

namespace CclAgent.Cli.Runs;

/// <summary>
/// Where a tune run lives before the agent starts: its run directory (checked writable up front) and its memory
/// (checked usable), each problem said in one line rather than as an internal error.
/// </summary>
internal static class RunWorkspace
{
    /// <summary>
    /// The run directory, or why it cannot be made: the root is a file, lies under /proc, is read-only or its disk
    /// is full. Each is a problem with --artifacts-root, reported in one line rather than as an internal error.
    /// </summary>
    public static (RunDirectory? Run, string? Problem, bool DiskFull) CreateRunDirectory(string artifactsRoot, string workloadName, TimeProvider time)
    {
        if (File.Exists(artifactsRoot))
        {
            return (null, "is a file; expected a directory to create run directories in", false);
        }

        try
        {
            RunDirectory run = RunDirectory.Create(artifactsRoot, RunDirectory.NewRunId(time, workloadName));

            // Creating folders can succeed where writing cannot (/proc, a full disk): a probe file tells now, not mid-run.
            string probe = Path.Combine(run.Logs, ".write-probe");
            File.WriteAllBytes(probe, new byte[1]);
            File.Delete(probe);
            return (run, null, false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk is the environment, not the input: the same code as a full disk mid-run (3).
            bool diskFull = FileSystemErrors.IsDiskFull(ex);
            string reason = diskFull ? "no space left on the device" : ex.Message;
            return (null, $"cannot create a run directory there ({reason}); expected a writable directory", diskFull);
        }
    }

    public static string DiskFull(RunDirectory run) =>
        $"no space left on the device holding {run.Root}; the run stopped because its artifacts cannot be written (free space or choose another --artifacts-root)";

    /// <summary>Rows memory could not read were skipped; say so once, so that someone looks at them.</summary>
    public static async Task WarnQuarantinedAsync(MemoryStore memory, TextWriter error)
    {
        long quarantined;
        try
        {
            quarantined = memory.QuarantinedRows();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return; // only a warning: it must not fail a run that succeeded
        }

        if (quarantined > 0)
        {
            await error.WriteLineAsync($"warning: --memory {memory.FilePath}: {quarantined} unreadable rows are skipped (listed in its quarantine table)");
        }
    }

    /// <summary>Opens the memory and checks it can be used (tables, columns, pages); a damaged one throws with <c>Damaged</c>.</summary>
    public static MemoryStore OpenUsableMemory(string memoryPath, TimeProvider time)
    {
        MemoryStore memory = MemoryStore.Open(memoryPath, time);
        try
        {
            memory.Verify();
            return memory;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
