using CclAgent.Core.Steps;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>A temp run directory plus helpers to script fake jobs with <c>/bin/sh -c</c> (tests only: production never builds shell strings).</summary>
internal sealed class ProcessJobFixture : IDisposable
{
    public ProcessJobFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "ccl-exec-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string StepsFile(int step, string suffix) => Path.Combine(Directory, "steps", $"step_{step}_{suffix}");

    public ProcessJobRunner Shell(string script, TimeSpan? timeout = null, string? regex = null, IReadOnlyList<KeyValuePair<string, string>>? env = null) =>
        new(new ProcessJobOptions
        {
            Command = ["/bin/sh", "-c", script],
            StepTimeout = timeout ?? TimeSpan.FromSeconds(30),
            IterationRegex = regex,
            Environment = env ?? [],
            WorkingDirectory = Directory,
        }, Directory);

    public static JobRequest Request(int step = 1, int warmup = 0, IReadOnlyList<KeyValuePair<string, string>>? env = null) =>
        new(step, StepKind.Trial, NcclConfig.Default, env ?? [], Iterations: 10, WarmupIterations: warmup);

    /// <summary>Reads a pid a fake job wrote, waiting for it: under load the job may not have got that far yet.</summary>
    public async Task<int> WaitForPidAsync(string name)
    {
        string path = Path.Combine(Directory, name);
        for (int i = 0; i < 200; i++)
        {
            if (File.Exists(path) && int.TryParse((await File.ReadAllTextAsync(path)).Trim(), out int pid))
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} was never written");
    }

    /// <summary>True once the pid is gone; a zombie (state Z) counts as gone, since it holds no resources and waits only for its reaper.</summary>
    public static async Task<bool> IsGoneAsync(int pid)
    {
        for (int i = 0; i < 100; i++)
        {
            string stat = $"/proc/{pid}/stat";
            try
            {
                if (!File.Exists(stat))
                {
                    return true;
                }

                string text = await File.ReadAllTextAsync(stat);
                string state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state == "Z" || state == "X")
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true; // vanished between the check and the read
            }

            await Task.Delay(50);
        }

        return false;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder left behind is harmless
        }
    }
}
