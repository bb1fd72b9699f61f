using System.Globalization;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// A snapshot of a process's descendants from /proc (Linux). Taken before a graceful stop, so that a child
/// whose parent exits on SIGTERM (and is re-parented to init) is still known, and killed, afterwards.
/// </summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> Descendants(int rootId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var children = new Dictionary<int, List<int>>();
        foreach (int pid in ProcessIds())
        {
            if (ParentOf(pid) is int parent)
            {
                if (!children.TryGetValue(parent, out List<int>? list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
        }

        var result = new List<int>();
        var pending = new Stack<int>([rootId]);
        while (pending.Count > 0)
        {
            foreach (int child in children.GetValueOrDefault(pending.Pop()) ?? [])
            {
                result.Add(child);
                pending.Push(child);
            }
        }

        return result;
    }

    /// <summary>SIGKILL for each process still alive (pid reuse within the few seconds of a stop is not a practical concern).</summary>
    public static void KillAll(IEnumerable<int> processIds)
    {
        foreach (int pid in processIds)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    /// <summary>
    /// Live processes (not zombies) whose environment holds <paramref name="name"/>=<paramref name="value"/> exactly: a
    /// job's descendants carry the step marker wherever they were re-parented and whatever session they started.
    /// Only our own processes' environments are readable, which is all a stray of ours can be.
    /// </summary>
    public static IReadOnlyList<int> WithEnvironment(string name, string value)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        byte[] entry = System.Text.Encoding.UTF8.GetBytes($"{name}={value}");
        var result = new List<int>();
        foreach (int pid in ProcessIds())
        {
            if (pid != Environment.ProcessId && HasEntry(pid, entry))
            {
                result.Add(pid);
            }
        }

        return result;
    }

    /// <summary>
    /// Live children of <paramref name="parentId"/> whose /proc environment reads empty: a process between the new
    /// image's mapping and its stack set-up in execve shows none for that instant, so a marker scan cannot see it yet.
    /// </summary>
    public static IReadOnlyList<int> ChildrenWithoutEnvironment(int parentId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var result = new List<int>();
        foreach (int pid in ProcessIds())
        {
            if (StatusOf(pid) is { Zombie: false } status && status.Parent == parentId && ReadEnvironment(pid) is { Length: 0 })
            {
                result.Add(pid);
            }
        }

        return result;
    }

    /// <summary>The parent and whether the process is a zombie; null once it is gone.</summary>
    public static (int Parent, bool Zombie)? StatusOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses, so split after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            string[] fields = stat[(close + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), fields[0] is "Z" or "X");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // exited while we looked
        }
    }

    private static int? ParentOf(int pid) => StatusOf(pid)?.Parent;

    private static bool HasEntry(int pid, byte[] entry)
    {
        if (ReadEnvironment(pid) is not { } environ)
        {
            return false;
        }

        // NUL-separated NAME=VALUE entries; compare whole entries so a marker that is a prefix of another never matches.
        int start = 0;
        while (start < environ.Length)
        {
            int end = Array.IndexOf(environ, (byte)0, start);
            if (end < 0)
            {
                end = environ.Length;
            }

            if (environ.AsSpan(start, end - start).SequenceEqual(entry))
            {
                return true;
            }

            start = end + 1;
        }

        return false;
    }

    /// <summary>The raw NUL-separated environment; null for another user's process or one that exited while we looked.</summary>
    private static byte[]? ReadEnvironment(int pid)
    {
        try
        {
            return File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The pids listed in /proc now (its numeric entries).</summary>
    private static IEnumerable<int> ProcessIds()
    {
        foreach (string directory in SafeEnumerate("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                yield return pid;
            }
        }
    }

    private static string[] SafeEnumerate(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
