namespace CclAgent.Runtime.InJob;

/// <summary>
/// Finds ccl-agent's NCCL tuner plugin (<c>libnccl-tuner-ccl-agent.so</c>, built by <c>scripts/build-tuner-plugin.sh</c>):
/// an explicit path, then <see cref="Variable"/>, then <c>native/nccl-tuner/build/</c> in the working directory or any
/// folder above it or above the ccl-agent binary (a clone's build output).
/// </summary>
public static class TunerPluginLocator
{
    public const string FileName = "libnccl-tuner-ccl-agent.so";

    public const string Variable = "CCL_AGENT_TUNER_PLUGIN";

    private static readonly string BuildFolder = Path.Combine("native", "nccl-tuner", "build");

    /// <summary>The plugin's full path, or null with a one-line problem naming what was looked for.</summary>
    public static (string? Path, string? Problem) Find(string? explicitPath)
    {
        string? given = explicitPath ?? (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        if (given is not null)
        {
            return File.Exists(given)
                ? (System.IO.Path.GetFullPath(given), null)
                : (null, $"tuner plugin '{given}' does not exist (from {(explicitPath is null ? Variable : "--tuner-plugin")}); build it with bash scripts/build-tuner-plugin.sh");
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                string candidate = System.IO.Path.Combine(folder.FullName, BuildFolder, FileName);
                if (File.Exists(candidate))
                {
                    return (candidate, null);
                }
            }
        }

        return (null, $"--in-job needs ccl-agent's tuner plugin {FileName}: none under {BuildFolder}/ here or above; build it with bash scripts/build-tuner-plugin.sh, or give --tuner-plugin PATH or {Variable}");
    }
}
