using CclAgent.Testing;

namespace CclAgent.Llm.Tests.Support;

/// <summary>The real CLI with a controlled LLM environment (see <see cref="Testing.CliProcess.RunIsolatedAsync"/>).</summary>
internal static class CliProcess
{
    public static string RepoRoot => RepoPaths.Root;

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Testing.CliProcess.RunIsolatedAsync(environment, args);
}
