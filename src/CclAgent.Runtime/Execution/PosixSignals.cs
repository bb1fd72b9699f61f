using System.Runtime.InteropServices;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// The two POSIX calls .NET does not offer: sending SIGTERM (Process.Kill only sends SIGKILL, which gives
/// mpirun and srun no chance to stop their remote ranks) and reading the effective uid.
/// </summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to terminate; false where the platform has no signals or the process is gone.</summary>
    public static bool Terminate(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return Kill(processId, SigTerm) == 0;
    }

    public static bool IsRoot() => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
