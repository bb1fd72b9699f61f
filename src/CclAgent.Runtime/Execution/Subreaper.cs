using System.Runtime.InteropServices;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// Makes this process a child subreaper (Linux): a job's descendant that leaves its session (<c>setsid</c>) and
/// loses its parent is re-parented to ccl-agent instead of init, so it stays ours to find, kill and reap.
/// A process-group or session kill cannot reach such a process; re-parenting plus the step marker can.
/// </summary>
internal static partial class Subreaper
{
    private const int PrSetChildSubreaper = 36;
    private const int WaitNoHang = 1;

    private static readonly Lazy<bool> Enabled = new(EnableOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Turns subreaping on once for the process; false where the platform has no such call (the marker scan still works).</summary>
    public static bool Enable() => Enabled.Value;

    /// <summary>
    /// Reaps the given processes once they are zombies whose parent is this process (adopted orphans that were killed):
    /// .NET only reaps the children it started itself. Bounded: a process still alive, or another's child, is left.
    /// </summary>
    public static async Task ReapAsync(IReadOnlyCollection<int> processIds, TimeSpan limit)
    {
        if (!OperatingSystem.IsLinux() || processIds.Count == 0)
        {
            return;
        }

        int self = Environment.ProcessId;
        var pending = new HashSet<int>(processIds);
        // The real clock, not the runner's (tests fake that one for step timeouts): this wait is the kernel's, not the job's.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            foreach (int pid in pending.ToList())
            {
                (int Parent, bool Zombie)? status = ProcessTree.StatusOf(pid);
                if (status is null)
                {
                    pending.Remove(pid); // gone: reaped by its own parent
                }
                else if (status.Value.Zombie && status.Value.Parent == self)
                {
                    _ = WaitPid(pid, out _, WaitNoHang);
                    pending.Remove(pid);
                }
            }

            if (pending.Count == 0 || clock.Elapsed >= limit)
            {
                return;
            }

            // A killed process's parent may still be dying; once it is, the zombie is re-parented to us.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private static bool EnableOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a libc without prctl: the marker scan alone finds strays still alive
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
