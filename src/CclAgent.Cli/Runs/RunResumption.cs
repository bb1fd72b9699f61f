using System.Text.Json;
using CclAgent.Core.Json;
using CclAgent.Core.Runs;
using CclAgent.Tuning;

namespace CclAgent.Cli.Runs;

/// <summary>
/// Checks that <c>tune --resume RUN_DIR</c> names an unfinished tune run of the same workload, mode and seed, and opens
/// it. Anything else gets one line naming the file and field, because resuming another run's record would mix two runs.
/// </summary>
internal static class RunResumption
{
    public static (RunDirectory? Run, RunContext? Previous, string? Problem) Open(string directory, string workloadName, TuningOptions options)
    {
        RunDirectory run = RunDirectory.Open(directory);
        if (!Directory.Exists(run.Root))
        {
            return Refused($"--resume {directory}: no such directory; expected a run directory that tune created");
        }

        if (!File.Exists(run.RunContextFile))
        {
            return Refused($"--resume {directory}: {run.RunContextFile} is missing; expected a run directory that tune created");
        }

        RunContext? previous;
        try
        {
            previous = JsonSerializer.Deserialize(File.ReadAllBytes(run.RunContextFile), CoreJsonContext.Default.RunContext);
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return Refused($"--resume {directory}: {run.RunContextFile} is not a readable run context ({ex.Message.Split('\n')[0]})");
        }

        string? mismatch = previous switch
        {
            null => "is empty; expected a run context object",
            { Command: not "tune" } => $"command is '{previous.Command}'; expected a tune run",
            { Status: RunStatus.Succeeded } => "status is succeeded; the run finished, there is nothing to resume",
            _ when previous.WorkloadName != workloadName => $"workload_name is '{previous.WorkloadName}'; this command tunes '{workloadName}'",
            _ when previous.Mode != options.Mode => $"mode is '{previous.Mode}'; this command runs '{options.Mode}' (give the same --dry-run/--simulate-workload)",
            _ when previous.Seed != options.Seed => $"seed is {previous.Seed}; this command uses {options.Seed} (give the same --seed)",
            _ when options.InJob => "--in-job runs cannot be resumed: the job they tuned inside is gone; start a new run",
            _ => null,
        };
        return mismatch is null ? (run, previous, null) : Refused($"--resume {directory}: {run.RunContextFile}: {mismatch}");
    }

    private static (RunDirectory?, RunContext?, string?) Refused(string problem) => (null, null, problem);
}
