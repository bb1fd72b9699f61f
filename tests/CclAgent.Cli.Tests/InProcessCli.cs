namespace CclAgent.Cli.Tests;

/// <summary>
/// The CLI run in this process through <see cref="CliApp.InvokeAsync"/>: same command tree and exit codes as the executable,
/// with captured writers and no process start-up (for fast tests; true end-to-end runs use <c>CliProcess</c>).
/// Relative paths in arguments resolve from the repository root, like the subprocess runs.
/// </summary>
internal static class InProcessCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] resolved = args.Select(ResolveRepoRelative).ToArray();
        int code = await CliApp.InvokeAsync(resolved, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string ResolveRepoRelative(string arg) =>
        arg.StartsWith("workload/", StringComparison.Ordinal) || arg.StartsWith("bench/", StringComparison.Ordinal)
            ? Path.Combine(CclAgent.Testing.RepoPaths.Root, arg)
            : arg;
}
