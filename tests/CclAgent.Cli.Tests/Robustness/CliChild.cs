using System.Diagnostics;
using System.Globalization;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// The real ccl-agent as a child the test can signal while it runs (<see cref="CliProcess"/> only waits for the end):
/// <c>dotnet ccl-agent.dll</c> runs the program in the dotnet process itself, so its pid is the one to signal.
/// </summary>
internal sealed class CliChild : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CliChild(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static CliChild Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.Environment.Remove("CCL_AGENT_PROVIDER");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new CliChild(Process.Start(start)!);
    }

    /// <summary>Sends a signal by name (TERM, INT) through /bin/kill, as a scheduler or a shell would.</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start(new ProcessStartInfo("/bin/kill", [$"-{signal}", Id.ToString(CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the exit (a hang guard, not a timing assertion) and returns what it printed.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> WaitAsync(TimeSpan guard)
    {
        using var limit = new CancellationTokenSource(guard);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ccl-agent did not exit within {guard.TotalSeconds:0} s; stderr so far was not read");
        }

        return (_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the child exits; false if it never held.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan guard)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < guard && !_process.HasExited)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    public static async Task<bool> AnyProcessMatchingAsync(string pattern)
    {
        using Process pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", pattern]) { RedirectStandardOutput = true })!;
        await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return pgrep.ExitCode == 0;
    }
}
