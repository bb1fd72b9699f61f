using System.Diagnostics;

namespace CclAgent.Llm.Tests.Support;

/// <summary>Runs the real ccl-agent executable (the built dll) with a controlled environment and a timeout.</summary>
internal static class CliProcess
{
    public static string RepoRoot { get; } = FindRoot();

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Whatever the developer's shell exports must not steer these runs.
        foreach (string name in new[] { "CCL_AGENT_PROVIDER", "CCL_AGENT_MODEL", "CCL_AGENT_LLM_ENDPOINT", "CCL_AGENT_API_KEY", "OPENAI_API_KEY" })
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CclAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
