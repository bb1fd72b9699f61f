using System.Diagnostics;

namespace CclAgent.Incident.Live;

/// <summary>The real host: each command bounded to a few seconds; a missing binary or a refusal is null, not an error.</summary>
public sealed class ProcessHostProbe : IHostProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task<string?> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(info) ?? throw new InvalidOperationException("not started");
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(Limit);
            Task<string> output = process.StandardOutput.ReadToEndAsync(bounded.Token);
            _ = process.StandardError.ReadToEndAsync(bounded.Token);
            try
            {
                await process.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }

            string text = await output;
            return process.ExitCode == 0 && text.Trim().Length > 0 ? text : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
