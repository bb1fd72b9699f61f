using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>The real CLI as a subprocess (see <see cref="CliProcess"/>).</summary>
internal static class CliRunner
{
    public static string RepoRoot => RepoPaths.Root;

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => CliProcess.RunAsync(args);
}
