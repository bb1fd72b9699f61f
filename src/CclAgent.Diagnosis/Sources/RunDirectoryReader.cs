using System.Text.Json;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;

namespace CclAgent.Diagnosis.Sources;

/// <summary>
/// Reads a ccl-agent run directory (artifacts/&lt;run_id&gt;/, or its run_context.json): every
/// steps/step_*.json whose status is not ok becomes a source, named by its file, at the line of its
/// failure_message. SLA breaches are not failures and are skipped.
/// </summary>
public static class RunDirectoryReader
{
    /// <summary>True when the path is a run directory or a file inside one (run_context.json).</summary>
    public static bool IsRunDirectory(string path) =>
        Directory.Exists(Path.Combine(RootOf(path), "steps")) || File.Exists(Path.Combine(RootOf(path), "run_context.json"));

    public static IReadOnlyList<LogSource> ReadFailedSteps(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string root = RootOf(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new DiagnosisInputException($"{path}: no such file or directory");
        }

        string steps = Path.Combine(root, "steps");
        if (!Directory.Exists(steps))
        {
            throw new DiagnosisInputException($"{path}: not a ccl-agent run directory (no steps/ folder)");
        }

        var sources = new List<LogSource>();
        foreach (string file in Directory.EnumerateFiles(steps, "step_*.json").Order(StringComparer.Ordinal))
        {
            if (Read(file) is { } source)
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    private static string RootOf(string path) => File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;

    private static LogSource? Read(string file)
    {
        string text = File.ReadAllText(file);
        JsonElement step;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            step = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new DiagnosisInputException($"{file}: not valid JSON ({ex.Message})", ex);
        }

        // A step that measured (even past its SLA) is not a failure; an unknown status is read as one.
        string? statusText = String(step, "status");
        bool measured = statusText is null || (WireName.TryParse(statusText, out StepStatus status) && status is StepStatus.Ok or StepStatus.SlaBreach);
        if (measured)
        {
            return null;
        }

        int number = step.TryGetProperty("step", out JsonElement n) && n.TryGetInt32(out int k) ? k : 0;
        string? message = String(step, "failure_message");
        int line = LineOf(text, "\"failure_message\"");
        return LogSource.FromFailedStep(file, number, String(step, "failure_class"), message, line);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int LineOf(string text, string needle)
    {
        int index = text.IndexOf(needle, StringComparison.Ordinal);
        return index < 0 ? 1 : text.AsSpan(0, index).Count('\n') + 1;
    }
}
