namespace CclAgent.Runtime.Setup;

/// <summary>Whether a program can be started: a path that exists, or a name found on PATH (as execvp would).</summary>
internal static class ProgramLocator
{
    public static bool Exists(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program);
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program)));
    }
}
