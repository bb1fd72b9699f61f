using System.Globalization;
using System.Text.Json;
using CclAgent.Core.Runs;
using CclAgent.Core.Steps;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Resuming;

/// <summary>What an interrupted run left in its run directory that a resume re-derives its state from: the microbenchmark and every written step.</summary>
public sealed class RecordedRun
{
    private readonly Dictionary<(int Step, StepKind Kind), StepRecord> _steps;

    private RecordedRun(MicrobenchmarkResult? microbenchmark, Dictionary<(int, StepKind), StepRecord> steps)
    {
        Microbenchmark = microbenchmark;
        _steps = steps;
    }

    /// <summary>offline/microbenchmark.json, when the interrupted run got that far.</summary>
    internal MicrobenchmarkResult? Microbenchmark { get; }

    public int StepCount => _steps.Count;

    public StepRecord? Step(int step, StepKind kind) => _steps.GetValueOrDefault((step, kind));

    /// <exception cref="ResumeException">A step or microbenchmark file is unreadable, or a measured step lacks its samples (written by a version before resume).</exception>
    public static RecordedRun Load(RunDirectory run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string benchFile = Path.Combine(run.Offline, "microbenchmark.json");
        MicrobenchmarkResult? bench = File.Exists(benchFile) ? Read(benchFile, TuningJsonContext.Default.MicrobenchmarkResult) : null;
        var steps = new Dictionary<(int, StepKind), StepRecord>();
        if (Directory.Exists(run.Steps))
        {
            foreach (string file in Directory.EnumerateFiles(run.Steps, "step_*.json").Where(IsStepRecord).Order(StringComparer.Ordinal))
            {
                StepRecord step = Read(file, TuningJsonContext.Default.StepRecord);
                if (step.Metrics.Samples > 0 && step.Metrics.IterationMsSamples is not { Count: > 0 })
                {
                    throw new ResumeException($"{file}: metrics.iteration_ms_samples is missing; this run was written by a version that cannot be resumed");
                }

                steps[(step.Step, step.Kind)] = step;
            }
        }

        return new RecordedRun(bench, steps);
    }

    /// <summary>step_&lt;k&gt;.json and step_confirm.json; a real run's steps/ also holds step_&lt;k&gt;_command.json and logs.</summary>
    public static bool IsStepRecord(string path) =>
        Path.GetFileName(path) is var name && (name == "step_confirm.json" || (name.Length > 10 && name[5..^5].All(char.IsAsciiDigit)));

    private static T Read<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), type)
                ?? throw new ResumeException($"{file}: expected a JSON object, found null");
        }
        catch (JsonException ex)
        {
            string where = ex.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
            throw new ResumeException(string.Create(CultureInfo.InvariantCulture, $"{file}: not a readable record{where} ({ex.Message.Split('\n')[0]})"));
        }
        catch (IOException ex)
        {
            throw new ResumeException($"{file}: cannot be read ({ex.Message})");
        }
    }
}
