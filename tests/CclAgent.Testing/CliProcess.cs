using System.Diagnostics;

namespace CclAgent.Testing;

/// <summary>
/// Runs the real ccl-agent executable (the ccl-agent.dll copied beside the calling test assembly) as a
/// subprocess from the repository root, with a timeout that kills the whole process tree.
/// </summary>
public static class CliProcess
{
    /// <summary>LLM settings a developer's shell may export; cleared so they never steer a test run.</summary>
    private static readonly string[] AmbientLlmVariables = ["CCL_AGENT_PROVIDER", "CCL_AGENT_MODEL", "CCL_AGENT_LLM_ENDPOINT", "CCL_AGENT_API_KEY", "OPENAI_API_KEY"];

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>Runs with a controlled LLM environment: ambient provider settings and keys removed, then <paramref name="environment"/> applied.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunIsolatedAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var merged = AmbientLlmVariables.ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        foreach ((string name, string value) in environment)
        {
            merged[name] = value;
        }

        return RunAsync(merged, args);
    }

    /// <summary>Runs with extra environment variables (a null value removes the variable from the inherited environment).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
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
}
